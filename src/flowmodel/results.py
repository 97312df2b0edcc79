"""Result tables of a solved year: summary, redirect decomposition, flows, constraints.

Decomposition (per commodity, volumes against the reference flow):
``redirected = from_redirect_markets + from_other_markets + from_spare_supply`` where
``from_redirect_markets`` = fall in deliveries to the ``from`` markets,
``from_other_markets`` = fall in deliveries to every other market, and
``from_spare_supply`` = rise in total deliveries of the commodity.  The identity is
exact because every delivery belongs to exactly one of the three groups.

The limiting factor is found independently of the LP duals: a networkx max-flow
from the commodity's origins to the ``to`` markets (capacities of the year, no
contracts) bounds what the LP can send.  If the LP reaches that bound, the min cut
names the assets that stop more; if not, contracts hold volume back.
"""

from __future__ import annotations

import math

import networkx as nx
from networkx.algorithms.flow import boykov_kolmogorov
import numpy as np
import pandas as pd

from .model import FlowModel
from .solve import YearSolution
from .units import COMMODITIES, LNG_MT_PER_BCM, pj_per_unit, unit_of

TOL = 1e-6


def arc_flows(fm: FlowModel, x: np.ndarray) -> pd.Series:
    """Total flow per arc id (canonical unit)."""
    xs = x[: fm.n_x]
    s = pd.Series(xs, index=fm.cols["arc"].iloc[: fm.n_x].to_numpy()).groupby(level=0, sort=False).sum()
    return s.reindex(fm.arc_ids, fill_value=0.0)


def deliveries(fm: FlowModel, x: np.ndarray) -> pd.Series:
    """Deliveries per (country, commodity) delivery key."""
    flows = arc_flows(fm, x)
    out = {k: 0.0 for k in fm.delivery_keys}
    for a, f in flows.items():
        h = fm.arc_head[a]
        if fm.node_kind[h] == "market":
            out[(fm.node_country[h], fm.node_com[h])] += f
    return pd.Series(out)


def _clean(v: float) -> float:
    """Round solver noise away: 6 decimals of the canonical unit (1 t or 1000 m3 per year)."""
    v = float(v)
    return 0.0 if abs(v) < 5e-7 else round(v, 6)


def _pj(volume: float, commodity: str) -> float:
    """PJ of a (cleaned) volume, rounded to 4 decimals."""
    return round(_clean(volume) * pj_per_unit(commodity), 4) + 0.0


def contracted(fm: FlowModel, sol: YearSolution) -> dict[tuple[str, str], float]:
    """Sum of active contract minimums per (buyer country, commodity)."""
    out: dict[tuple[str, str], float] = {}
    for c, r in fm.contract_row_index.items():
        lo = sol.bounds.row_lower[r]
        if lo > 0 and not math.isinf(lo):
            key = (fm.node_country[fm.contract_buyer[c]], fm.contract_com[c])
            out[key] = out.get(key, 0.0) + lo
    return out


def summary_table(fm: FlowModel, sol: YearSolution, red_from: set[str], red_to: set[str]) -> pd.DataFrame:
    """One row per commodity and market country."""
    ref = deliveries(fm, sol.reference.x)
    opt = deliveries(fm, sol.optimum.x)
    con = contracted(fm, sol)
    rows = []
    for key in sorted(fm.delivery_keys, key=lambda k: (list(COMMODITIES).index(k[1]), k[0])):
        country, com = key
        obs = sol.bounds.observed.get(key)
        role = "from" if country in red_from else "to" if country in red_to else "other"
        rows.append({
            "commodity": com, "country": country, "role": role,
            "baseline": _clean(obs[2]) if obs else float("nan"),
            "reference": _clean(ref[key]), "contracted": _clean(con.get(key, 0.0)),
            "optimized": _clean(opt[key]), "change": _clean(opt[key] - ref[key]),
            "unit": unit_of(com), "optimized_pj": _pj(opt[key], com),
            "change_pj": _pj(_clean(opt[key]) - _clean(ref[key]), com),
        })
    return pd.DataFrame(rows)


def flows_table(fm: FlowModel, sol: YearSolution) -> pd.DataFrame:
    """One row per arc in service: flow, capacity, utilization."""
    opt = arc_flows(fm, sol.optimum.x)
    ref = arc_flows(fm, sol.reference.x)
    rows = []
    for a in fm.arc_ids:
        cap = sol.bounds.capacity[("arc", a)]
        if cap == 0.0 and opt[a] < TOL:
            continue  # not in service this year
        rows.append({
            "arc": a, "from": fm.arc_tail[a], "to": fm.arc_head[a], "commodity": fm.arc_com[a],
            "flow": _clean(opt[a]), "reference_flow": _clean(ref[a]),
            "capacity": cap if not math.isinf(cap) else float("nan"),
            "utilization": _clean(opt[a] / cap) if 0 < cap < math.inf else float("nan"),
            "unit": unit_of(fm.arc_com[a]),
        })
    return pd.DataFrame(rows)


