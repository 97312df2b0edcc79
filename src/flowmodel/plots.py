"""Charts of timeline results: a PNG for reports and a self-contained interactive HTML.

Both show the same chart (:mod:`flowmodel.reporting.timeline`): per commodity with anything
to show, the volume redirectable by year split into what is taken from the ``from``
markets and the rest, and the most the ``to`` markets can receive.  The HTML embeds the
report's partial plotly.js bundle (no CDN).  Functions return bytes/str so callers can
write them atomically.
"""

from __future__ import annotations

import pandas as pd

from .reporting.timeline import timeline_figure
from .reporting.timeline import timeline_png as _timeline_png
from .reporting.view import COLORS

__all__ = ["COLORS", "timeline_html", "timeline_png"]


def timeline_png(df: pd.DataFrame, scenario, dpi: int = 150) -> bytes:
    """The timeline chart as PNG bytes (7 inches wide; ``dpi`` 300 for print)."""
    return _timeline_png(df, scenario, dpi=dpi)


def timeline_html(df: pd.DataFrame, scenario) -> str:
    """The same chart as :func:`timeline_png`, interactive (hover: what limits each year)."""
    from .reporting.html import Page, esc

    spec = timeline_figure(df, scenario)
    notes = "".join(f"<li>{esc(t)}</li>" for t in spec.pop("notes"))
    page = Page(title=f"{scenario.name}: timeline")
    page.body.append(page.figure("timeline-0", spec) + (f"<ul class='note'>{notes}</ul>" if notes else ""))
    return page.render()
