"""What stops more: the max-flow/min-cut bound of a commodity, independent of the LP duals.

A networkx max-flow from the commodity's origins to the ``to`` markets (capacities
of the year, no contracts) bounds what the LP can send.  If the LP reaches that
bound, the min cut names the assets that stop more; if not, contracts hold volume
back (:func:`chain_contracts` names the ones that can).
"""

from __future__ import annotations

import math

import networkx as nx
from networkx.algorithms.flow import boykov_kolmogorov

from .formulation import Formulation, YearBounds
from .units import LNG_MT_PER_BCM, unit_of
from .vocabulary import LIQUEFACTION, MARKET

#: Words for the kind of a limiting asset (arc mode or node kind).
KIND_WORDS = {"pipeline": "pipeline", "rail": "rail", "tanker": "shipping", "lng_carrier": "shipping",
              "terminal": "port", "liquefaction": "liquefaction", "supply": "supply", "junction": "junction",
              "market": "market"}

_NODE_WHAT = {"supply": "output", "liquefaction": "LNG output", "terminal": "throughput",
              "junction": "throughput", "market": "absorption"}


def describe(form: Formulation, kind: str, ref) -> str:
    """Words for a constraint's subject: ``kind`` is ``node``, ``arc``, ``contract`` or ``contract_max``."""
    sets = form.sets
    if kind == "contract_max":
        return f"contract maximum {ref}"
    if kind == "arc":
        a = sets.arcs.loc[ref]
        return f"{a['commodity']} {a['mode']} {ref} ({a['from']} -> {a['to']})"
    if kind == "contract":
        c = sets.contracts.loc[ref]
        return f"contract {ref} ({'; '.join(c['sellers'])} -> {c['buyer']})"
    k = sets.nodes.at[ref, "kind"]
    return f"{k} {ref} {_NODE_WHAT[k]}"


def chain_contracts(form: Formulation, commodity: str) -> set[str]:
    """Contracts (ids, and ``sellers->buyer`` labels of contract groups) that can hold
    back ``commodity``: its own, and for LNG the gas contracts of origins whose gas can
    reach a liquefaction plant."""
    sets = form.sets
    con = sets.contracts
    keep = con["commodity"] == commodity
    if commodity == "lng":
        f = sets.flow
        feeds = set(f.loc[f["head"].map(sets.nodes["kind"]) == LIQUEFACTION, "origin"])
        keep |= (con["commodity"] == "gas") & con["sellers"].map(lambda s: bool(feeds & set(s)))
    chosen = con[keep]
    return set(chosen.index) | {f"{g[0]}->{g[1]}" for g in chosen["group"]}


def _fmt(c: float, com: str) -> str:
    return "(no limit)" if math.isinf(c) else f"({c:g} {unit_of(com)})"


def max_flow_bound(form: Formulation, b: YearBounds, commodity: str, to: frozenset[str] | set[str]
                   ) -> tuple[float, list[tuple[str, str]]]:
    """Max flow of ``commodity`` from its origins to the ``to`` markets, ignoring
    contracts, and the min-cut elements ``(kind, description)`` that limit it
    (kind: pipeline, rail, shipping, port, liquefaction, supply, junction, market).

    For LNG the sources are the gas supply nodes feeding the liquefaction plants, with
    gas capacities converted to Mt LNG (x 0.735), so feed gas can be the limit."""
    sets = form.sets
    node_cap = b.data.node_series(b.data.node_limit)
    arc_cap = b.data.arc_series(b.data.arc_capacity)
    G = nx.DiGraph()
    src, sink = "__source__", "__sink__"

    def add(u, v, c, label, kind=""):
        if c == 0:
            return
        attrs = {"label": label, "kind": kind}
        if not math.isinf(c):
            attrs["capacity"] = c
        G.add_edge(u, v, **attrs)

    # LNG: the feed-gas network is included, its capacities scaled to LNG-equivalent
    # (x 0.735 Mt per bcm), so a plant is bounded by the gas that can reach it too.
    gas_feed = commodity == "lng"
    scale = {commodity: 1.0, "gas": LNG_MT_PER_BCM} if gas_feed else {commodity: 1.0}
    # A node is split into (n, "in") -> (n, "out") only when its throughput is limited;
    # otherwise it is one graph node (a smaller graph: networkx max-flow is pure Python).
    head_of: dict[str, object] = {}
    tail_of: dict[str, object] = {}
    for n, row in sets.nodes.iterrows():
        kind, com = row["kind"], row["commodity"]
        if com not in scale or (gas_feed and com == "gas" and kind == MARKET):
            continue  # gas markets are not sinks of the LNG chain
        c = float(node_cap[n])
        label = describe(form, "node", n) + f" {_fmt(c, com)}"
        f = scale[com]
        head_of[n] = tail_of[n] = n
        if kind == "supply" or (kind == LIQUEFACTION and not gas_feed):
            add(src, n, c * f, label, KIND_WORDS[kind])
        elif kind == MARKET:
            if row["country"] in to:
                add(n, sink, c, label, "market")
        elif not math.isinf(c):
            head_of[n], tail_of[n] = (n, "in"), (n, "out")
            add((n, "in"), (n, "out"), c * f, label, KIND_WORDS[kind])
    node_com = sets.nodes["commodity"]
    for a, row in sets.arcs.iterrows():
        com = row["commodity"]
        if com not in scale or node_com[row["from"]] != com or row["to"] not in head_of:
            continue  # e.g. gas into a plant when bounding pipeline gas
        c = float(arc_cap[a])
        u, v = tail_of[row["from"]], head_of[row["to"]]
        label = describe(form, "arc", a) + f" {_fmt(c, com)}"
        if G.has_edge(u, v):  # a parallel arc: route it through its own node
            add(u, ("arc", a), c * scale[com], label, KIND_WORDS[row["mode"]])
            add(("arc", a), v, math.inf, "")
        else:
            add(u, v, c * scale[com], label, KIND_WORDS[row["mode"]])
    if src not in G or sink not in G:
        return 0.0, []
    try:
        value, (S, T) = nx.minimum_cut(G, src, sink, flow_func=boykov_kolmogorov)
    except nx.NetworkXUnbounded:
        return math.inf, []
    cut = sorted((G.edges[u, v]["kind"], G.edges[u, v]["label"])
                 for u in S for v in G.successors(u) if v in T and G.edges[u, v]["label"])
    return float(value), cut
