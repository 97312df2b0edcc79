"""The report: one offline HTML file (map, Sankey, timeline, sourced tables) and PNG twins.

>>> import flowmodel as fm
>>> res = fm.run()
>>> fm.report(res, "results/report.html")   # or res.report("results/report.html")
"""

from __future__ import annotations

from pathlib import Path

from .build import report_html


def write_file(path: str | Path, content: str | bytes) -> Path:
    """The one place the report writes a file (through the project's atomic writer)."""
    from ..output import atomic_write_file
    return atomic_write_file(Path(path), content)


def write_report(path: str | Path, results, timeline=None, compare=None, title: str | None = None) -> Path:
    """Write :func:`report_html` to ``path`` atomically; return the path."""
    return write_file(path, report_html(results, timeline=timeline, compare=compare, title=title))


__all__ = ["report_html", "write_file", "write_report"]
