"""Charts of timeline results: a PNG for reports and a self-contained interactive HTML.

Both work offline: matplotlib's Agg backend, and plotly with its JavaScript inlined
(no CDN).  Functions return bytes/str so callers can write them atomically.
"""

from __future__ import annotations

import io

import pandas as pd

from .units import unit_of

COLORS = {"crude": "#8c510a", "gas": "#01665e", "lng": "#5ab4ac"}


def _wide(df: pd.DataFrame) -> pd.DataFrame:
    ok = df[df["status"] == "optimal"]
    return ok.pivot_table(index="year", columns="commodity", values="redirectable", aggfunc="first")


def _title(s) -> str:
    return (f"{s.name}: volume redirectable from {', '.join(s.redirect.from_)} to {', '.join(s.redirect.to)} "
            f"(supply={s.supply})")


def timeline_png(df: pd.DataFrame, scenario) -> bytes:
    """Small multiples, one panel per commodity, redirectable volume by year (PNG bytes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ok = df[df["status"] == "optimal"]
    coms = [c for c in ("crude", "gas", "lng") if c in set(ok["commodity"])]
    fig, axes = plt.subplots(1, max(1, len(coms)), figsize=(4.4 * max(1, len(coms)), 3.8), squeeze=False)
    src = ", ".join(scenario.redirect.from_)
    for ax, c in zip(axes[0], coms):
        sub = ok[ok["commodity"] == c].sort_values("year")
        from_src = sub["from_redirect_markets"].fillna(0.0)
        rest = sub["redirectable"].fillna(0.0) - from_src
        ax.bar(sub["year"], from_src, color=COLORS[c], label=f"redirected from {src}")
        ax.bar(sub["year"], rest, bottom=from_src.where(rest >= 0, 0.0), color=COLORS[c], alpha=0.35,
               label="from other markets / spare supply")
        ax.plot(sub["year"], sub["max_to"], color="black", lw=1.2, marker=".",
                label=f"max to {', '.join(scenario.redirect.to)}")
        if (sub["max_to"].fillna(0.0) <= 0).all():
            ax.set_ylim(0, 1)
            ax.text(0.5, 0.5, f"no {c} route to {', '.join(scenario.redirect.to)}\nin any year",
                    transform=ax.transAxes, ha="center", va="center", color="0.4")
        ax.set_title(c)
        ax.set_ylabel(unit_of(c))
        ax.grid(axis="y", alpha=0.3)
        ax.set_xlabel("year")
    if coms:
        axes[0][0].legend(fontsize=7, loc="upper left")
    else:
        axes[0][0].text(0.5, 0.5, "no feasible year", transform=axes[0][0].transAxes, ha="center")
    fig.suptitle(_title(scenario), fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def timeline_html(df: pd.DataFrame, scenario) -> str:
    """Interactive chart with hover text (limiting factor), plotly.js inlined."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    wide = _wide(df)
    coms = [c for c in ("crude", "gas", "lng") if c in wide.columns]
    fig = make_subplots(rows=1, cols=max(1, len(coms)), subplot_titles=[f"{c} ({unit_of(c)})" for c in coms])
    ok = df[df["status"] == "optimal"]
    for i, c in enumerate(coms, start=1):
        sub = ok[ok["commodity"] == c]
        fig.add_trace(go.Bar(x=sub["year"], y=sub["redirectable"], name=c, marker_color=COLORS[c],
                             customdata=sub["limiting_factor"],
                             hovertemplate="%{x}: %{y:.2f} " + unit_of(c) + "<br>%{customdata}<extra></extra>"),
                      row=1, col=i)
    fig.update_layout(title=_title(scenario), showlegend=False, height=420, width=420 * max(1, len(coms)))
    return fig.to_html(include_plotlyjs=True, full_html=True, div_id="flowmodel-timeline")
