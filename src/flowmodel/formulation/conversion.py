r"""Liquefaction: gas in, LNG out.

For every liquefaction plant *L* (:math:`\phi` = 0.735 Mt LNG per bcm of gas, BP):

.. math:: \sum_{a \in out(L)} flow_{a,L} - \phi \sum_{a \in in(L)} \sum_o flow_{a,o} = 0
"""

from __future__ import annotations

import numpy as np

from ..units import LNG_MT_PER_BCM
from ..vocabulary import LIQUEFACTION
from .families import Layout, RowFamily
from .sets import Sets
from .terms import key_rows, stack
from .year_data import YearData


def define_conversion(sets: Sets, layout: Layout) -> RowFamily:
    """``conversion[L]``: LNG leaving plant *L* = 0.735 x gas entering it."""
    f = sets.flow
    keys = list(sets.nodes.index[sets.nodes["kind"] == LIQUEFACTION])
    cols = layout.col("flow")
    own_out = (f["origin"] == f["tail"]).to_numpy()
    row, col, coef = stack((key_rows(keys, f["tail"][own_out]), cols[own_out], 1.0),
                           (key_rows(keys, f["head"]), cols, -LNG_MT_PER_BCM))
    return RowFamily("conversion", keys, row, col, coef, "==", define_conversion.__doc__)


def conversion_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Always 0 = 0."""
    return np.zeros(fam.size), np.zeros(fam.size)
