"""Assemble the report of one or more results (and optionally a timeline and a comparison)."""

from __future__ import annotations

import math
import re

import pandas as pd

from ..network import Network, active_mask
from ..units import unit_of
from ..vocabulary import COMMODITY_ORDER
from .figures import basemap_traces, map_figure, sankey_figure
from .html import Cell, Page, esc, link_ids, table
from .sankey import sankey_data
from .sources import Sources
from .timeline import timeline_figure
from .view import basemap, col, fmt, map_view, num

CORE = {"scenario", "summary", "redirect", "flows", "constraints", "manifest", "solution", "network"}
REFERENCE_SENTENCE = (
    "<b>baseline</b> = the observed deliveries of the year (baseline.csv); <b>reference</b> = the flow the model "
    "finds closest to them that the network of the year can carry with every contract honoured — the yardstick "
    "the redirect is measured against (the two differ where the observations do not fit the network exactly).")


def network_of(result) -> Network:
    """The network a result was solved on: attached by the caller, else re-read from the scenario."""
    net = getattr(result, "network", None)
    if isinstance(net, Network):
        return net
    from ..scenario import scenario_network
    return scenario_network(result.scenario)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(text)).strip("-") or "x"


def _n(v, href: str | None = None, digits: int = 2) -> Cell:
    return Cell(fmt(v, digits), href=href, numeric=True)


