r"""The LP of a network as named Pyomo components: origin-tracked flow with contracts.

One file per constraint family, each with a ``define_*`` function (its docstring is
the formula) and a ``*_bounds`` function (the family's bounds in a year):

============================  ======================  ===============================
family                        file                    index
============================  ======================  ===============================
``balance``                   :mod:`.balance`         (node, origin)
``conversion``                :mod:`.conversion`      liquefaction plant
``node_capacity``             :mod:`.capacity`        node
``arc_capacity``              :mod:`.capacity`        arc
``contract_min``              :mod:`.contracts`       contract
``contract_pair``             :mod:`.contracts`       (seller, buyer)
``contract_group_max``        :mod:`.contracts`       (sellers, buyer)
``delivery``                  :mod:`.delivery`        (country, commodity)
``policy``                    :mod:`.policy`          policy measure
============================  ======================  ===============================

Variables: :mod:`.variables`.  Index sets: :mod:`.sets`.  The model is built once
over every asset of every year (a superstructure); a year is a set of bounds
(:meth:`Formulation.bounds`), so timelines and samples re-solve one compiled model.

Adding a constraint family = one file with ``define_x``/``x_bounds``, one entry in
:data:`FAMILIES`, one test.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from . import pyomo_import  # noqa: F401  (before Pyomo: keeps scipy.stats out of start-up)

import pyomo.environ as pyo  # noqa: E402
from pyomo.common.gc_manager import PauseGC  # noqa: E402
from pyomo.core.expr.numeric_expr import LinearExpression  # noqa: E402
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler  # noqa: E402
from pyomo.repn.util import FileDeterminism  # noqa: E402
from scipy import sparse  # noqa: E402

from ..errors import FlowModelError
from ..network import Network
from . import balance, capacity, contracts, conversion, delivery, policy
from .families import Layout, RowFamily, VarFamily, positions
from .sets import Sets, build_sets
from .terms import key_rows
from .variables import define_variables
from .year_data import YearData, YearTables

__all__ = ["FAMILIES", "Family", "Formulation", "Layout", "RowFamily", "Sets", "VarFamily", "YearBounds",
           "YearData"]


@dataclass(frozen=True)
class Family:
    """A constraint family: how its rows are built and how a year bounds them."""

    name: str
    define: Callable[[Sets, Layout], RowFamily]
    bounds: Callable[[RowFamily, YearData, Sets], tuple[np.ndarray, np.ndarray]]


#: Every constraint family, in row order.
FAMILIES: tuple[Family, ...] = (
    Family("balance", balance.define_balance, balance.balance_bounds),
    Family("conversion", conversion.define_conversion, conversion.conversion_bounds),
    Family("node_capacity", capacity.define_node_capacity, capacity.node_capacity_bounds),
    Family("arc_capacity", capacity.define_arc_capacity, capacity.arc_capacity_bounds),
    Family("contract_min", contracts.define_contract_min, contracts.contract_min_bounds),
    Family("contract_pair", contracts.define_contract_pair, contracts.contract_pair_bounds),
    Family("contract_group_max", contracts.define_contract_group_max, contracts.contract_group_max_bounds),
    Family("delivery", delivery.define_delivery, delivery.delivery_bounds),
    Family("policy", policy.define_policy, policy.policy_bounds),
)

#: Variable families fixed at 0 outside the elastic diagnosis / historical check.
ELASTIC = ("node_overflow", "node_underflow", "arc_overflow", "shortfall")


@dataclass
class YearBounds:
    """Row and column bounds of the LP for one year, and the figures they come from."""

    year: int
    supply: str
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    data: YearData

    @property
    def observed(self) -> pd.DataFrame:
        """Observed delivery range per key (``low, high, volume``)."""
        return self.data.observed

    @property
    def has_policy(self) -> bool:
        """Does a policy bound any flow this year?"""
        return bool(np.isfinite(self.data.policy_max).any())


class Formulation:
    """The LP of a network (all years): named families, their layout, the Pyomo model.

    Parameters
    ----------
    net : Network
        The network (every row of every year) after scenario changes.

    Attributes
    ----------
    sets : :class:`~.sets.Sets`
    layout : :class:`~.families.Layout`
        Where each variable and constraint family sits in the compiled matrix.
    pyomo : pyomo.environ.ConcreteModel or None
        The named model (one ``Var`` per variable family, one ``Constraint`` per
        constraint family), built by :meth:`build_pyomo` with a year's bounds.
    """

    def __init__(self, net: Network):
        self.net = net
        self.sets = build_sets(net)
        self.layout = Layout()
        define_variables(self.sets, self.layout)
        for fam in FAMILIES:
            self.layout.add_rows(fam.define(self.sets, self.layout))
        self.tables = YearTables(net, self.sets)
        self.pyomo: pyo.ConcreteModel | None = None

    @property
    def n_cols(self) -> int:
        return self.layout.n_cols

    @property
    def n_rows(self) -> int:
        return self.layout.n_rows

    # ------------------------------------------------------------------ bounds of a year
    def bounds(self, year: int, supply: str = "baseline") -> YearBounds:
        """Row and column bounds of ``year`` (``supply``: ``baseline`` caps origins at
        their recorded output, ``capacity`` at capacity)."""
        return self.bounds_from(self.tables.year_data(year, supply))

    def bounds_from(self, data: YearData) -> YearBounds:
        """Bounds for the figures ``data`` (e.g. a sample that changed some of them)."""
        lay = self.layout
        rl, ru = np.empty(lay.n_rows), np.empty(lay.n_rows)
        for fam in FAMILIES:
            rows = lay.rows[fam.name]
            rl[rows.rows], ru[rows.rows] = fam.bounds(rows, data, self.sets)
        cl = np.zeros(lay.n_cols)
        cu = np.full(lay.n_cols, np.inf)
        for name in ELASTIC:
            cu[lay.col(name)] = 0.0
        delivery.delivery_col_bounds(lay, data, cu)
        for name, arr in (("row bounds", rl), ("row bounds", ru), ("column bounds", cu)):
            if np.isnan(arr).any():
                raise FlowModelError(f"{data.year}: a non-numeric value reached the {name} (a bug; please report)")
        return YearBounds(data.year, data.supply, rl, ru, cl, cu, data)

    def without_policies(self, b: YearBounds) -> YearBounds:
        """``b`` with every policy row free: the physical question."""
        ru = b.row_upper.copy()
        ru[self.layout.row("policy")] = np.inf
        return replace(b, row_upper=ru)

    # ------------------------------------------------------------------ pyomo
    def build_pyomo(self, b: YearBounds) -> pyo.ConcreteModel:
        """The named Pyomo model with the bounds of one year."""
        lay = self.layout
        m = pyo.ConcreteModel(name=f"flowmodel_{self.net.name}")
        columns: list = []
        for name, vfam in lay.vars.items():
            var = pyo.Var(vfam.keys, domain=pyo.NonNegativeReals, doc=vfam.doc)
            m.add_component(name, var)
            columns.extend(var.values())
        for k in np.flatnonzero(np.isfinite(b.col_upper)):
            columns[k].setub(float(b.col_upper[k]))
        self._columns = columns
        self._rows: list = []
        for fam in lay.rows.values():
            m.add_component(fam.name, self._constraint(fam, columns, b))
        m.objective = pyo.Objective(expr=0.0, sense=pyo.minimize)  # set per stage in HiGHS
        self.pyomo = m
        return m

    def _constraint(self, fam: RowFamily, columns: list, b: YearBounds) -> pyo.Constraint:
        cols, coefs = fam.split_terms()
        lo = [None if math.isinf(v) else float(v) for v in b.row_lower[fam.rows]]
        hi = [None if math.isinf(v) else float(v) for v in b.row_upper[fam.rows]]
        pos = {k: i for i, k in enumerate(fam.keys)}

        def rule(_m, *idx):
            i = pos[idx if len(idx) > 1 else idx[0]]
            if not len(cols[i]):
                return pyo.Constraint.Skip
            expr = LinearExpression(constant=0.0, linear_coefs=coefs[i].tolist(),
                                    linear_vars=[columns[k] for k in cols[i]])
            if lo[i] is None and hi[i] is None:
                return (None, expr, 1e30)  # free this year: kept in the matrix, bounded in other years
            return (lo[i], expr, hi[i])

        return pyo.Constraint(fam.keys, rule=rule, doc=fam.doc)

    def compile(self, b: YearBounds) -> sparse.csc_array:
        """Build the Pyomo model for bounds ``b`` and compile it with Pyomo's standard-form
        compiler into a CSC matrix in layout order."""
        with PauseGC():  # Pyomo's advice for building large models
            m = self.build_pyomo(b)
            info = LinearStandardFormCompiler().write(m, mixed_form=True, file_determinism=FileDeterminism.NONE)
        col_pos = dict(zip(map(id, self._columns), range(len(self._columns))))
        row_pos: dict[int, int] = {}
        for fam in self.layout.rows.values():
            comp = m.component(fam.name)
            built = fam.rows if len(comp) == fam.size else fam.start + positions(fam.keys, list(comp.keys()))
            row_pos.update(zip(map(id, comp.values()), built.tolist()))
        colmap = np.fromiter((col_pos[id(v)] for v in info.columns), dtype=np.int64, count=len(info.columns))
        rid = np.fromiter((row_pos[id(c)] for c, _ in info.rows), dtype=np.int64, count=len(info.rows))
        _, first = np.unique(rid, return_index=True)  # a ranged row is compiled twice
        keep = np.sort(first)
        A = sparse.csr_array(info.A)[keep, :].tocoo()
        mat = sparse.csc_array((A.data, (rid[keep][A.row], colmap[A.col])), shape=(self.n_rows, self.n_cols))
        mat.sum_duplicates()
        mat.sort_indices()
        return mat

    # ------------------------------------------------------------------ reading solutions
    def var(self, name: str, x: np.ndarray) -> pd.Series:
        """Values of variable family ``name`` in solution ``x``, by key."""
        return self.layout.col_series(name, x)

    def row(self, name: str, values: np.ndarray) -> pd.Series:
        """Activities or duals of constraint family ``name``, by key."""
        return self.layout.row_series(name, values)

    def arc_flows(self, x: np.ndarray) -> pd.Series:
        """Total flow per arc id."""
        f = self.sets.flow
        s = pd.Series(x[self.layout.col("flow")], index=f["arc"].to_numpy()).groupby(level=0, sort=False).sum()
        return s.reindex(self.sets.arcs.index, fill_value=0.0)

    def deliveries(self, x: np.ndarray) -> pd.Series:
        """Deliveries per delivery key (country, commodity)."""
        keys = self.sets.delivery_keys
        pos = self._delivery_pos()
        hit = pos >= 0
        d = np.bincount(pos[hit], weights=x[self.layout.col("flow")][hit], minlength=len(keys))
        return pd.Series(d, index=pd.MultiIndex.from_tuples(keys, names=["country", "commodity"]))

    def _delivery_pos(self) -> np.ndarray:
        """Per flow variable, the position of the delivery key it enters (-1: not a market)."""
        if not hasattr(self, "_dpos"):
            self._dpos = key_rows(self.sets.delivery_keys, self.sets.flow_into_markets())
        return self._dpos
