"""Supply -> route -> market flows of one commodity, from the arc flows of a result.

The model gives flows per arc, not per path.  A path split is found by proportional
tracing: each node passes on what it receives in the shares it receives it (inflows
mix), walking the arcs in topological order.  ``route`` is the last leg into the
market: its tail node and mode (e.g. "Kozmino (tanker)").  Gas that feeds an LNG plant
ends at that plant ("feed gas").  The split is a presentation of the flows, not a
model result: the totals per route and per market are exact, the supply->route shares
assume mixing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter

import pandas as pd

from .view import MODE_WORD, short

TOL = 1e-9


@dataclass
class SankeyData:
    """Columns ``supply``, ``route`` and ``market`` as labels; links with values."""

    commodity: str
    unit: str
    labels: list[str]
    column: list[int]                      # 0 supply, 1 route, 2 market
    hover: list[str]
    reference: list[tuple[int, int, float]] = field(default_factory=list)
    optimum: list[tuple[int, int, float]] = field(default_factory=list)
    traced: bool = True                    # False when the flows have a cycle (route -> market only)


def _trace(flows: pd.DataFrame, column: str, sources: set[str]) -> dict[str, dict[str, float]]:
    """Share of each source in what every node passes on."""
    ts: TopologicalSorter = TopologicalSorter()
    for _, r in flows.iterrows():
        ts.add(r["to"], r["from"])
    comp: dict[str, dict[str, float]] = {}
    for n in ts.static_order():
        ins = flows[(flows["to"] == n) & (flows[column] > TOL)]
        total = float(ins[column].sum())
        if n in sources or total <= TOL:
            comp[n] = {n: 1.0}
            continue
        mix: dict[str, float] = {}
        for _, a in ins.iterrows():
            for s, share in comp.get(a["from"], {a["from"]: 1.0}).items():
                mix[s] = mix.get(s, 0.0) + share * float(a[column]) / total
        comp[n] = mix
    return comp


def sankey_data(result, net_nodes: pd.DataFrame, modes: dict[str, str], commodity: str) -> SankeyData | None:
    """Sankey of ``commodity`` for ``result`` (None when the commodity has no flow);
    ``net_nodes``: the network's nodes, ``modes``: arc id -> mode."""
    fl = result.flows
    fl = fl[fl["commodity"] == commodity].copy()
    if "reference_flow" not in fl.columns:
        fl["reference_flow"] = float("nan")
    fl["reference_flow"] = fl["reference_flow"].fillna(0.0)
    if fl.empty or (fl["flow"].abs().sum() + fl["reference_flow"].abs().sum()) <= TOL:
        return None
    nodes = net_nodes.drop_duplicates("id").set_index("id")
    role = {c: "from" for c in result.scenario.redirect.from_} | {c: "to" for c in result.scenario.redirect.to}
    kind = nodes["kind"].to_dict()
    ncom = nodes["commodity"].to_dict()
    heads = set(fl["to"])
    tails = set(fl["from"])
    sources = {n for n in tails if n not in heads}
    sinks = {n for n in heads if kind.get(n) == "market" or ncom.get(n) != commodity or n not in tails}
    unit = str(fl["unit"].iloc[0])

    labels: list[str] = []
    column: list[int] = []
    hover: list[str] = []
    index: dict[tuple[int, str], int] = {}

    def node(col: int, key: str, label: str, tip: str) -> int:
        if (col, key) not in index:
            index[(col, key)] = len(labels)
            labels.append(label)
            column.append(col)
            hover.append(tip)
        return index[(col, key)]

    def market(n: str) -> int:
        if kind.get(n) == "market":
            c = str(nodes.at[n, "country"])
            r = role.get(c, "")
            return node(2, c, f"{c}{' (' + r + ')' if r else ''}", f"market {c}: {', '.join(sorted(_ids(fl, c, nodes)))}")
        name = short(str(nodes.at[n, "name"])) if n in nodes.index else n
        return node(2, n, f"{name} (feed gas)" if ncom.get(n) == "lng" else name, f"{n}")

    def route(a) -> int:
        t = a["from"]
        mode = MODE_WORD.get(str(a.get("mode", "")), str(a.get("mode", "")))
        name = short(str(nodes.at[t, "name"])) if t in nodes.index else t
        if t in sources:  # a supply that delivers directly
            return node(1, f"{t}|{mode}", f"{name} ({mode}, direct)", f"{t}, {mode}")
        return node(1, f"{t}|{mode}", f"{name} ({mode})", f"from {t} by {mode}")

    def supply(n: str) -> int:
        name = short(str(nodes.at[n, "name"])) if n in nodes.index else n
        return node(0, n, name, f"{n}: {kind.get(n, '')}")

    data = SankeyData(commodity, unit, labels, column, hover)
    last = fl[fl["to"].isin(sinks)].copy()
    last["mode"] = last["arc"].map(modes).fillna("")
    for which, colname in (("reference", "reference_flow"), ("optimum", "flow")):
        try:
            comp = _trace(fl, colname, sources)
        except CycleError:
            comp = None
            data.traced = False
        links: dict[tuple[int, int], float] = {}
        for _, a in last.iterrows():
            v = float(a[colname])
            if v <= TOL:
                continue
            r, m = route(a), market(a["to"])
            links[(r, m)] = links.get((r, m), 0.0) + v
            if comp is not None:
                for s, share in comp.get(a["from"], {a["from"]: 1.0}).items():
                    if share * v > TOL:
                        key = (supply(s), r)
                        links[key] = links.get(key, 0.0) + share * v
        setattr(data, which, [(s, t, round(v, 6)) for (s, t), v in sorted(links.items())])
    return data


def _ids(fl: pd.DataFrame, country: str, nodes: pd.DataFrame) -> set[str]:
    return {n for n in fl["to"] if n in nodes.index and nodes.at[n, "country"] == country}


def changes(data: SankeyData) -> list[dict]:
    """Optimum links split into the part also in the reference and the part added to it
    (what the optimum sends on a link beyond the reference: the redirected volume)."""
    ref = {(s, t): v for s, t, v in data.reference}
    out = []
    for s, t, v in data.optimum:
        r = ref.get((s, t), 0.0)
        kept, added = min(v, r), max(0.0, v - r)
        if kept > TOL:
            out.append({"source": s, "target": t, "value": round(kept, 6), "added": False, "reference": r})
        if added > TOL:
            out.append({"source": s, "target": t, "value": round(added, 6), "added": True, "reference": r})
    return out
