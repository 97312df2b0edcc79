r"""Index sets of the LP, built vectorised from a network's tables (every year at once).

The LP is a *superstructure*: every asset that exists in any year of the network has
its variables and rows; a year only changes bounds (:mod:`.bounds`).

Sets (README "Formulation"):

* :math:`N` nodes, :math:`A` arcs, :math:`O \subseteq N` origins (supply and
  liquefaction nodes);
* :math:`F = \{(a, o)\}` flow index: arc *a* can carry the product of origin *o*,
  i.e. *a* is reachable from *o* through arcs of *o*'s commodity without passing a
  market or another liquefaction plant;
* :math:`C` contracts, :math:`Y = \{(c, o)\}` allocation index (contract, seller),
  :math:`P = \{(o, b)\}` seller-buyer pairs, :math:`G` contract groups (same sellers
  and buyer);
* :math:`K` delivery keys (market country, commodity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph

from ..network import Network
from ..vocabulary import LIQUEFACTION, MARKET, ORIGIN_KINDS


@dataclass
class Sets:
    """The index sets of one network.

    Attributes
    ----------
    nodes : DataFrame indexed by node id: ``kind, commodity, country``.
    arcs : DataFrame indexed by arc id: ``from, to, commodity, mode, length_km``.
    origins : list of origin node ids (supply and liquefaction), in node order.
    flow : DataFrame, one row per flow variable: ``arc, origin, commodity, tail, head``.
    contracts : DataFrame indexed by contract id: ``buyer, commodity, sellers, group``.
    alloc : DataFrame, one row per allocation variable: ``contract, seller, buyer``.
    pairs : list of ``(seller, buyer)``.
    groups : list of ``(sellers joined by ';', buyer)``.
    delivery_keys : list of ``(country, commodity)`` of market nodes, sorted.
    """

    nodes: pd.DataFrame
    arcs: pd.DataFrame
    origins: list[str]
    flow: pd.DataFrame
    contracts: pd.DataFrame
    alloc: pd.DataFrame
    pairs: list[tuple[str, str]]
    groups: list[tuple[str, str]]
    delivery_keys: list[tuple[str, str]]
    limited_nodes: np.ndarray
    limited_arcs: np.ndarray
    policies: pd.DataFrame

    # ------------------------------------------------------------------ derived lookups
    def is_origin(self) -> pd.Series:
        """Boolean per node: is it an origin (supply or liquefaction)?"""
        return self.nodes["kind"].isin(ORIGIN_KINDS)

    def markets(self) -> pd.DataFrame:
        """Market nodes with their delivery key."""
        m = self.nodes[self.nodes["kind"] == MARKET]
        return m.assign(key=list(zip(m["country"], m["commodity"])))

    def policy_hits(self, policy: str) -> np.ndarray:
        """Boolean per flow variable: is it hit by ``policy``?"""
        p = self.policies.loc[policy]
        f = self.flow
        hit = (f["commodity"] == p["commodity"]).to_numpy()
        if p["origins"]:
            hit &= f["origin"].isin(p["origins"]).to_numpy()
        if p["arcs"]:
            hit &= f["arc"].isin(p["arcs"]).to_numpy()
        if p["countries"]:
            m = self.nodes[self.nodes["kind"] == MARKET]["country"]
            hit &= f["head"].map(m).isin(p["countries"]).to_numpy()
        if p["exempt"]:
            hit &= ~f["origin"].isin(p["exempt"]).to_numpy()
        return hit

    def flow_into_markets(self) -> pd.Series:
        """Per flow variable (positional), the delivery key of the market it enters, or None."""
        m = self.markets()["key"]
        return self.flow["head"].map(m)


def reachable_flows(nodes: pd.DataFrame, arcs: pd.DataFrame, origins: list[str]) -> pd.DataFrame:
    """The flow index :math:`F`: for each origin, the arcs its product can use.

    A breadth-first search from the origin through arcs of its commodity; markets and
    liquefaction plants end a path (a plant turns gas into LNG, a new origin).
    """
    node_pos = pd.Series(np.arange(len(nodes)), index=nodes.index)
    tail = node_pos.loc[arcs["from"]].to_numpy()
    head = node_pos.loc[arcs["to"]].to_numpy()
    a_com = arcs["commodity"].to_numpy()
    stops = nodes["kind"].isin([MARKET, LIQUEFACTION]).to_numpy()
    n = len(nodes)
    parts = []
    for o in origins:
        i = int(node_pos[o])
        com = nodes.at[o, "commodity"]
        usable = (a_com == com) & (~stops[tail] | (tail == i))
        g = sparse.csr_array((np.ones(int(usable.sum())), (tail[usable], head[usable])), shape=(n, n))
        reached = np.zeros(n, dtype=bool)
        reached[csgraph.breadth_first_order(g, i, directed=True, return_predecessors=False)] = True
        idx = np.flatnonzero(usable & reached[tail])
        parts.append(pd.DataFrame({"arc": arcs.index[idx], "origin": o}))
    flow = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"arc": [], "origin": []})
    flow["commodity"] = flow["arc"].map(arcs["commodity"])
    flow["tail"] = flow["arc"].map(arcs["from"])
    flow["head"] = flow["arc"].map(arcs["to"])
    return flow


def limited(df: pd.DataFrame, index: pd.Index, always: np.ndarray | None = None) -> np.ndarray:
    """Positions (in ``index``) of the assets that need a capacity row: a finite capacity
    in some row, a year span, or several rows (``always``: positions that need one anyway).
    An asset with one open-ended row and a blank capacity is never limited."""
    counts = df["id"].value_counts()
    bounded = (df["capacity"].notna() | df["start_year"].notna() | df["end_year"].notna()
               | df["id"].map(counts).gt(1))
    need = np.zeros(len(index), dtype=bool)
    need[index.get_indexer(df.loc[bounded, "id"])] = True
    if always is not None:
        need |= always
    return np.flatnonzero(need)


def build_sets(net: Network) -> Sets:
    """All index sets of ``net`` (see module docstring)."""
    nodes = net.nodes.drop_duplicates("id").set_index("id")[["kind", "commodity", "country"]]
    arcs = net.arcs.drop_duplicates("id").set_index("id")[["from", "to", "commodity", "mode", "length_km"]].copy()
    arcs["length_km"] = arcs["length_km"].astype(float).fillna(0.0)
    origins = list(nodes.index[nodes["kind"].isin(ORIGIN_KINDS)])
    flow = reachable_flows(nodes, arcs, origins)

    con = net.contracts.drop_duplicates("id").set_index("id")
    contracts = pd.DataFrame({
        "buyer": con["buyer"],
        "commodity": con["commodity"],
        "sellers": [[s.strip() for s in str(v).split(";")] for v in con["seller"]],
    }, index=con.index)
    contracts["group"] = [(";".join(sorted(s)), b) for s, b in zip(contracts["sellers"], contracts["buyer"])]
    alloc = contracts[["sellers", "buyer"]].explode("sellers").rename(columns={"sellers": "seller"})
    alloc = alloc.rename_axis("contract").reset_index()[["contract", "seller", "buyer"]]
    pairs = list(dict.fromkeys(zip(alloc["seller"], alloc["buyer"])))
    groups = sorted(set(contracts["group"]))
    mk = nodes[nodes["kind"] == MARKET]
    delivery_keys = sorted(set(zip(mk["country"], mk["commodity"])))
    pol = net.tables["policies"] if "policies" in net.tables else pd.DataFrame(columns=["id", "commodity"])

    def ids(col: str) -> list[list[str]]:
        if col not in pol:
            return [[] for _ in range(len(pol))]
        return [[] if not isinstance(v, str) else [x.strip() for x in v.split(";") if x.strip()] for v in pol[col]]

    policies = pd.DataFrame({"commodity": list(pol["commodity"]), "origins": ids("origin"), "arcs": ids("arc"),
                             "countries": ids("buyer_country"), "exempt": ids("exempt_origin")},
                            index=pd.Index(list(pol["id"]), name="id"))
    return Sets(nodes, arcs, origins, flow, contracts, alloc, pairs, groups, delivery_keys,
                limited(net.nodes, nodes.index, nodes["kind"].isin(ORIGIN_KINDS).to_numpy()),
                limited(net.arcs, arcs.index), policies)
