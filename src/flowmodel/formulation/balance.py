r"""Flow balance: what enters a node leaves it, per origin.

For every node *n* that is not a market and every origin *o* whose product passes
*n* (not at *o* itself, and not gas consumed by a liquefaction plant):

.. math:: \sum_{a \in out(n)} flow_{a,o} - \sum_{a \in in(n)} flow_{a,o} = 0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vocabulary import LIQUEFACTION, MARKET
from .families import Layout, RowFamily
from .sets import Sets
from .year_data import YearData


def define_balance(sets: Sets, layout: Layout) -> RowFamily:
    """``balance[n, o]``: out-flow minus in-flow of origin *o*'s product at node *n* = 0."""
    f = sets.flow
    nodes = sets.nodes
    node = pd.concat([f["tail"], f["head"]], ignore_index=True)
    origin = pd.concat([f["origin"], f["origin"]], ignore_index=True)
    col = np.concatenate([layout.col("flow"), layout.col("flow")])
    sign = np.concatenate([np.ones(len(f)), -np.ones(len(f))])
    kind = node.map(nodes["kind"])
    consumed = (kind == LIQUEFACTION) & (origin.map(nodes["commodity"]) != node.map(nodes["commodity"]))
    keep = ((kind != MARKET) & (node != origin) & ~consumed).to_numpy()
    node_pos = node[keep].map(pd.Series(np.arange(len(nodes)), index=nodes.index)).to_numpy()
    org_pos = origin[keep].map(pd.Series(np.arange(len(sets.origins)), index=sets.origins)).to_numpy()
    code = node_pos * len(sets.origins) + org_pos
    uniq, row = np.unique(code, return_inverse=True)
    keys = [(nodes.index[c // len(sets.origins)], sets.origins[c % len(sets.origins)]) for c in uniq]
    return RowFamily("balance", keys, row, col[keep], sign[keep], "==", define_balance.__doc__)


def balance_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Always 0 = 0."""
    return np.zeros(fam.size), np.zeros(fam.size)
