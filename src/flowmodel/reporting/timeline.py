"""The timeline chart, twice: a matplotlib PNG and a plotly figure with the same content.

Per commodity with anything to show (a commodity with no route to the ``to`` markets in
any year gets a note instead of an empty panel): bars of the volume redirectable by
year, split into the part taken from the ``from`` markets (dark) and the rest (light:
other markets, spare supply); a line for the most the ``to`` markets can receive;
infeasible years shaded and listed under the chart.  Year ticks are whole years.
"""

from __future__ import annotations

from typing import Any

import io
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..units import unit_of
from .view import COLORS, LIGHT, col
from ..vocabulary import COMMODITY_ORDER

TOL = 1e-9
RC: Any = {"font.size": 8, "axes.titlesize": 9, "legend.fontsize": 7.5}


@dataclass
class TimelineView:
    commodities: list[str]
    data: dict[str, pd.DataFrame]  # per commodity: year, from_src, rest, max_to, limiting
    infeasible: list[tuple[int, str]]
    notes: list[str]
    title: str
    src: str
    dst: str
    years: list[int]
    unobserved: dict[str, list[int]]  # per commodity: years resting on projections or capacities


def timeline_view(df: pd.DataFrame, scenario) -> TimelineView:
    src = ", ".join(scenario.redirect.from_)
    dst = ", ".join(scenario.redirect.to)
    ok = df[df["status"] == "optimal"]
    years = sorted(int(y) for y in df["year"].unique())
    bad = df[df["status"] != "optimal"].drop_duplicates("year")
    infeasible = [(int(r["year"]), str(r["limiting_factor"])) for _, r in bad.iterrows()]
    coms, data, notes = [], {}, []
    span = f"{years[0]}–{years[-1]}" if years else ""
    for c in COMMODITY_ORDER:
        sub = ok[ok["commodity"] == c].sort_values("year")
        if sub.empty:
            continue
        red = col(sub, "redirectable", "redirected").fillna(0.0).to_numpy()
        from_src = col(sub, "from_redirect_markets", "from_cn").fillna(0.0).to_numpy()
        max_to = col(sub, "to_optimized", "max_to").fillna(0.0).to_numpy()
        phys = sub["max_to_physical"].fillna(0.0).to_numpy() if "max_to_physical" in sub else max_to
        if max(abs(red).max(), abs(max_to).max()) <= TOL:
            kinds = sorted(set(col(sub, "limited_by", "limiting_kind").dropna().astype(str)))
            notes.append(f"{c}: nothing can reach {dst} in any feasible year of {span}"
                         + (f" (limited by: {', '.join(kinds)})" if kinds else "") + "; panel omitted.")
            continue
        coms.append(c)
        d = pd.DataFrame({"year": sub["year"].astype(int).to_numpy(), "from_src": from_src,
                                "rest": red - from_src, "max_to": max_to,
                          "physical": np.where(np.abs(phys - max_to) > 1e-6, phys, np.nan),
                          "limiting": col(sub, "limiting_factor", "limited_by").fillna("").astype(str).to_numpy()})
        # every year of the range, NaN where there is no result (infeasible): lines break there
        data[c] = d.set_index("year").reindex(years).rename_axis("year").reset_index()
    for y, why in infeasible:
        notes.append(f"{y}: infeasible — {why}")
    unobserved: dict[str, list[int]] = {}
    if "supply_basis" in ok and "reference_basis" in ok:
        for c in coms:
            shown = ok[ok["commodity"] == c]
            weak = shown["supply_basis"].astype(str).str.contains("capacity|projection") | \
                shown["reference_basis"].astype(str).isin(["projection", "none"])
            if weak.any():
                unobserved[c] = sorted(int(y) for y in set(shown.loc[weak, "year"]))
        for c, ys in unobserved.items():
            notes.append(f"dotted ({c if c != 'lng' else 'LNG'}): {_years_text(ys)} rest partly on projections or "
                         "capacities (no recorded output or observed deliveries): bounds, not estimates")
    title = (f"{scenario.name}: volume redirectable from {src} to {dst} by year "
             f"(supply = {scenario.supply})")
    return TimelineView(coms, data, infeasible, notes, title, src, dst, years, unobserved)


