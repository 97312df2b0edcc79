"""The report: one offline HTML file (map, Sankey, timeline, sourced tables) and PNG twins.

>>> import flowmodel as fm
>>> res = fm.run()
>>> fm.report(res, "results/report.html")   # or res.report("results/report.html")
"""

from __future__ import annotations

from pathlib import Path

from .build import report_html


def write_file(path: str | Path, content: str | bytes, force: bool = False) -> Path:
    """The one place the report writes a single file (the project's output rule: never over a
    file flowmodel did not write; the extension must be what the content is)."""
    from ..output import write_result_file
    suffix = {b"\x89PNG": ".png", b"PK\x03\x04": ".xlsx"}.get(_bytes(content)[:4], ".html")
    return write_result_file(Path(path), content, force=force, suffixes=(suffix,))


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content[:8].encode("utf-8")


def write_report(path: str | Path, results, timeline=None, compare=None, title: str | None = None,
                 force: bool = False) -> Path:
    """Write :func:`report_html` to ``path``; return the path."""
    return write_file(path, report_html(results, timeline=timeline, compare=compare, title=title), force)


__all__ = ["report_html", "write_file", "write_report"]
