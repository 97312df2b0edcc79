"""PNG twins of the report's charts (matplotlib, Agg): the map, the Sankey diagrams and the
comparison of scenarios.  Same data and encoding as the HTML figures; sized to paste into
a document 7 inches wide; ``dpi`` sets the resolution (300 for print).
"""

from __future__ import annotations

import io
import math
import textwrap

import pandas as pd

from ..units import unit_of
from .sankey import SankeyData, changes
from .view import ASPECT, BINDING, COLORS, LIGHT, MapView, basemap, col, curve, legend_label, lon_label
from ..vocabulary import COMMODITY_ORDER

_DASH = {"pipeline": "-", "rail": ":", "tanker": "--", "lng_carrier": "-."}
_MARKER = {"supply": "o", "junction": "o", "terminal": "s", "liquefaction": "D", "market": "*"}
SEA, LAND = "#eaf1f6", "#f4f1ea"
ROLE_COLOR = {"to": "#2166ac", "from": "#b2182b", "": "#777777"}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _png(fig, dpi: int) -> bytes:
    plt = _plt()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def map_png(v: MapView, title: str, which: str = "optimum", dpi: int = 150, width_in: float = 7.0) -> bytes:
    """The network map (``which``: ``optimum`` or ``reference`` flows)."""
    plt = _plt()
    from matplotlib.lines import Line2D

    lon0, lat0, lon1, lat1 = v.extent
    plot_h = width_in * (lat1 - lat0) * ASPECT / (lon1 - lon0)
    with plt.rc_context({"font.size": 7.5}):
        H = plot_h + 1.35
        fig = plt.figure(figsize=(width_in, H))
        ax = fig.add_axes((0.08, 0.95 / H, 0.9, plot_h / H))
        ax.set_facecolor(SEA)
        bm = basemap()
        for p in bm["land"]:
            ax.fill(p["outer"][0::2], p["outer"][1::2], facecolor=LAND, edgecolor="#9aa7b0", lw=0.35, zorder=1)
            for h in p["holes"]:
                ax.fill(h[0::2], h[1::2], facecolor=SEA, edgecolor="#9aa7b0", lw=0.35, zorder=1)
        for b in bm["borders"]:
            ax.plot(b[0::2], b[1::2], color="#a9a9a9", lw=0.4, ls=(0, (1, 1.5)), zorder=2)
        fcol, wcol = ("flow", "width") if which == "optimum" else ("reference_flow", "reference_width")
        arcs = v.arcs
        for _, a in arcs.iterrows():
            if any(math.isnan(a[k]) for k in ("x0", "y0", "x1", "y1")):
                continue
            xs, ys = curve(a["x0"], a["y0"], a["x1"], a["y1"])
            zero = not (a[fcol] > 1e-9)
            if which == "optimum" and a["binding"]:
                ax.plot(xs, ys, color=BINDING, alpha=0.45, lw=0.55 * a["width"] + 3.5, solid_capstyle="round", zorder=3)
            ax.plot(xs, ys, color=LIGHT[a["commodity"]] if zero else COLORS[a["commodity"]],
                    lw=0.6 if zero else 0.55 * a[wcol], ls=_DASH.get(a["mode"], "-"), alpha=0.6 if zero else 0.9,
                    zorder=4)
        n = v.nodes
        for _, r in n.iterrows():
            if which == "optimum" and r["binding"]:
                ax.plot(r["lon"], r["lat"], "o", ms=11, mfc="none", mec=BINDING, mew=1.8, zorder=5)
            ax.plot(r["lon"], r["lat"], _MARKER.get(r["kind"], "o"), ms=7 if r["kind"] == "market" else 4.5,
                    mfc="white" if r["kind"] == "junction" else COLORS.get(r["commodity"], "#555"), mec="#333",
                    mew=0.5, zorder=6)
        for (x, y), g in n[n["kind"] == "market"].groupby(["lon", "lat"]):
            ax.annotate(g["country"].iloc[0], (x, y), xytext=(0, -9), textcoords="offset points", ha="center",
                        fontsize=7, zorder=7)
        ax.set_xlim(lon0, lon1)
        ax.set_ylim(lat0, lat1)
        ax.set_aspect(ASPECT)
        ticks = [t for t in range(-180, 361, 20) if lon0 <= t <= lon1]
        ax.set_xticks(ticks, [lon_label(t) for t in ticks])
        ax.yaxis.set_major_formatter(lambda y, _: f"{y:g}°N")
        ax.set_title(title, fontsize=9)
        handles = []
        for com in sorted(set(arcs["commodity"])) if len(arcs) else []:
            for mode in sorted(set(arcs.loc[arcs["commodity"] == com, "mode"])):
                handles.append(Line2D([], [], color=COLORS[com], lw=2, ls=_DASH.get(mode, "-"),
                                      label=legend_label(com, mode)))
        if which == "optimum" and (arcs["binding"].any() if len(arcs) else False):
            handles.append(Line2D([], [], color=BINDING, alpha=0.45, lw=5, label="binding at the optimum"))
        fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=7,
                   bbox_to_anchor=(0.5, 0.3 / H))
        note = (f"{which.capitalize()} flows. Width ∝ √(energy flow); dash = mode; faint = no flow; arcs drawn as "
                "curves between end nodes, not the real route. ")
        if v.notes:
            note += "Placement: " + "; ".join(v.notes) + "."
        fig.text(0.01, 0.03 / H, "\n".join(textwrap.wrap(note, 150)), fontsize=5.5, color="0.35",
                 va="bottom")
        return _png(fig, dpi)