def _years_text(years: list[int]) -> str:
    """2009, 2025-2030 style."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def _year_step(years: list[int]) -> int:
    span = (max(years) - min(years)) if years else 1
    for step in (1, 2, 5, 10, 20, 50):
        if span / step <= 8:
            return step
    return 100


def timeline_png(df: pd.DataFrame, scenario, dpi: int = 150, width_in: float = 7.0) -> bytes:
    """The timeline as PNG bytes: ``width_in`` inches wide (7 in fits an A4/Letter text width)."""
    import matplotlib.pyplot as plt

    with plt.rc_context(RC):  # ticks are made at draw time: same sizes as the figure's text
        fig = timeline_mpl(df, scenario, width_in)
        buf = io.BytesIO()
        try:
            fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
        finally:
            plt.close(fig)
    return buf.getvalue()


def timeline_mpl(df: pd.DataFrame, scenario, width_in: float = 7.0):
    """The matplotlib figure of :func:`timeline_png` (the caller closes it)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FormatStrFormatter, MaxNLocator, MultipleLocator

    tv = timeline_view(df, scenario)
    n = max(1, len(tv.commodities))
    with plt.rc_context(RC):
        notes = "\n".join(_wrap(t, int(width_in * 19)) for t in tv.notes)
        n_notes = notes.count("\n") + 1 if notes else 0
        leg_rows = 1 if width_in >= 6.5 and not (tv.unobserved and tv.infeasible) else 2
        if tv.unobserved and width_in < 9:
            leg_rows = 2
        title = _wrap(tv.title, int(width_in * 15))
        top_in = 0.3 + 0.16 * title.count("\n") + 0.25
        bottom_in = 0.5 + 0.2 * leg_rows + 0.12 * n_notes + 0.1
        height = top_in + 2.5 + bottom_in
        fig, axes = plt.subplots(1, n, figsize=(width_in, height), squeeze=False)
        fig.subplots_adjust(left=0.6 / width_in, right=1 - 0.15 / width_in, top=1 - top_in / height,
                            bottom=bottom_in / height, wspace=0.75 / (width_in / n))
        step = _year_step(tv.years)
        for ax, c in zip(axes[0], tv.commodities):
            d = tv.data[c]
            ax.bar(d["year"], d["from_src"], color=COLORS[c], width=0.8, label=f"taken from {tv.src}")
            ax.bar(d["year"], d["rest"], bottom=d["from_src"].where(d["rest"] >= 0, 0.0), color=LIGHT[c], width=0.8,
                   label="from other markets / spare supply")
            ax.plot(d["year"], d["max_to"], color="black", lw=1.1, marker=".", ms=4, label=f"most {tv.dst} can receive")
            if d["physical"].notna().any():
                ax.plot(d["year"], d["physical"], color="black", lw=1.0, ls="--", marker="x", ms=3,
                        label="the same without policies")
            top = max(d["max_to"].max(), d["physical"].max() if d["physical"].notna().any() else 0,
                      (d["from_src"] + d["rest"].clip(lower=0)).max(), 1e-6)
            ax.set_ylim(0, top * 1.12)
            for y, _ in tv.infeasible:
                ax.axvspan(y - 0.5, y + 0.5, facecolor="0.93", edgecolor="0.6", hatch="///", linewidth=0)
            for y in tv.unobserved.get(c, []):
                ax.axvspan(y - 0.5, y + 0.5, facecolor="none", edgecolor="0.55", hatch="..", linewidth=0, zorder=3)
            ax.set_title(c if c != "lng" else "LNG")
            ax.set_ylabel(unit_of(c))
            ax.set_xlabel("year")
            ax.xaxis.set_major_locator(MultipleLocator(step))
            ax.xaxis.set_major_formatter(FormatStrFormatter("%d"))
            ax.yaxis.set_major_locator(MaxNLocator(6))
            if tv.years:
                ax.set_xlim(min(tv.years) - 0.7, max(tv.years) + 0.7)
            ax.grid(axis="y", alpha=0.3)
        if not tv.commodities:
            axes[0][0].set_axis_off()
            axes[0][0].text(0.5, 0.5, "nothing to draw: " + ("no feasible year" if not len(
                df[df["status"] == "optimal"]) else f"nothing can reach {tv.dst}"), ha="center", va="center")
        handles, labels = [], []
        for ax in axes[0]:  # every panel's entries once (a policy line may show in one panel only)
            for h_, l_ in zip(*ax.get_legend_handles_labels()):
                if l_ not in labels:
                    handles.append(h_)
                    labels.append(l_)
        if tv.infeasible and tv.commodities:
            handles.append(Patch(facecolor="0.93", hatch="///", edgecolor="0.6", lw=0))
            labels.append("infeasible year")
        if tv.unobserved and tv.commodities:
            handles.append(Patch(facecolor="none", hatch="..", edgecolor="0.55", lw=0))
            labels.append("projection / capacity year")
        fig.suptitle(title, fontsize=9, y=1 - 0.08 / height, va="top")
        if handles:
            fig.legend(handles, labels, loc="upper center", ncol=math.ceil(len(handles) / leg_rows), frameon=False,
                       bbox_to_anchor=(0.5, (0.12 * n_notes + 0.1 + 0.2 * leg_rows + 0.08) / height))
        if notes:
            fig.text(0.6 / width_in / 2, 0.06 / height, notes, ha="left", va="bottom", fontsize=6.5, color="0.3")
    return fig


