"""The figures of one year, read vectorised from the network tables.

Everything a family's bounds need: capacities of the assets in service, the supply
cap and its basis (observed output, estimate, projection or capacity), active
contract volumes and the observed delivery ranges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..network import Network, active_mask
from ..vocabulary import FORWARD_STATUSES, ORIGIN_KINDS
from .sets import Sets

INF = math.inf

#: ``supply_basis`` values, from most to least observed.
SUPPLY_BASES = ("observed", "estimate", "projection", "capacity")


@dataclass
class YearData:
    """Figures of ``year`` by id (see module docstring).

    ``node_capacity`` / ``arc_capacity``: capacity of the year (``inf`` = no limit,
    0 = not in service). ``supply_cap``: the cap of each origin's output under the
    scenario's supply mode. ``supply_basis``: for each origin in service, what that cap
    rests on (:data:`SUPPLY_BASES`). ``contract_min`` / ``contract_max``: active
    contracts only (``max`` ``inf`` when open). ``observed``: per delivery key, the
    observed ``low, high, volume``.
    """

    year: int
    supply: str
    node_capacity: pd.Series
    arc_capacity: pd.Series
    supply_cap: pd.Series
    supply_basis: pd.Series
    contract_min: pd.Series
    contract_max: pd.Series
    observed: pd.DataFrame


def _capacity(df: pd.DataFrame, ids: pd.Index, year: int) -> pd.Series:
    act = df.loc[active_mask(df, year)].drop_duplicates("id", keep="last").set_index("id")["capacity"]
    cap = pd.Series(0.0, index=ids)
    live = ids.isin(act.index)
    cap[live] = act.reindex(ids[live]).astype(float).fillna(INF).to_numpy()
    return cap


def _basis(status: pd.Series) -> pd.Series:
    return status.map(lambda s: "projection" if s in FORWARD_STATUSES else "estimate" if s == "estimate"
                      else "observed")


def year_data(net: Network, sets: Sets, year: int, supply: str = "baseline") -> YearData:
    """Read ``year``'s figures of ``net`` (``supply``: ``baseline`` caps origins at their
    recorded output for the year, ``capacity`` at their capacity)."""
    node_cap = _capacity(net.nodes, sets.nodes.index, year)
    arc_cap = _capacity(net.arcs, sets.arcs.index, year)
    origins = pd.Index(sets.origins)
    live = origins[node_cap.reindex(origins).to_numpy() > 0]
    supply_cap = node_cap.reindex(origins).copy()
    basis = pd.Series("capacity", index=live, dtype=object)
    if supply == "baseline":
        prod = net.production[net.production["year"] == year].drop_duplicates("node", keep="last").set_index("node")
        recorded = prod.index.intersection(live)
        vol = prod.loc[recorded, "volume"].astype(float)
        supply_cap[recorded] = np.minimum(supply_cap[recorded].to_numpy(), vol.to_numpy())
        basis[recorded] = _basis(prod.loc[recorded, "status"]).to_numpy()
    con = net.contracts.loc[active_mask(net.contracts, year)].drop_duplicates("id", keep="last").set_index("id")
    cmin = con["min_volume"].astype(float)
    cmax = con["max_volume"].astype(float).fillna(INF)
    base = net.baseline[net.baseline["year"] == year]
    vol = base["volume"].astype(float)
    lo = np.minimum(base["volume_low"].astype(float).fillna(vol), vol)
    hi = np.maximum(base["volume_high"].astype(float).fillna(vol), vol)
    observed = pd.DataFrame({"low": lo.to_numpy(), "high": hi.to_numpy(), "volume": vol.to_numpy()},
                            index=pd.MultiIndex.from_arrays([base["market"], base["commodity"]]))
    observed = observed[~observed.index.duplicated(keep="last")]
    return YearData(year, supply, node_cap, arc_cap, supply_cap, basis.sort_index(), cmin, cmax, observed)


def is_origin(sets: Sets) -> pd.Series:
    """Boolean per node: is it an origin (supply or liquefaction)?"""
    return sets.nodes["kind"].isin(ORIGIN_KINDS)
