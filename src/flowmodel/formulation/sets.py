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
    tail = nodes.index.get_indexer(arcs["from"])
    head = nodes.index.get_indexer(arcs["to"])
    a_com = arcs["commodity"].to_numpy()
    n_com = nodes["commodity"].to_numpy()
    stops = nodes["kind"].isin([MARKET, LIQUEFACTION]).to_numpy()
    n = len(nodes)
    arc_idx, org_idx = [], []
    for i in nodes.index.get_indexer(origins):
        usable = (a_com == n_com[i]) & (~stops[tail] | (tail == i))
        g = sparse.csr_array((np.ones(int(usable.sum())), (tail[usable], head[usable])), shape=(n, n))
        reached = np.zeros(n, dtype=bool)
        reached[csgraph.breadth_first_order(g, i, directed=True, return_predecessors=False)] = True
        idx = np.flatnonzero(usable & reached[tail])
        arc_idx.append(idx)
        org_idx.append(np.full(len(idx), i))
    a = np.concatenate(arc_idx) if arc_idx else np.zeros(0, dtype=np.int64)
    o = np.concatenate(org_idx) if org_idx else np.zeros(0, dtype=np.int64)
    ids = nodes.index.to_numpy()
    return pd.DataFrame({"arc": arcs.index.to_numpy()[a], "origin": ids[o], "commodity": a_com[a],
                         "tail": ids[tail[a]], "head": ids[head[a]]})


def limited(df: pd.DataFrame, index: pd.Index, always: np.ndarray | None = None) -> np.ndarray:
    """Positions (in ``index``) of the assets that need a capacity row: a finite capacity
    in some row, a year span, or several rows (``always``: positions that need one anyway).
    An asset with one open-ended row and a blank capacity is never limited."""
    pos = index.get_indexer(df["id"])
    bounded = (df["capacity"].notna() | df["start_year"].notna() | df["end_year"].notna()).to_numpy()
    need = np.bincount(pos, minlength=len(index)) > 1
    need[pos[bounded]] = True
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
    alloc = pd.DataFrame([(c, o, b) for c, sellers, b in zip(contracts.index, contracts["sellers"], contracts["buyer"])
                          for o in sellers], columns=["contract", "seller", "buyer"])
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
