r"""Capacity of assets, by kind: a node's output or throughput, an arc's flow.

Each row has an overflow variable, fixed at 0 except in the elastic historical check.

* ``node_capacity[n]``, origin *n* (field, liquefaction plant): its own output
  :math:`\sum_{a \in out(n)} flow_{a,n} - \sum_{a \in in(n)} flow_{a,n} - overflow_n + underflow_n \le cap_n`,
  where :math:`cap_n` is the capacity, or under ``supply: baseline`` the recorded output
  (the historical check also bounds it from below by the recorded output, elastically);
* ``node_capacity[n]``, any other node (terminal, junction, market): its inflow
  :math:`\sum_{a \in in(n)} \sum_o flow_{a,o} - overflow_n \le cap_n`;
* ``arc_capacity[a]``: :math:`\sum_o flow_{a,o} - overflow_a \le cap_a`.

A capacity of 0 takes an asset out of service for the year; a blank one is no limit.
Only assets that are limited in some year have a row (origins always do: their
output is capped); an asset with one open-ended row and no capacity has none.
"""

from __future__ import annotations

import numpy as np

from .families import Layout, RowFamily
from .sets import Sets
from .terms import key_rows, stack
from .year_data import YearData


def define_node_capacity(sets: Sets, layout: Layout) -> RowFamily:
    """``node_capacity[n]``: output of an origin, inflow of any other node, <= capacity."""
    f = sets.flow
    keys = list(sets.nodes.index[sets.limited_nodes])
    cols = layout.col("flow")
    origin_node = sets.is_origin()
    own = (f["origin"] == f["tail"]).to_numpy()
    back = (f["origin"] == f["head"]).to_numpy()
    into_other = ~f["head"].map(origin_node).to_numpy(dtype=bool)
    row, col, coef = stack(
        (key_rows(keys, f["tail"][own]), cols[own], 1.0),
        (key_rows(keys, f["head"][back]), cols[back], -1.0),
        (key_rows(keys, f["head"][into_other]), cols[into_other], 1.0),
        (np.arange(len(keys)), layout.col("node_overflow"), -1.0),
        (key_rows(keys, layout.vars["node_underflow"].keys), layout.col("node_underflow"), 1.0),
    )
    return RowFamily("node_capacity", keys, row, col, coef, "<=", define_node_capacity.__doc__,
                     ref=sets.limited_nodes)


def node_capacity_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Upper bound: the year's capacity; for origins, the supply cap of the scenario."""
    assert fam.ref is not None
    return np.full(fam.size, -np.inf), data.node_limit[fam.ref]


def define_arc_capacity(sets: Sets, layout: Layout) -> RowFamily:
    """``arc_capacity[a]``: total flow on arc *a* <= capacity."""
    keys = list(sets.arcs.index[sets.limited_arcs])
    row, col, coef = stack(
        (key_rows(keys, sets.flow["arc"]), layout.col("flow"), 1.0),
        (np.arange(len(keys)), layout.col("arc_overflow"), -1.0),
    )
    return RowFamily("arc_capacity", keys, row, col, coef, "<=", define_arc_capacity.__doc__,
                     ref=sets.limited_arcs)


def arc_capacity_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Upper bound: the year's capacity of the arc."""
    assert fam.ref is not None
    return np.full(fam.size, -np.inf), data.arc_capacity[fam.ref]
