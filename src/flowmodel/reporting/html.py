"""One self-contained HTML page: inline CSS, the partial plotly.js bundle inlined, figure
data as JSON, tables as HTML.  Nothing is fetched: no CDN, no web font, no tile, no
image URL; links are in-page anchors only (source citations are plain text).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .figures import CONFIG

CSS = """
:root{--ink:#222;--muted:#666;--line:#ddd;--head:#f3f3f3;--accent:#2166ac}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);margin:0;
 line-height:1.45;font-size:15px}
header,main,footer{max-width:1200px;margin:0 auto;padding:0 18px}
header{padding-top:14px}
h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.25em;margin:1.6em 0 .4em;border-bottom:2px solid var(--line)}
h3{font-size:1.05em;margin:1.2em 0 .3em}
p.lead,.muted,figcaption{color:var(--muted)}
nav a{margin-right:1em}
a{color:var(--accent)}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:13px;width:100%}
th,td{border:1px solid var(--line);padding:3px 6px;vertical-align:top;text-align:left}
th{background:var(--head);font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr:target,td:target{background:#fff3b0}
.fig{width:100%;min-height:200px}
.note{font-size:13px;color:var(--muted)}
details summary{cursor:pointer;color:var(--muted)}
.cite{font-size:12px;word-break:break-word}
.wrap{overflow-x:auto}
footer{font-size:12px;color:var(--muted);border-top:1px solid var(--line);margin-top:2em;padding:1em 18px 2em}
@media print{.fig{break-inside:avoid}nav{display:none}}
"""

RENDER_JS = """
(function () {
  var D = JSON.parse(document.getElementById('fm-figures').textContent);
  var done = 0;
  D.figures.forEach(function (f) {
    var el = document.getElementById(f.id);
    var data = f.basemap ? JSON.parse(JSON.stringify(D.basemap)).concat(f.data) : f.data;
    Plotly.newPlot(el, data, f.layout, D.config).then(function () {
      el.setAttribute('data-rendered', '1');
      done += 1;
      if (done === D.figures.length) { document.body.setAttribute('data-rendered', String(done)); }
    });
  });
})();
"""


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The vendored partial plotly.js bundle (scatter, bar, sankey; see tools/plotly_bundle)."""
    return resources.files("flowmodel.reporting").joinpath("vendor/plotly-report.min.js").read_text(encoding="utf-8")


def esc(v) -> str:
    return html.escape(str(v), quote=True)


def script_json(obj) -> str:
    """JSON safe inside <script>: no ``</`` or ``<!--`` sequences."""
    text = json.dumps(obj, separators=(",", ":"), sort_keys=False, allow_nan=False, ensure_ascii=False)
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


@dataclass
class Cell:
    """A table cell: text, optional in-page link (anchor id), numeric alignment, raw HTML."""

    text: str
    href: str | None = None
    numeric: bool = False
    raw: bool = False
    title: str | None = None

    def render(self) -> str:
        body = self.text if self.raw else esc(self.text)
        if self.href:
            body = f'<a href="#{esc(self.href)}">{body}</a>'
        attrs = ' class="n"' if self.numeric else ""
        if self.title:
            attrs += f' title="{esc(self.title)}"'
        return f"<td{attrs}>{body}</td>"


def table(headers: list[str], rows: list[list], cls: str = "", row_ids: list[str | None] | None = None,
          caption: str = "") -> str:
    """An HTML table; a row item is a :class:`Cell` or plain text."""
    out = [f'<div class="wrap"><table class="{esc(cls)}">']
    if caption:
        out.append(f"<caption class='note'>{esc(caption)}</caption>")
    out.append("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr></thead><tbody>")
    for i, r in enumerate(rows):
        rid = row_ids[i] if row_ids else None
        cells = "".join((c if isinstance(c, Cell) else Cell(str(c))).render() for c in r)
        out.append(f'<tr id="{esc(rid)}">{cells}</tr>' if rid else f"<tr>{cells}</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def link_ids(text: str, anchor_of) -> str:
    """Escape ``text`` and turn every asset id in it that has a source row into a link."""
    parts = re.split(r"([A-Za-z0-9_]+(?:->[A-Za-z0-9_]+)?)", str(text))
    out = []
    for p in parts:
        a = anchor_of(p) if p and re.fullmatch(r"[A-Za-z0-9_]+", p) else None
        out.append(f'<a href="#{esc(a)}">{esc(p)}</a>' if a else esc(p))
    return "".join(out)


@dataclass
class Page:
    title: str
    header_html: str = ""
    nav: list[tuple[str, str]] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    basemap: list[dict] = field(default_factory=list)
    footer_html: str = ""

    def figure(self, fig_id: str, spec: dict, caption: str = "") -> str:
        """Register a plotly figure and return its placeholder (with caption)."""
        self.figures.append({"id": fig_id, "data": spec["data"], "layout": spec["layout"],
                             "basemap": bool(spec.get("basemap"))})
        cap = f"<figcaption class='note'>{caption}</figcaption>" if caption else ""
        return f'<figure><div class="fig" id="{esc(fig_id)}" data-kind="{esc(fig_id.split("-")[0])}"></div>{cap}</figure>'

    def render(self) -> str:
        nav = " ".join(f'<a href="#{esc(i)}">{esc(t)}</a>' for i, t in self.nav)
        payload = script_json({"figures": self.figures, "basemap": self.basemap, "config": CONFIG})
        return "".join([
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            f"<title>{esc(self.title)}</title><style>{CSS}</style>",
            f"<script>{plotly_js()}</script></head><body>\n",
            f"<header>{self.header_html}<nav>{nav}</nav></header>\n<main>\n",
            "\n".join(self.body),
            f"\n</main>\n<footer>{self.footer_html}</footer>\n",
            f'<script type="application/json" id="fm-figures">{payload}</script>\n',
            f"<script>{RENDER_JS}</script>\n</body></html>\n",
        ])