def _describe(fm: FlowModel, kind: str, ref) -> str:
    if kind == "contract_max":
        return f"contract maximum {ref}"
    if kind == "arc":
        return f"{fm.arc_com[ref]} {_mode(fm, ref)} {ref} ({fm.arc_tail[ref]} -> {fm.arc_head[ref]})"
    if kind == "contract":
        return f"contract {ref} ({'; '.join(fm.contract_sellers[ref])} -> {fm.contract_buyer[ref]})"
    k = fm.node_kind[ref]
    what = {"supply": "output", "liquefaction": "LNG output", "terminal": "throughput",
            "junction": "throughput", "market": "absorption"}[k]
    return f"{k} {ref} {what}"


def _mode(fm: FlowModel, a: str) -> str:
    return fm.arc_mode[a]


def constraints_table(fm: FlowModel, sol: YearSolution) -> pd.DataFrame:
    """Binding capacity and contract rows at stage O1 with their marginal values.

    ``marginal_pj``: PJ/yr more (negative: less) delivered to the ``to`` markets per
    one more unit of the limit; ``marginal`` expresses it in the row's own unit
    (energy-equivalent), e.g. Mt/yr of crude per Mt/yr of port capacity.
    """
    st = sol.first
    b = sol.bounds
    rows = []
    rows_to_scan = (list(fm.cap_row_index.items())
                    + [(("contract", c), r) for c, r in fm.contract_row_index.items()]
                    + [(("contract_max", g), r) for g, r in fm.contract_max_row_index.items()])
    for (kind, ref), r in rows_to_scan:
        act = st.row_value[r]
        if kind == "contract_max":
            limit = b.row_upper[r]
            binding = not math.isinf(limit) and act >= limit - 1e-6 * max(1, limit)
            com = fm.node_com[ref[1]]
            bound = "max_volume"
            ref = f"{ref[0]}->{ref[1]}"
        elif kind == "contract":
            limit = b.row_lower[r]
            binding = limit > 0 and not math.isinf(limit) and act <= limit + 1e-6 * max(1, limit)
            com = fm.contract_com[ref]
            bound = "min_volume"
        else:
            limit = b.row_upper[r]
            binding = not math.isinf(limit) and limit > 0 and act >= limit - 1e-6 * max(1, limit)
            com = fm.node_com[ref] if kind == "node" else fm.arc_com[ref]
            bound = "capacity"
            if kind == "node" and fm.node_kind[ref] in ("supply", "liquefaction"):
                bound = "observed output" if ref in b.supply_note and b.supply_note[ref] == "observed output" \
                    else "capacity"
        if not binding:
            continue
        marginal_pj = -st.row_dual[r]
        rows.append({
            "kind": kind if kind != "node" else fm.node_kind[ref], "id": ref, "commodity": com,
            "description": _describe(fm, kind, ref), "bound": bound, "limit": _clean(limit),
            "activity": _clean(act), "unit": unit_of(com),
            "marginal_pj": _clean(marginal_pj), "marginal": _clean(marginal_pj / pj_per_unit(com)),
        })
    df = pd.DataFrame(rows, columns=["kind", "id", "commodity", "description", "bound", "limit", "activity",
                                     "unit", "marginal_pj", "marginal"])
    order = df["marginal_pj"].abs().sort_values(ascending=False, kind="stable").index
    return df.loc[order].reset_index(drop=True)


# --------------------------------------------------------------------------- max-flow bound
KIND_WORDS = {"pipeline": "pipeline", "rail": "rail", "tanker": "shipping", "lng_carrier": "shipping",
              "terminal": "port", "liquefaction": "liquefaction", "supply": "supply", "junction": "junction",
              "market": "market"}


def _kind_word(fm: FlowModel, kind: str, ref: str) -> str:
    return KIND_WORDS[_mode(fm, ref) if kind == "arc" else fm.node_kind[ref]]