class _Section:
    """The part of the page about one result."""

    def __init__(self, page: Page, res, key: str):
        self.page, self.res, self.key = page, res, key
        self.year = int(res.manifest["year"])
        self.net = network_of(res)
        self.src = Sources(self.net, self.year, res.scenario, prefix=f"src-{key}")
        s = res.scenario
        self.to = "+".join(s.redirect.to)
        self.frm = "+".join(s.redirect.from_)

    def anchor_any(self, ident: str) -> str | None:
        for t in ("arcs", "nodes", "contracts"):
            a = self.src.anchor(t, ident)
            if a:
                return a
        return None

    def render(self) -> str:
        res, s, k = self.res, self.res.scenario, self.key
        out = [f'<section id="{esc(k)}"><h2>{esc(s.name)} — {self.year}</h2>']
        if s.description:
            out.append(f"<p class='lead'>{esc(s.description)}</p>")
        out.append(f"<p class='note'>Redirect {esc(self.frm)} → {esc(self.to)}; supply = {esc(s.supply)}, "
                   f"capacity = {esc(s.capacity)}, estimates = {esc(getattr(s, 'estimates', 'central'))}. "
                   f"{REFERENCE_SENTENCE}</p>")
        changes = self._changes()
        if changes:
            out.append(f"<p class='note'>Changes this scenario makes to the network: {esc(changes)}</p>")
        out.append(self._redirect())
        view = map_view(res, self.net, self.src)
        spec = map_figure(view, f"{s.name}, {self.year}: flows by commodity and mode", len(basemap_traces()))
        cap = ("Width ∝ √(energy flow); colour = commodity; dash = mode (solid pipeline, dotted rail, dashed tanker, "
               "dash-dot LNG carrier); faint lines carry nothing. Arcs are drawn as curves between their end nodes, "
               "not along the real route. Red = binding at the optimum. Hover a node or an arc's arrow for capacity, "
               "flow, utilisation and source; the buttons switch between the optimum and the reference flows.")
        if view.notes:
            cap += " Placement: " + "; ".join(view.notes) + "."
        out.append(f"<h3>Map</h3>{self.page.figure(f'map-{k}', spec, esc(cap))}")
        out.append(self._sankeys())
        out.append(self._constraints())
        out.append(self._summary())
        out.append(self._flows())
        out.append(self._extras())
        out.append(self._sources())
        out.append("</section>")
        return "\n".join(out)

    def _changes(self) -> str:
        s = self.res.scenario
        parts = []
        for t, by_id in (s.overrides or {}).items():
            for i, f in by_id.items():
                parts.append(f"{t}.{i}: " + ", ".join(f"{a} = {b}" for a, b in f.items()))
        for t, rows in (s.add or {}).items():
            parts.append(f"adds {t}: " + ", ".join(str(r.get("id", "")) for r in rows))
        for t, ids in (s.remove or {}).items():
            parts.append(f"removes {t}: " + ", ".join(ids))
        for c, f in (s.contract_scale or {}).items():
            parts.append(f"contract minimums of buyers in {c} x {f:g}")
        return "; ".join(parts)

    def _redirect(self) -> str:
        r = self.res.redirect
        rows = []
        for _, x in r.iterrows():
            rows.append([
                x["commodity"], _n(col(r, "to_reference").get(_)), _n(col(r, "to_optimized", "max_to").get(_)),
                _n(col(r, "redirected").get(_)), _n(col(r, "from_redirect_markets", "from_cn").get(_)),
                _n(col(r, "from_other_markets").get(_)), _n(col(r, "from_spare_supply").get(_)), x["unit"],
                _n(col(r, "redirected_pj").get(_), digits=1), _n(col(r, "max_flow_bound").get(_)),
                Cell(link_ids(col(r, "limiting_factor", "limited_by").get(_, ""), self.anchor_any), raw=True),
            ])
        head = ["commodity", f"reference to {self.to}", f"max to {self.to}", "redirected (max − reference)",
                f"of which from {self.frm}", "from other markets", "from spare supply", "unit", "redirected PJ/yr",
                "max-flow bound (no contracts)", "limited by"]
        return (f"<h3>Redirect: the most {esc(self.to)} can receive</h3>"
                + table(head, rows)
                + "<p class='note'>Model results for the year; the input rows behind them are in the sources "
                  "table below (asset ids link to their rows).</p>")

    def _sankeys(self) -> str:
        modes = self.net.arcs.drop_duplicates("id", keep="last").set_index("id")["mode"].to_dict()
        out = ["<h3>Supply → route → market</h3>"]
        for c in COMMODITY_ORDER:
            sd = sankey_data(self.res, self.net.nodes, modes, c)
            if sd is None:
                continue
            title = f"{'LNG' if c == 'lng' else c} ({unit_of(c)}), {self.res.scenario.name} {self.year}"
            cap = ("Route = the last leg into the market (its start and mode). Supply shares of a route assume "
                   "that flows mix at junctions (proportional tracing); route and market totals are exact.")
            out.append(self.page.figure(f"sankey-{self.key}-{c}", sankey_figure(sd, title), esc(cap)))
        return "\n".join(out)

    def _constraint_anchor(self, x) -> str | None:
        kind, ident = str(x["kind"]), str(x["id"])
        if kind == "arc":
            return self.src.anchor("arcs", ident)
        if kind in ("contract",):
            return self.src.anchor("contracts", ident)
        if kind == "contract_max":
            return None
        if str(x.get("bound")) == "observed output":
            node = self.net.nodes[active_mask(self.net.nodes, self.year)]
            com = node.loc[node["id"] == ident, "commodity"]
            key = f"{ident}/{com.iloc[0]}" if len(com) else ident
            return self.src.anchor("production", key) or self.src.anchor("nodes", ident)
        return self.src.anchor("nodes", ident)

    def _constraints(self) -> str:
        c = self.res.constraints
        if c is None or c.empty:
            return "<h3>Binding constraints</h3><p class='note'>None binding at the optimum.</p>"
        rows = []
        for _, x in c.iterrows():
            m = num(x["marginal"])
            words = ("nothing more" if m == 0 else
                     f"{m:+.3g} {x['unit']} to {self.to} per {x['unit']} more of this limit")
            rows.append([Cell(link_ids(x["description"], self.anchor_any), raw=True), x["bound"],
                         _n(x["limit"], self._constraint_anchor(x)), x["unit"], words, _n(x["marginal_pj"], digits=3)])
        head = ["constraint", "bound", "limit", "unit", "one more unit would add (energy-equivalent)",
                "PJ/yr per unit"]
        return ("<h3>Binding constraints at the optimum</h3>" + table(head, rows)
                + "<p class='note'>Marginal values are the LP duals of the stage that maximises deliveries to "
                  f"{esc(self.to)}; a limit whose marginal is 0 is binding but not what stops more. Limits link to "
                  "their source rows.</p>")

    def _summary(self) -> str:
        sm = self.res.summary
        rows = []
        for _, x in sm.iterrows():
            b_anchor = self.src.anchor("baseline", f"{x['country']}/{x['commodity']}")
            rows.append([x["commodity"], x["country"], x["role"], _n(x["baseline"], b_anchor), _n(x["reference"]),
                         _n(x["contracted"]), _n(x["optimized"]), _n(x["change"]), x["unit"]])
        head = ["commodity", "country", "role", "baseline (observed)", "reference", "contracted minimum",
                "optimum", "change (optimum − reference)", "unit"]
        return "<h3>Deliveries by market</h3>" + table(head, rows)

    def _flows(self) -> str:
        f = self.res.flows
        modes = self.net.arcs.drop_duplicates("id", keep="last").set_index("id")["mode"].to_dict()
        rows = []
        for _, x in f.iterrows():
            a = self.src.anchor("arcs", x["arc"])
            u = num(x["utilization"])
            rows.append([Cell(str(x["arc"]), href=a), f"{x['from']} → {x['to']}", modes.get(x["arc"], ""),
                         x["commodity"], _n(x["flow"]), _n(x.get("reference_flow")),
                         _n(x["capacity"], a) if not math.isnan(num(x["capacity"])) else Cell("no limit"),
                         Cell("–" if math.isnan(u) else f"{100 * u:.0f} %", numeric=True), x["unit"]])
        head = ["arc", "from → to", "mode", "commodity", "flow (optimum)", "reference flow", "capacity",
                "utilisation", "unit"]
        return ("<details><summary><b>Flows per arc</b> (" + str(len(rows)) + " arcs in service)</summary>"
                + table(head, rows) + "</details>")

    def _extras(self) -> str:
        """Any further result table (hydraulic check, policy, uncertainty ...) the result carries."""
        out = []
        for name, df in sorted(vars(self.res).items()):
            if name in CORE or name.startswith("_") or not isinstance(df, pd.DataFrame) or df.empty:
                continue
            head = list(df.columns)
            rows = [[_n(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else
                     Cell(link_ids(v, self.anchor_any), raw=True) for v in r] for r in df.itertuples(index=False)]
            out.append(f"<h3>{esc(name.replace('_', ' ').capitalize())}</h3>" + table(head, rows))
        return "\n".join(out)

    def _sources(self) -> str:
        t = self.src.table
        rows, ids = [], []
        for _, r in t.iterrows():
            notes = (f"<details><summary>notes</summary><span class='cite'>{esc(r['notes'])}</span></details>"
                     if r["notes"] else "")
            changed = f"<br><b>changed by the scenario:</b> {esc(r['changed_by_scenario'])}" \
                if r["changed_by_scenario"] else ""
            rows.append([r["ref"], r["key"], r["what"], Cell(r["value"], numeric=True), r["unit"], r["status"],
                         Cell(f"<span class='cite'>{esc(r['source'])}</span>{changed}{notes}", raw=True)])
            ids.append(r["anchor"])
        head = ["row", "id", "what", "value", "unit", "status", "source (publication; the row's citation)"]
        return (f"<details id='sources-{esc(self.key)}'><summary><b>Sources</b>: the {len(rows)} input rows in force "
                f"in {self.year}</summary>" + table(head, rows, row_ids=ids) + "</details>")


def _headline(cmp: pd.DataFrame) -> str:
    rows = []
    for _, x in cmp.iterrows():
        if x.get("status") != "optimal":
            rows.append([x["scenario"], str(x["year"]), x.get("supply", ""), "all", Cell("infeasible"), "", "", "", "",
                         str(x.get("limiting_factor", ""))])
            continue
        eff = "n/a" if str(x.get("base_status", "")).startswith("infeasible") else fmt(x.get("effect"))
        rows.append([x["scenario"], str(int(x["year"])), x.get("supply", ""), x["commodity"],
                     _n(col(cmp, "to_optimized", "max_to").get(_)), _n(x.get("redirected")),
                     _n(col(cmp, "from_redirect_markets", "from_cn").get(_)), Cell(eff, numeric=True), x.get("unit", ""),
                     str(col(cmp, "limiting_factor", "limited_by").get(_, ""))])
    head = ["scenario", "year", "supply", "commodity", "max to", "redirected", "from the from-markets",
            "effect of the scenario's changes on max", "unit", "limited by"]
    return ("<section id='headline'><h2>Headline results</h2><p class='note'><b>max</b> = the most the "
            "<i>to</i> markets can receive with every contract honoured; <b>redirected</b> = max − reference; "
            "<b>from</b> = the part of it the <i>from</i> markets give up; <b>effect</b> = change of max against the "
            "same scenario without its changes.</p>" + table(head, rows) + "</section>")


def report_html(results, timeline: pd.DataFrame | None = None, compare: pd.DataFrame | None = None,
                title: str | None = None) -> str:
    """The report as one HTML string.

    Parameters
    ----------
    results : Result or list of Result
        One section (map, Sankeys, tables, sources) per result.
    timeline : DataFrame, optional
        :func:`flowmodel.timeline` output of the first result's scenario: the timeline chart.
    compare : DataFrame, optional
        :func:`flowmodel.compare` output: the headline table.
    """
    from .. import __version__

    results = [results] if not isinstance(results, (list, tuple)) else list(results)
    if not results:
        raise ValueError("report: no result given")
    first = results[0]
    title = title or ("flowmodel report: " + ", ".join(r.scenario.name for r in results[:4])
                      + (" …" if len(results) > 4 else ""))
    page = Page(title=title, basemap=basemap_traces())
    m = first.manifest
    page.header_html = (
        f"<h1>{esc(title)}</h1><p class='note'>flowmodel {esc(__version__)}; {esc(m.get('solver', ''))}. "
        "Everything in this file works offline: no request leaves it.</p>")
    if compare is not None and len(compare):
        page.body.append(_headline(compare))
        page.nav.append(("headline", "Headline"))
    if timeline is not None and len(timeline):
        spec = timeline_figure(timeline, first.scenario)
        notes = "".join(f"<li>{esc(t)}</li>" for t in spec.pop("notes"))
        cap = (f"Dark = taken from {esc(', '.join(first.scenario.redirect.from_))}; light = from other markets or "
               f"spare supply; line = the most {esc(', '.join(first.scenario.redirect.to))} can receive with every "
               "contract honoured. Hover for what limits each year.")
        page.body.append("<section id='timeline'><h2>Timeline</h2>" + page.figure("timeline-0", spec, cap)
                         + (f"<ul class='note'>{notes}</ul>" if notes else "") + "</section>")
        page.nav.append(("timeline", "Timeline"))
    used: set[str] = set()
    for i, res in enumerate(results):
        key = _slug(f"{res.scenario.name}-{res.manifest['year']}")
        while key in used:
            key += f"-{i}"
        used.add(key)
        page.nav.append((key, f"{res.scenario.name} {res.manifest['year']}"))
        page.body.append(_Section(page, res, key).render())
    page.footer_html = (
        f"Map data: {esc(basemap()['attribution'])} Charts: plotly.js (MIT licence), partial bundle embedded in "
        "this file. Numbers: flowmodel; inputs and their sources are listed per section.")
    return page.render()


def png_files(result, dpi: int = 150) -> dict[str, bytes]:
    """PNG twins of the result's charts: ``map.png`` (optimum), ``map-reference.png`` and
    ``sankey-<commodity>.png`` per commodity with flow."""
    from .static import map_png, sankey_png

    net = network_of(result)
    year = int(result.manifest["year"])
    src = Sources(net, year, result.scenario)
    view = map_view(result, net, src)
    name = result.scenario.name
    files = {"map.png": map_png(view, f"{name}, {year}: flows at the optimum (max to "
                                      f"{'+'.join(result.scenario.redirect.to)})", "optimum", dpi),
             "map-reference.png": map_png(view, f"{name}, {year}: reference flows", "reference", dpi)}
    modes = net.arcs.drop_duplicates("id", keep="last").set_index("id")["mode"].to_dict()
    for c in COMMODITY_ORDER:
        sd = sankey_data(result, net.nodes, modes, c)
        if sd is not None:
            files[f"sankey-{c}.png"] = sankey_png(sd, f"{'LNG' if c == 'lng' else c} ({unit_of(c)}): supply → route "
                                                      f"→ market, {name} {year}", dpi)
    return files
