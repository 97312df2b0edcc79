"""plotly.js figures (plain dicts: data, layout) of the map and the Sankey diagrams.

The map is a cartesian plot of longitude/latitude (equirectangular, standard parallel
:data:`~flowmodel.reporting.view.LAT0`): no geo trace, so plotly.js never asks for its
topojson.  Land and borders come from the shipped Natural Earth extract.
"""

from __future__ import annotations

import math

from .sankey import SankeyData, changes
from .view import ASPECT, BINDING, COLORS, LIGHT, MODE_DASH, MapView, basemap, curve, legend_label, lon_label

SEA, LAND, BORDER = "#eaf1f6", "#f4f1ea", "#a9a9a9"
KIND_SYMBOL = {"supply": "circle", "junction": "circle-open", "terminal": "square", "liquefaction": "diamond",
               "market": "star"}
ROLE_COLOR = {"to": "#2166ac", "from": "#b2182b", "": "#777777"}
CONFIG = {"displaylogo": False, "responsive": True, "showLink": False, "showSendToCloud": False,
          "showEditInChartStudio": False, "toImageButtonOptions": {"format": "png", "scale": 2},
          "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def _flat(values: list[float]) -> tuple[list, list]:
    xs, ys = values[0::2], values[1::2]
    return list(xs), list(ys)


def basemap_traces() -> list[dict]:
    """Land (filled), lakes/holes and borders as three scatter traces (shared by every map)."""
    bm = basemap()
    lx: list = []
    ly: list = []
    hx: list = []
    hy: list = []
    for p in bm["land"]:
        x, y = _flat(p["outer"])
        lx += x + [None]
        ly += y + [None]
        for h in p["holes"]:
            x, y = _flat(h)
            hx += x + [None]
            hy += y + [None]
    bx: list = []
    by: list = []
    for b in bm["borders"]:
        x, y = _flat(b)
        bx += x + [None]
        by += y + [None]
    common = {"type": "scatter", "mode": "lines", "hoverinfo": "skip", "showlegend": False}
    return [
        {**common, "x": lx, "y": ly, "fill": "toself", "fillcolor": LAND, "line": {"color": "#9aa7b0", "width": 0.6},
         "name": "land"},
        {**common, "x": hx, "y": hy, "fill": "toself", "fillcolor": SEA, "line": {"color": "#9aa7b0", "width": 0.6},
         "name": "lakes"},
        {**common, "x": bx, "y": by, "line": {"color": BORDER, "width": 0.7, "dash": "dot"}, "name": "borders"},
    ]


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def map_figure(v: MapView, title: str, n_basemap: int) -> dict:
    """The network map: arcs by commodity (colour) and mode (dash), width by energy flow,
    optimum and reference switchable, binding assets ringed in red."""
    data: list[dict] = []
    state_of: list[str] = []  # "opt", "ref" or "" (always shown), per trace after the basemap

    def add(trace: dict, state: str) -> None:
        trace.setdefault("visible", state != "ref")
        data.append(trace)
        state_of.append(state)

    seen_legend: set[tuple[str, str, str]] = set()
    arcs = v.arcs.sort_values(["commodity", "mode", "arc"]) if len(v.arcs) else v.arcs
    # binding arcs under everything else
    for _, a in arcs[arcs["binding"]].iterrows() if len(arcs) else []:
        xs, ys = curve(a["x0"], a["y0"], a["x1"], a["y1"])
        first = ("opt", "binding", "") not in seen_legend
        seen_legend.add(("opt", "binding", ""))
        add({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
             "line": {"color": _rgba(BINDING, 0.45), "width": a["width"] + 7}, "name": "binding at the optimum",
             "legendgroup": "binding", "showlegend": first}, "opt")
    for state, wcol, fcol in (("opt", "width", "flow"), ("ref", "reference_width", "reference_flow")):
        mids: dict[str, dict[str, list]] = {}
        for _, a in arcs.iterrows():
            if any(math.isnan(a[k]) for k in ("x0", "y0", "x1", "y1")):
                continue
            xs, ys = curve(a["x0"], a["y0"], a["x1"], a["y1"])
            com, mode = a["commodity"], a["mode"]
            flow = a[fcol]
            zero = not (flow > 1e-9)
            key = ("legend", com, mode)
            if key not in seen_legend:  # a legend entry of its own: full colour whatever this arc carries
                seen_legend.add(key)
                add({"type": "scatter", "mode": "lines", "x": [None], "y": [None], "hoverinfo": "skip",
                     "line": {"color": COLORS[com], "width": 3, "dash": MODE_DASH.get(mode, "solid")},
                     "name": legend_label(com, mode),
                     "legendgroup": f"{com}-{mode}", "showlegend": True}, "")
            add({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
                 "line": {"color": LIGHT[com] if zero else COLORS[com], "width": 1.0 if zero else round(a[wcol], 2),
                          "dash": MODE_DASH.get(mode, "solid")},
                 "opacity": 0.55 if zero else 0.9, "name": legend_label(com, mode),
                 "legendgroup": f"{com}-{mode}", "showlegend": False}, state)
            m = mids.setdefault(com, {"x": [], "y": [], "text": [], "angle": []})
            i = len(xs) // 2
            dx, dy = xs[i + 1] - xs[i - 1], (ys[i + 1] - ys[i - 1]) * ASPECT
            m["x"].append(xs[i])
            m["y"].append(ys[i])
            m["angle"].append(round(math.degrees(math.atan2(dx, dy)), 1))
            m["text"].append(a["hover"])
        for com, m in sorted(mids.items()):
            add({"type": "scatter", "mode": "markers", "x": m["x"], "y": m["y"], "text": m["text"],
                 "hovertemplate": "%{text}<extra></extra>", "showlegend": False, "name": f"{com} arcs",
                 "marker": {"symbol": "triangle-up", "size": 9, "angle": m["angle"], "color": COLORS[com],
                            "line": {"color": "white", "width": 0.8}}}, state)
    # nodes
    n = v.nodes
    if len(n):
        b = n[n["binding"]]
        if len(b):
            add({"type": "scatter", "mode": "markers", "x": b["lon"].tolist(), "y": b["lat"].tolist(),
                 "hoverinfo": "skip", "name": "binding at the optimum", "legendgroup": "binding",
                 "showlegend": ("opt", "binding", "") not in seen_legend,
                 "marker": {"symbol": "circle-open", "size": 20, "color": BINDING, "line": {"width": 3}}}, "opt")
            seen_legend.add(("opt", "binding", ""))
        for kind, g in n.groupby("kind", sort=True):
            colors = [COLORS.get(c, "#555") for c in g["commodity"]]
            labels = [c if kind == "market" else "" for c in g["country"]]
            add({"type": "scatter", "mode": "markers+text", "x": g["lon"].tolist(), "y": g["lat"].tolist(),
                 "text": labels, "textposition": "bottom center", "textfont": {"size": 10, "color": "#333"},
                 "hovertext": g["hover"].tolist(), "hovertemplate": "%{hovertext}<extra></extra>",
                 "name": f"{kind} node", "legendgroup": f"node-{kind}", "showlegend": True,
                 "marker": {"symbol": KIND_SYMBOL.get(kind, "circle"), "size": 11 if kind == "market" else 9,
                            "color": colors, "line": {"color": "#333", "width": 0.8}}}, "")
    lon0, lat0, lon1, lat1 = v.extent
    vis_opt = [s != "ref" for s in state_of]
    vis_ref = [s != "opt" for s in state_of]
    idx = list(range(n_basemap, n_basemap + len(state_of)))
    ticks = [t for t in range(-180, 361, 20) if lon0 <= t <= lon1]
    layout = {
        "title": {"text": title, "font": {"size": 14}},
        "height": 700, "margin": {"l": 50, "r": 10, "t": 60, "b": 40}, "plot_bgcolor": SEA, "paper_bgcolor": "white",
        "hovermode": "closest", "hoverlabel": {"align": "left", "font": {"size": 11}}, "template": {},
        "xaxis": {"range": [lon0, lon1], "tickvals": ticks, "ticktext": [lon_label(t) for t in ticks],
                  "showgrid": True, "gridcolor": "rgba(255,255,255,0.7)", "zeroline": False, "constrain": "domain"},
        "yaxis": {"range": [lat0, lat1], "scaleanchor": "x", "scaleratio": round(ASPECT, 6), "showgrid": True,
                  "gridcolor": "rgba(255,255,255,0.7)", "zeroline": False, "ticksuffix": "°N", "constrain": "domain"},
        "legend": {"font": {"size": 10}, "bgcolor": "rgba(255,255,255,0.85)", "x": 1.01, "xanchor": "left", "y": 0.0,
                   "yanchor": "bottom", "bordercolor": "#ccc", "borderwidth": 1, "groupclick": "togglegroup"},
        "updatemenus": [{
            "type": "buttons", "direction": "right", "x": 0.0, "xanchor": "left", "y": 1.0, "yanchor": "bottom",
            "pad": {"t": 2, "b": 4}, "showactive": True, "active": 0,
            "buttons": [
                {"label": "Optimum (max to " + "+".join(v.redirect_to) + ")", "method": "restyle",
                 "args": [{"visible": vis_opt}, idx]},
                {"label": "Reference flows", "method": "restyle", "args": [{"visible": vis_ref}, idx]},
            ]}],
    }
    return {"data": data, "layout": layout, "basemap": True}


def sankey_figure(sd: SankeyData, title: str) -> dict:
    """Reference (left) and optimum (right) side by side; in the optimum the part of each link
    beyond the reference is drawn strong: the redirected volume and the routes it takes."""
    com = sd.commodity
    traces = []
    for k, (which, dom) in enumerate((("reference", [0.0, 0.47]), ("optimum", [0.53, 1.0]))):
        if which == "reference":
            links = [{"source": s, "target": t, "value": v, "added": False, "reference": v} for s, t, v in sd.reference]
        else:
            links = changes(sd)
        used = sorted({int(x) for link in links for x in (link["source"], link["target"])})
        remap = {old: new for new, old in enumerate(used)}
        node_colors = []
        for i in used:
            lab = sd.labels[i]
            role = "to" if lab.endswith("(to)") else "from" if lab.endswith("(from)") else ""
            node_colors.append(ROLE_COLOR[role] if sd.column[i] == 2 else COLORS[com] if sd.column[i] == 0
                               else LIGHT[com])
        traces.append({
            "type": "sankey", "domain": {"x": dom, "y": [0.0, 0.92]}, "arrangement": "snap",
            "valueformat": ".2f", "valuesuffix": f" {sd.unit}",
            "node": {"label": [sd.labels[i] for i in used], "color": node_colors, "pad": 12, "thickness": 14,
                     "customdata": [sd.hover[i] for i in used],
                     "hovertemplate": "%{label}<br>%{value}<br>%{customdata}<extra></extra>",
                     "line": {"color": "#555", "width": 0.5}},
            "link": {"source": [remap[int(lk["source"])] for lk in links], "target": [remap[int(lk["target"])] for lk in links],
                     "value": [lk["value"] for lk in links],
                     "color": [_rgba("#2166ac", 0.65) if lk["added"] else _rgba(COLORS[com], 0.3) for lk in links],
                     "customdata": [("more than in the reference (reference: " + f"{lk['reference']:.2f})")
                                    if lk["added"] else ("as in the reference" if which == "optimum" else "reference")
                                    for lk in links],
                     "hovertemplate": "%{source.label} → %{target.label}<br>%{value}<br>%{customdata}"
                                      "<extra></extra>"},
        })
    ann = [{"text": "<b>reference</b> (observed pattern)", "x": 0.235, "y": 1.0, "xref": "paper", "yref": "paper",
            "showarrow": False, "xanchor": "center", "yanchor": "bottom"},
           {"text": "<b>optimum</b>: <span style='color:#2166ac'>blue</span> = more than in the reference",
            "x": 0.765, "y": 1.0, "xref": "paper", "yref": "paper", "showarrow": False, "xanchor": "center",
            "yanchor": "bottom"}]
    n_nodes = max(len(set(s for s, _, _ in sd.optimum) | set(t for _, t, _ in sd.optimum)), 4)
    layout = {"title": {"text": title, "font": {"size": 14}}, "height": max(360, 40 * n_nodes),
              "margin": {"l": 10, "r": 10, "t": 70, "b": 10}, "annotations": ann, "font": {"size": 11},
              "template": {}}
    return {"data": traces, "layout": layout}