def _sankey_ax(ax, sd: SankeyData, links: list[dict], heading: str) -> None:
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path

    used = sorted({x for lk in links for x in (lk["source"], lk["target"])}, key=lambda i: (sd.column[i], i))
    if not used:
        ax.set_axis_off()
        return
    vin: dict[int, float] = {}
    vout: dict[int, float] = {}
    for lk in links:
        vout[lk["source"]] = vout.get(lk["source"], 0.0) + lk["value"]
        vin[lk["target"]] = vin.get(lk["target"], 0.0) + lk["value"]
    val = {i: max(vin.get(i, 0.0), vout.get(i, 0.0)) for i in used}
    cols = {c: [i for i in used if sd.column[i] == c] for c in (0, 1, 2)}
    pad = 0.04
    k = min((1 - pad * max(0, len(cols[c]) - 1)) / max(sum(val[i] for i in cols[c]), 1e-9) for c in cols if cols[c])
    w = 0.04
    xs = {0: 0.0, 1: 0.48, 2: 0.96}
    top: dict[int, float] = {}
    for c, ids in cols.items():
        y = 1.0
        for i in ids:
            top[i] = y
            h = val[i] * k
            role = "to" if sd.labels[i].endswith("(to)") else "from" if sd.labels[i].endswith("(from)") else ""
            color = ROLE_COLOR[role] if c == 2 else COLORS[sd.commodity] if c == 0 else LIGHT[sd.commodity]
            ax.add_patch(Rectangle((xs[c], y - h), w, h, facecolor=color, edgecolor="#555", lw=0.3))
            label = "\n".join(textwrap.wrap(sd.labels[i], 26))
            if c == 2:
                ax.text(xs[c] - 0.01, y - h / 2, label, ha="right", va="center", fontsize=6)
            else:
                ax.text(xs[c] + w + 0.01, y - h / 2, label, ha="left", va="center", fontsize=6)
            y -= h + pad
    out_off = {i: 0.0 for i in used}
    in_off = {i: 0.0 for i in used}
    for lk in sorted(links, key=lambda lk: (sd.column[lk["source"]], used.index(lk["source"]),
                                            used.index(lk["target"]), lk["added"])):
        s, t, h = lk["source"], lk["target"], lk["value"] * k
        x0, x1 = xs[sd.column[s]] + w, xs[sd.column[t]]
        y0 = top[s] - out_off[s]
        y1 = top[t] - in_off[t]
        out_off[s] += h
        in_off[t] += h
        xm = (x0 + x1) / 2
        verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 - h), (xm, y1 - h), (xm, y0 - h), (x0, y0 - h),
                 (x0, y0)]
        codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4, Path.CURVE4,
                 Path.CURVE4, Path.CLOSEPOLY]
        color = "#2166ac" if lk["added"] else COLORS[sd.commodity]
        ax.add_patch(PathPatch(Path(verts, codes), facecolor=color, alpha=0.6 if lk["added"] else 0.28, lw=0))
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(min(top[i] - val[i] * k for i in used) - 0.02, 1.02)
    ax.set_axis_off()
    ax.set_title(heading, fontsize=8)


