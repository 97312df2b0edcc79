"""The figures of one year, read from the network tables with numpy only.

:class:`YearTables` turns each table into arrays once (position of the row's id in
the index sets, its year span and values); :meth:`YearTables.year_data` then reads a
year in microseconds, so timelines and sampling sweeps re-solve without touching
pandas.  Everything a family's bounds need is in :class:`YearData`: capacities of the
assets in service, the supply cap and its basis (observed output, estimate,
projection or capacity), active contract volumes and the observed delivery ranges.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ..network import Network
from ..vocabulary import FORWARD_STATUSES, ORIGIN_KINDS
from .sets import Sets

INF = np.inf

#: Tolerance of a recorded output without a published range, for the historical check
#: (published annual figures are rounded; 2% covers rounding and calendar/fiscal-year offsets).
CHECK_TOLERANCE = 0.02

#: ``supply_basis`` values, from most to least observed.
SUPPLY_BASES = ("observed", "estimate", "projection", "capacity")


@dataclass
class YearData:
    """Figures of ``year``, as arrays aligned with the index sets.

    ``node_capacity`` / ``arc_capacity`` (``sets.nodes`` / ``sets.arcs`` order):
    capacity of the year (``inf`` = no limit, 0 = not in service). ``node_limit``: the
    same with each origin capped at its output under the scenario's supply mode.
    ``basis``: per node, what an origin's cap rests on (:data:`SUPPLY_BASES`; empty for
    other nodes and for origins out of service). ``contract_min`` / ``contract_max``
    (``sets.contracts`` order; NaN = not active; max ``inf`` = open). ``obs_low``,
    ``obs_high``, ``obs_volume`` (``sets.delivery_keys`` order; NaN = not observed) and
    ``obs_projected`` (the row is a projection, not an observation). ``output_floor``:
    per node, the low end of its recorded output (``volume_low``, or the volume less
    :data:`CHECK_TOLERANCE`), used by the historical check.
    """

    year: int
    supply: str
    sets: Sets
    node_capacity: np.ndarray
    arc_capacity: np.ndarray
    node_limit: np.ndarray
    basis: np.ndarray
    contract_min: np.ndarray
    contract_max: np.ndarray
    obs_low: np.ndarray
    obs_high: np.ndarray
    obs_volume: np.ndarray
    output_floor: np.ndarray  # per node: low end of the recorded output (NaN: none), for the check
    output_volume: np.ndarray  # per node: the recorded output itself (NaN: none)
    obs_projected: np.ndarray  # per delivery key: True where the "observation" is a projection
    policy_max: np.ndarray  # per policy (sets.policies order): cap of the year (inf: not in force or not chosen)

    def with_values(self, **arrays: Any) -> YearData:
        """A copy with some arrays replaced (e.g. a sample's capacities)."""
        return replace(self, **arrays)

    # ------------------------------------------------------------------ by id (pandas views)
    def node_series(self, values: np.ndarray) -> pd.Series:
        return pd.Series(values, index=self.sets.nodes.index)

    def arc_series(self, values: np.ndarray) -> pd.Series:
        return pd.Series(values, index=self.sets.arcs.index)

    @property
    def supply_basis(self) -> pd.Series:
        """Basis of each origin in service, by node id (sorted)."""
        s = self.node_series(self.basis)
        return s[s != ""].sort_index()

    @property
    def observed(self) -> pd.DataFrame:
        """Observed delivery keys with ``low, high, volume``."""
        seen = ~np.isnan(self.obs_volume)
        keys = [k for k, ok in zip(self.sets.delivery_keys, seen) if ok]
        return pd.DataFrame({"low": self.obs_low[seen], "high": self.obs_high[seen], "volume": self.obs_volume[seen]},
                            index=pd.MultiIndex.from_tuples(keys, names=["country", "commodity"]) if keys
                            else pd.MultiIndex.from_tuples([], names=["country", "commodity"]))


@dataclass
class _Spans:
    """Rows of a table with a year span: position of their id, span and value columns."""

    pos: np.ndarray
    start: np.ndarray
    end: np.ndarray
    values: dict[str, np.ndarray]

    @classmethod
    def of(cls, df: pd.DataFrame, index: pd.Index, key: str, cols: tuple[str, ...]) -> _Spans:
        pos = index.get_indexer(df[key])
        start = df["start_year"].astype(float).fillna(-INF).to_numpy() if "start_year" in df else \
            np.full(len(df), -INF)
        end = df["end_year"].astype(float).fillna(INF).to_numpy() if "end_year" in df else np.full(len(df), INF)
        return cls(pos, start, end, {c: df[c].astype(float).to_numpy() for c in cols})

    def active(self, year: int) -> np.ndarray:
        return np.flatnonzero((self.start <= year) & (year <= self.end) & (self.pos >= 0))


def _basis_of(status: pd.Series) -> np.ndarray:
    return status.map(lambda s: "projection" if s in FORWARD_STATUSES else "estimate" if s == "estimate"
                      else "observed").to_numpy(dtype=object)


class YearTables:
    """The network's tables as arrays, ready to be read for any year."""

    def __init__(self, net: Network, sets: Sets):
        self.sets = sets
        self.nodes = _Spans.of(net.nodes, sets.nodes.index, "id", ("capacity",))
        self.arcs = _Spans.of(net.arcs, sets.arcs.index, "id", ("capacity",))
        self.contracts = _Spans.of(net.contracts, sets.contracts.index, "id", ("min_volume", "max_volume"))
        prod = net.production
        self.prod_pos = sets.nodes.index.get_indexer(prod["node"])
        self.prod_year = prod["year"].astype(int).to_numpy()
        self.prod_volume = prod["volume"].astype(float).to_numpy()
        low = prod["volume_low"].astype(float) if "volume_low" in prod else pd.Series(np.nan, index=prod.index)
        self.prod_low = np.fmin(low.fillna(prod["volume"].astype(float) * (1 - CHECK_TOLERANCE)).to_numpy(),
                                self.prod_volume)
        self.prod_basis = _basis_of(prod["status"]) if "status" in prod else np.full(len(prod), "observed", object)
        base = net.baseline
        keys = pd.Index(list(sets.delivery_keys))
        self.base_pos = keys.get_indexer(list(zip(base["market"], base["commodity"]))) if len(base) and len(keys) \
            else np.zeros(0, dtype=np.int64)
        self.base_year = base["year"].astype(int).to_numpy()
        vol = base["volume"].astype(float)
        self.base_volume = vol.to_numpy()
        self.base_low = np.minimum(base["volume_low"].astype(float).fillna(vol), vol).to_numpy()
        self.base_high = np.maximum(base["volume_high"].astype(float).fillna(vol), vol).to_numpy()
        self.base_projected = (base["status"].isin(FORWARD_STATUSES).to_numpy() if "status" in base
                               else np.zeros(len(base), dtype=bool))
        self.is_origin = sets.nodes["kind"].isin(ORIGIN_KINDS).to_numpy()
        pol = net.tables.get("policies")
        if pol is None or not len(pol):
            pol = pd.DataFrame({"id": [], "max_volume": [], "start_year": [], "end_year": [], "start_month": []})
        self.policies = _Spans.of(pol, sets.policies.index, "id", ("max_volume", "start_month"))
        hits = [sets.policy_hits(p) for p in sets.policies.index]
        self.policy_hit_arcs = [np.unique(sets.arcs.index.get_indexer(sets.flow["arc"][h])) for h in hits]
        self.policy_hit_origins = [np.unique(sets.nodes.index.get_indexer(sets.flow["origin"][h])) for h in hits]
        self.chosen = np.ones(len(sets.policies), dtype=bool)

    def choose_policies(self, selection: str | list[str]) -> None:
        """Which policies bound the flows: ``in_force`` (all, in their years), ``none``, or a list of ids."""
        ids = self.sets.policies.index
        if selection == "in_force":
            self.chosen = np.ones(len(ids), dtype=bool)
        elif selection == "none":
            self.chosen = np.zeros(len(ids), dtype=bool)
        else:
            self.chosen = ids.isin(list(selection))

    def _policy_max(self, year: int, arc_cap: np.ndarray, node_limit: np.ndarray) -> np.ndarray:
        sp = self.policies
        cap = np.full(len(self.sets.policies), INF)
        for r in sp.active(year):
            i = sp.pos[r]
            if not self.chosen[i]:
                continue
            mx = sp.values["max_volume"][r]
            cap[i] = 0.0 if np.isnan(mx) else mx
            month = sp.values["start_month"][r]
            if sp.start[r] == year and month == month and month > 1:  # months before it took effect
                free = min(float(arc_cap[self.policy_hit_arcs[i]].sum()),
                           float(node_limit[self.policy_hit_origins[i]].sum()))
                cap[i] += (month - 1) / 12.0 * free
        return cap

    @staticmethod
    def _capacity(spans: _Spans, n: int, year: int) -> np.ndarray:
        cap = np.zeros(n)
        act = spans.active(year)
        v = spans.values["capacity"][act]
        cap[spans.pos[act]] = np.where(np.isnan(v), INF, v)
        return cap

    def year_data(self, year: int, supply: str = "baseline") -> YearData:
        """Read ``year`` (``supply``: ``baseline`` caps origins at their recorded output
        for the year, ``capacity`` at their capacity)."""
        sets = self.sets
        node_cap = self._capacity(self.nodes, len(sets.nodes), year)
        arc_cap = self._capacity(self.arcs, len(sets.arcs), year)
        limit = node_cap.copy()
        live_origin = self.is_origin & (node_cap > 0)
        basis = np.full(len(node_cap), "", dtype=object)
        basis[live_origin] = "capacity"
        floor = np.full(len(node_cap), np.nan)
        recorded = np.full(len(node_cap), np.nan)
        if supply == "baseline":
            rows = np.flatnonzero((self.prod_year == year) & (self.prod_pos >= 0))
            rows = rows[live_origin[self.prod_pos[rows]]]
            p = self.prod_pos[rows]
            limit[p] = np.minimum(limit[p], self.prod_volume[rows])
            basis[p] = self.prod_basis[rows]
            floor[p] = np.minimum(self.prod_low[rows], limit[p])
            recorded[p] = self.prod_volume[rows]
        c = self.contracts
        act = c.active(year)
        cmin = np.full(len(sets.contracts), np.nan)
        cmax = np.full(len(sets.contracts), np.nan)
        cmin[c.pos[act]] = c.values["min_volume"][act]
        mx = c.values["max_volume"][act]
        cmax[c.pos[act]] = np.where(np.isnan(mx), INF, mx)
        nk = len(sets.delivery_keys)
        lo, hi, vol = np.full(nk, np.nan), np.full(nk, np.nan), np.full(nk, np.nan)
        proj = np.zeros(nk, dtype=bool)
        rows = np.flatnonzero((self.base_year == year) & (self.base_pos >= 0))
        k = self.base_pos[rows]
        lo[k], hi[k], vol[k] = self.base_low[rows], self.base_high[rows], self.base_volume[rows]
        proj[k] = self.base_projected[rows]
        return YearData(year, supply, sets, node_cap, arc_cap, limit, basis, cmin, cmax, lo, hi, vol, floor, recorded,
                        proj, self._policy_max(year, arc_cap, limit))
