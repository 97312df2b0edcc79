r"""Deliveries to each market against the observed range.

For every delivery key *k* = (country, commodity) with market nodes :math:`M_k` and
observed range :math:`[\ell_k, h_k]`:

.. math:: \sum_{m \in M_k} \sum_{a \in in(m)} \sum_o flow_{a,o}
          - in\_range_k - excess_k + deficit_k = \ell_k,
          \quad 0 \le in\_range_k \le h_k - \ell_k

A key without an observation is free (:math:`\ell_k = 0`, only ``excess`` may move).
The reference flow minimises the PJ-weighted excess and deficit; the optimum measures
them against the reference deliveries instead (:func:`anchor`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .families import Layout, RowFamily
from .sets import Sets
from .terms import key_rows, stack
from .year_data import YearData


def define_delivery(sets: Sets, layout: Layout) -> RowFamily:
    """``delivery[k]``: deliveries to key *k* minus its in-range, excess and deficit parts = low end."""
    keys = list(sets.delivery_keys)
    n = np.arange(len(keys))
    row, col, coef = stack(
        (key_rows(keys, sets.flow_into_markets()), layout.col("flow"), 1.0),
        (n, layout.col("delivery_in_range"), -1.0),
        (n, layout.col("delivery_excess"), -1.0),
        (n, layout.col("delivery_deficit"), 1.0),
    )
    return RowFamily("delivery", keys, row, col, coef, "==", define_delivery.__doc__)


def delivery_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Row: the observed low end (0 when unobserved)."""
    low = np.nan_to_num(data.obs_low, nan=0.0)
    return low, low.copy()


def delivery_col_bounds(layout: Layout, data: YearData, col_upper: np.ndarray) -> None:
    """Column upper bounds: in-range part up to the observed width; excess and deficit
    free for observed keys, only excess for unobserved ones."""
    seen = ~np.isnan(data.obs_low)
    col_upper[layout.col("delivery_in_range")] = np.where(seen, data.obs_high - data.obs_low, 0.0)
    col_upper[layout.col("delivery_excess")] = np.inf
    col_upper[layout.col("delivery_deficit")] = np.where(seen, np.inf, 0.0)


def anchor(layout: Layout, b, deliveries: np.ndarray):
    """Copy of year bounds ``b`` whose delivery rows measure the distance to
    ``deliveries`` (per key, in family order) for every key, observed or not."""
    rows = layout.row("delivery")
    rl, ru, cu = b.row_lower.copy(), b.row_upper.copy(), b.col_upper.copy()
    rl[rows] = ru[rows] = deliveries
    cu[layout.col("delivery_in_range")] = 0.0
    cu[layout.col("delivery_excess")] = cu[layout.col("delivery_deficit")] = np.inf
    return replace(b, row_lower=rl, row_upper=ru, col_upper=cu)