def _wrap(text: str, width: int) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width)) or text


def timeline_figure(df: pd.DataFrame, scenario) -> dict:
    """The same chart as :func:`timeline_png` as a plotly figure (plain dict)."""
    tv = timeline_view(df, scenario)
    n = max(1, len(tv.commodities))
    gap = 0.07
    w = (1 - gap * (n - 1)) / n
    data: list = []
    layout: dict[str, Any] = {
        "title": {"text": tv.title, "font": {"size": 14}}, "barmode": "relative", "height": 430,
        "margin": {"l": 60, "r": 20, "t": 70, "b": 110}, "hovermode": "x unified",
        "legend": {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.22, "yanchor": "top"},
        "annotations": [], "shapes": [], "plot_bgcolor": "white", "template": {},
    }
    step = _year_step(tv.years)
    for i, c in enumerate(tv.commodities, start=1):
        d = tv.data[c]
        xa, ya = f"x{i if i > 1 else ''}", f"y{i if i > 1 else ''}"
        unit = unit_of(c)
        lim = [_wrap(t, 80).replace("\n", "<br>") for t in d["limiting"]]
        data += [
            {"type": "bar", "x": d["year"].tolist(), "y": d["from_src"].round(4).tolist(), "xaxis": xa, "yaxis": ya,
             "name": f"taken from {tv.src}", "marker": {"color": COLORS[c]}, "legendgroup": "src",
             "showlegend": i == 1, "hovertemplate": f"%{{y:.2f}} {unit} from {tv.src}<extra>{c}</extra>"},
            {"type": "bar", "x": d["year"].tolist(), "y": d["rest"].round(4).tolist(), "xaxis": xa, "yaxis": ya,
             "name": "from other markets / spare supply", "marker": {"color": LIGHT[c]}, "legendgroup": "rest",
             "showlegend": i == 1, "customdata": lim,
             "hovertemplate": f"%{{y:.2f}} {unit} from others<br>limited by: %{{customdata}}<extra>{c}</extra>"},
            {"type": "scatter", "mode": "lines+markers", "x": d["year"].tolist(), "y": d["max_to"].round(4).tolist(),
             "xaxis": xa, "yaxis": ya, "name": f"most {tv.dst} can receive", "line": {"color": "black", "width": 1.5},
             "marker": {"size": 5}, "legendgroup": "max", "showlegend": i == 1,
             "hovertemplate": f"max %{{y:.2f}} {unit}<extra>{c}</extra>"},
        ]
        if d["physical"].notna().any():
            data.append({"type": "scatter", "mode": "lines+markers", "x": d["year"].tolist(),
                         "y": [None if v != v else round(float(v), 4) for v in d["physical"]], "xaxis": xa, "yaxis": ya,
                         "name": "the same without policies", "line": {"color": "black", "width": 1, "dash": "dash"},
                         "marker": {"size": 4}, "legendgroup": "phys", "showlegend": True,
                         "hovertemplate": f"without policies %{{y:.2f}} {unit}<extra>{c}</extra>"})
        top = max(d["max_to"].max(), (d["from_src"] + d["rest"].clip(lower=0)).max(), 1e-6) * 1.12
        dom = [round((i - 1) * (w + gap), 4), round((i - 1) * (w + gap) + w, 4)]
        layout[f"xaxis{i if i > 1 else ''}"] = {
            "domain": dom, "anchor": ya, "title": {"text": "year"}, "tickformat": "d", "dtick": step,
            "range": [min(tv.years) - 0.7, max(tv.years) + 0.7] if tv.years else None, "showline": True,
            "linecolor": "#444"}
        layout[f"yaxis{i if i > 1 else ''}"] = {
            "anchor": xa, "title": {"text": unit}, "range": [0, round(top, 4)], "gridcolor": "#e5e5e5",
            "showline": True, "linecolor": "#444", "rangemode": "tozero"}
        layout["annotations"].append({"text": f"<b>{c if c != 'lng' else 'LNG'}</b>", "xref": "paper", "yref": "paper",
                                      "x": (dom[0] + dom[1]) / 2, "y": 1.02, "xanchor": "center", "yanchor": "bottom",
                                      "showarrow": False})
        for y, _ in tv.infeasible:
            layout["shapes"].append({"type": "rect", "xref": xa, "yref": f"{ya} domain", "x0": y - 0.5, "x1": y + 0.5,
                                     "y0": 0, "y1": 1, "fillcolor": "rgba(0,0,0,0.12)", "line": {"width": 0},
                                     "layer": "below"})
            layout["annotations"].append({"text": "infeasible", "xref": xa, "yref": f"{ya} domain", "x": y, "y": 0.5,
                                          "textangle": -90, "showarrow": False, "font": {"size": 10, "color": "#555"}})
    return {"data": data, "layout": layout, "notes": tv.notes}