def sankey_png(sd: SankeyData, title: str, dpi: int = 150, width_in: float = 7.0) -> bytes:
    """Reference and optimum Sankey side by side (blue = more than in the reference)."""
    plt = _plt()
    n = len({x for s, t, _ in sd.optimum + sd.reference for x in (s, t)})
    h = min(6.0, max(2.6, 0.28 * n))
    with plt.rc_context({"font.size": 7}):
        fig, axes = plt.subplots(1, 2, figsize=(width_in, h + 0.6))
        ref = [{"source": s, "target": t, "value": v, "added": False} for s, t, v in sd.reference]
        _sankey_ax(axes[0], sd, ref, "reference (observed pattern)")
        _sankey_ax(axes[1], sd, changes(sd), "optimum (blue = more than in the reference)")
        fig.suptitle(title, fontsize=9)
        fig.text(0.01, 0.01, "Route = last leg into the market. Supply shares of a route assume flows mix at "
                             "junctions; route and market totals are exact. Band height ∝ volume "
                             f"({sd.unit}).", fontsize=5.5, color="0.35")
        fig.subplots_adjust(left=0.01, right=0.99, top=1 - 0.45 / (h + 0.6), bottom=0.2 / (h + 0.6), wspace=0.06)
        return _png(fig, dpi)


def compare_png(cmp: pd.DataFrame, dpi: int = 150, width_in: float = 7.0) -> bytes:
    """Headline results of several scenarios: per commodity, a bar per scenario of the volume
    redirected (dark: taken from the ``from`` markets) and a mark at the maximum."""
    plt = _plt()
    ok = cmp[cmp["status"] == "optimal"].copy()
    coms = [c for c in COMMODITY_ORDER if c in set(ok["commodity"])
            and col(ok[ok["commodity"] == c], "to_optimized", "max_to").abs().max() > 1e-9]
    scen = list(dict.fromkeys(cmp["scenario"]))
    bad = [s for s in scen if s not in set(ok["scenario"])]
    omitted = [c for c in COMMODITY_ORDER if c in set(ok["commodity"]) and c not in coms]
    h = 0.9 + 0.22 * len(scen)
    with plt.rc_context({"font.size": 7.5}):
        fig, axes = plt.subplots(1, max(1, len(coms)), figsize=(width_in, h + 1.0), squeeze=False, sharey=True)
        for ax, c in zip(axes[0], coms):
            sub = ok[ok["commodity"] == c].set_index("scenario").reindex(scen)
            y = list(range(len(scen)))[::-1]
            frm = col(sub, "from_redirect_markets", "from_cn").fillna(0.0)
            red = col(sub, "redirected").fillna(0.0)
            mx = col(sub, "to_optimized", "max_to")
            ax.barh(y, frm, color=COLORS[c], height=0.6, label="redirected: taken from the from-markets")
            ax.barh(y, red - frm, left=frm, color=LIGHT[c], height=0.6, label="redirected: from others")
            ax.plot(mx, y, "|", color="black", ms=9, mew=1.6, label="max to the to-markets")
            ax.set_yticks(y, scen)
            ax.set_title("LNG" if c == "lng" else c)
            ax.set_xlabel(unit_of(c))
            ax.grid(axis="x", alpha=0.3)
            ax.set_xlim(0, max(1e-6, float(mx.max()) if mx.notna().any() else 1) * 1.1)
        if not coms:
            axes[0][0].set_axis_off()
            axes[0][0].text(0.5, 0.5, "nothing can reach the to-markets in any scenario", ha="center")
        handles, labels = axes[0][0].get_legend_handles_labels()
        if handles:
            fig.legend(handles, labels, loc="lower center", ncol=3, frameon=False, fontsize=7)
        notes = [f"{c}: nothing can reach the to-markets in any scenario; panel omitted." for c in omitted]
        notes += [f"{s}: infeasible (contracts cannot all be met)" for s in bad]
        if notes:
            fig.text(0.01, 0.99, " ".join(notes), fontsize=6, color="0.35", va="top")
        fig.subplots_adjust(left=0.28, right=0.98, bottom=0.55 / (h + 1.0) + 0.1, top=1 - 0.45 / (h + 1.0),
                            wspace=0.08)
        return _png(fig, dpi)