def max_flow_bound(fm: FlowModel, sol: YearSolution, commodity: str, red_to: set[str]
                   ) -> tuple[float, list[tuple[str, str]]]:
    """Max flow of ``commodity`` from its origins to the ``to`` markets, ignoring
    contracts, and the min-cut elements ``(kind, description)`` that limit it
    (kind: pipeline, rail, shipping, port, liquefaction, supply, junction, market).

    For LNG the sources are the gas supply nodes feeding the liquefaction plants, with
    gas capacities converted to Mt LNG (x 0.735), so feed gas can be the limit."""
    b = sol.bounds
    G = nx.DiGraph()
    src, sink = "__source__", "__sink__"

    def cap_of(kind, ref):
        c = b.capacity.get((kind, ref), math.inf)
        r = fm.cap_row_index[(kind, ref)]
        return min(c, b.row_upper[r])

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
    for n in fm.node_ids:
        kind, com = fm.node_kind[n], fm.node_com[n]
        if com not in scale or (com == "gas" and kind == "market"):
            continue
        c = cap_of("node", n)
        label = _describe(fm, "node", n) + f" {_fmt(c, com)}"
        f = scale[com]
        head_of[n] = tail_of[n] = n
        if kind == "supply" or (kind == "liquefaction" and not gas_feed):
            add(src, n, c * f, label, _kind_word(fm, "node", n))
        elif kind == "market":
            if fm.node_country[n] in red_to:
                add(n, sink, c, label, "market")
        elif not math.isinf(c):
            head_of[n], tail_of[n] = (n, "in"), (n, "out")
            add((n, "in"), (n, "out"), c * f, label, _kind_word(fm, "node", n))
    for a in fm.arc_ids:
        com = fm.arc_com[a]
        if com not in scale or fm.node_com[fm.arc_tail[a]] != com:
            continue
        if fm.arc_head[a] not in head_of:  # e.g. gas into a plant when bounding pipeline gas
            continue
        c = cap_of("arc", a)
        u, v = tail_of[fm.arc_tail[a]], head_of[fm.arc_head[a]]
        label = _describe(fm, "arc", a) + f" {_fmt(c, com)}"
        if G.has_edge(u, v):  # a parallel arc: route it through its own node
            add(u, ("arc", a), c * scale[com], label, _kind_word(fm, "arc", a))
            add(("arc", a), v, math.inf, "")
        else:
            add(u, v, c * scale[com], label, _kind_word(fm, "arc", a))
    if src not in G or sink not in G:
        return 0.0, []
    try:
        value, (S, T) = nx.minimum_cut(G, src, sink, flow_func=boykov_kolmogorov)
    except nx.NetworkXUnbounded:
        return math.inf, []
    cut = sorted((G.edges[u, v]["kind"], G.edges[u, v]["label"])
                 for u in S for v in G.successors(u) if v in T and G.edges[u, v]["label"])
    return float(value), cut


def _fmt(c: float, com: str) -> str:
    return "(no limit)" if math.isinf(c) else f"({c:g} {unit_of(com)})"


def redirect_table(fm: FlowModel, sol: YearSolution, red_from: set[str], red_to: set[str],
                   constraints: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per commodity: the volume moved to the ``to`` markets and where it came from."""
    ref = deliveries(fm, sol.reference.x)
    opt = deliveries(fm, sol.optimum.x)
    first = deliveries(fm, sol.first.x)
    if constraints is None:
        constraints = constraints_table(fm, sol)
    rows = []
    for com in COMMODITIES:
        keys = [k for k in fm.delivery_keys if k[1] == com]
        if not keys:
            continue
        grp = {g: [k for k in keys if (k[0] in red_from if g == "from" else k[0] in red_to if g == "to"
                                       else k[0] not in red_from | red_to)] for g in ("from", "to", "other")}
        d = {g: sum(opt[k] - ref[k] for k in ks) for g, ks in grp.items()}
        to_ref = sum(ref[k] for k in grp["to"])
        to_opt = sum(opt[k] for k in grp["to"])
        to_first = sum(first[k] for k in grp["to"])
        bound, cut = max_flow_bound(fm, sol, com, red_to)
        has_to = bool(grp["to"])
        if not has_to:
            kind, limit = "no market", f"no {com} market in {', '.join(sorted(red_to))} in the network"
        elif bound <= TOL:
            kind, limit = "no route", f"no {com} infrastructure reaches {', '.join(sorted(red_to))} this year"
        elif to_first >= bound - 1e-6 * max(1.0, bound):
            kind = "+".join(sorted({k for k, _ in cut}))
            limit = "infrastructure/supply (min cut): " + "; ".join(label for _, label in cut)
        else:
            feed = {com} | ({"gas"} if com == "lng" else set())
            con = constraints[constraints["kind"].isin(["contract", "contract_max"])
                              & constraints["commodity"].isin(feed)]
            ids = list(con.loc[con["marginal_pj"] < -1e-9, "id"]) or list(con["id"])
            kind = "contract"
            held = bound - to_first
            limit = (f"contracts hold back {held:.4g} {unit_of(com)}: " + ", ".join(ids) if ids
                     else "contracts and shared capacity") + \
                f" (without contracts the network could carry {bound:.4g} {unit_of(com)})"
        redirected = _clean(to_opt) - _clean(to_ref)
        rows.append({
            "commodity": com, "to_reference": _clean(to_ref), "to_optimized": _clean(to_opt),
            "redirected": _clean(redirected),
            "from_redirect_markets": _clean(-d["from"]), "from_other_markets": _clean(-d["other"]),
            "from_spare_supply": _clean(d["from"] + d["to"] + d["other"]),
            "redirected_pj": _pj(redirected, com), "unit": unit_of(com),
            "max_flow_bound": _clean(bound) if not math.isinf(bound) else float("nan"),
            "limiting_kind": kind, "limiting_factor": limit,
        })
    return pd.DataFrame(rows)
