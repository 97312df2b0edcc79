r"""Long-term contracts: minimum volumes, seller-buyer pairs, group maxima.

A contract *c* has sellers :math:`S_c` (origins), a buyer node :math:`b_c`, a minimum
and optionally a maximum volume per year.

* ``contract_min[c]``: :math:`\sum_{o \in S_c} alloc_{c,o} + shortfall_c \ge \min_c`
  (the shortfall is fixed at 0 except in the elastic diagnosis);
* ``contract_pair[o, b]``: what seller *o*'s contracts with buyer *b* count cannot
  exceed what *o* delivers to *b*, so two contracts of one pair add up:
  :math:`\sum_{c: b_c = b} alloc_{c,o} - \sum_{a \in in(b)} flow_{a,o} \le 0`;
* ``contract_group_max[g]``, for contracts with the same sellers and buyer:
  :math:`\sum_{a \in in(b_g)} \sum_{o \in S_g} flow_{a,o} \le \sum_{c \in g} \max_c`
  (no limit when one active contract of the group has no maximum).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .families import Layout, RowFamily
from .sets import Sets
from .terms import key_rows, stack
from .year_data import YearData


def define_contract_min(sets: Sets, layout: Layout) -> RowFamily:
    """``contract_min[c]``: allocations to *c* plus its shortfall >= its minimum."""
    keys = list(sets.contracts.index)
    row, col, coef = stack(
        (key_rows(keys, sets.alloc["contract"]), layout.col("alloc"), 1.0),
        (np.arange(len(keys)), layout.col("shortfall"), 1.0),
    )
    return RowFamily("contract_min", keys, row, col, coef, ">=", define_contract_min.__doc__)


def contract_min_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Lower bound: the minimum of an active contract (none for an inactive one)."""
    return np.nan_to_num(data.contract_min, nan=-np.inf), np.full(fam.size, np.inf)


def define_contract_pair(sets: Sets, layout: Layout) -> RowFamily:
    """``contract_pair[o, b]``: allocations of seller *o* to buyer *b* <= *o*'s deliveries to *b*."""
    keys = list(sets.pairs)
    f = sets.flow
    row, col, coef = stack(
        (key_rows(keys, pd.Series(list(zip(sets.alloc["seller"], sets.alloc["buyer"])))), layout.col("alloc"), 1.0),
        (key_rows(keys, pd.Series(list(zip(f["origin"], f["head"])))), layout.col("flow"), -1.0),
    )
    return RowFamily("contract_pair", keys, row, col, coef, "<=", define_contract_pair.__doc__)


def contract_pair_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Always <= 0."""
    return np.full(fam.size, -np.inf), np.zeros(fam.size)


def define_contract_group_max(sets: Sets, layout: Layout) -> RowFamily:
    """``contract_group_max[g]``: deliveries of the group's sellers to its buyer <= the sum of maxima."""
    keys = list(sets.groups)
    f = sets.flow
    cols = layout.col("flow")
    parts = []
    for i, (sellers, buyer) in enumerate(keys):
        m = ((f["head"] == buyer) & f["origin"].isin(sellers.split(";"))).to_numpy()
        parts.append((np.full(int(m.sum()), i), cols[m], 1.0))
    row, col, coef = stack(*parts)
    group_of_contract = key_rows(keys, sets.contracts["group"])  # ref: contract -> its group's row
    return RowFamily("contract_group_max", keys, row, col, coef, "<=", define_contract_group_max.__doc__,
                     ref=group_of_contract)


def contract_group_max_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Upper bound: sum of the maxima of the group's active contracts (no limit if none is active)."""
    assert fam.ref is not None
    live = ~np.isnan(data.contract_max)
    upper = np.bincount(fam.ref[live], weights=data.contract_max[live], minlength=fam.size).astype(float)
    upper[np.bincount(fam.ref[live], minlength=fam.size) == 0] = np.inf
    return np.full(fam.size, -np.inf), upper
