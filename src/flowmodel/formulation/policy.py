r"""Policy measures: caps on the flows an embargo, import ban, transshipment ban or
sanction hits (``policies.csv``).

For every policy *p* hitting the flow variables :math:`H_p` (those of its commodity
that match each scope it gives: origin, arc, buyer country; exempt origins left out):

.. math:: \sum_{(a,o) \in H_p} flow_{a,o} \le \max_p

in the years it is in force and chosen by the scenario (``policies: in_force | none |
[ids]``); no limit otherwise.  In its first year a policy that starts in month *m*
allows, on top, :math:`(m-1)/12` of what could flow before it: the hit arcs' capacity or
the hit origins' output of the year, whichever is smaller.
The physical maximum is the same LP with every policy row free.
"""

from __future__ import annotations

import numpy as np

from .families import Layout, RowFamily
from .sets import Sets
from .terms import stack
from .year_data import YearData


def define_policy(sets: Sets, layout: Layout) -> RowFamily:
    """``policy[p]``: total of the flows policy *p* hits <= its maximum."""
    keys = list(sets.policies.index)
    cols = layout.col("flow")
    parts = []
    for i, p in enumerate(keys):
        hit = sets.policy_hits(p)
        parts.append((np.full(int(hit.sum()), i), cols[hit], 1.0))
    row, col, coef = stack(*parts)
    return RowFamily("policy", keys, row, col, coef, "<=", define_policy.__doc__)


def policy_bounds(fam: RowFamily, data: YearData, sets: Sets) -> tuple[np.ndarray, np.ndarray]:
    """Upper bound: the policy's maximum in the years it is in force and chosen."""
    return np.full(fam.size, -np.inf), data.policy_max.copy()
