"""Solving with HiGHS: compile the Pyomo model once, then re-solve by changing bounds and costs.

The Pyomo model is compiled to arrays with Pyomo's ``LinearStandardFormCompiler``
(mixed form) and passed to ``highspy`` in CSC form; every later stage of a
lexicographic solve, and every year of a timeline, only changes bounds, costs and
a few added rows, so HiGHS warm-starts from the previous basis.  Status is checked
after every solve: numbers are never read from a non-optimal solution.

Stages of :meth:`Solver.solve_year`:

* reference (supply capped at observed output): R1 minimise the deviation from the
  observed baseline range; R2 maximise deliveries to the ``from`` markets; R3
  maximise all deliveries (tie-break: transport cost);
* optimum (scenario's supply mode): O1 maximise deliveries to the ``to`` markets
  (duals read here); O2 maximise the ``from`` markets; O3 minimise the change of
  every market's deliveries against the reference flow (tie-break: transport cost),
  so only what the redirect needs moves.

Each stage keeps the previous optimum as a constraint (relative tolerance 1e-9).
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from pyomo.common.gc_manager import PauseGC
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler
from pyomo.repn.util import FileDeterminism
from scipy import sparse

from .errors import FlowModelError, InfeasibleError
from .model import FlowModel, YearBounds

TIE_BREAK = 1e-5  # weight of the transport-cost tie-break relative to PJ
REL_TOL = 1e-9


def compile_model(fm: FlowModel, b: YearBounds) -> sparse.csc_array:
    """Build the Pyomo model for bounds ``b`` and compile it to a CSC matrix in
    :class:`FlowModel` row/column order (rows of ranged constraints deduplicated)."""
    with PauseGC():  # Pyomo's own advice for building large models
        m = fm.build_pyomo(b)
        # rows and columns are mapped back by index below, so the compiler need not sort
        info = LinearStandardFormCompiler().write(m, mixed_form=True, file_determinism=FileDeterminism.NONE)
    colmap = np.array([v.index() for v in info.columns], dtype=np.int64)
    rid = np.array([con.index() for con, _ in info.rows], dtype=np.int64)
    _, first = np.unique(rid, return_index=True)
    keep = np.sort(first)
    A = sparse.csr_array(info.A)[keep, :].tocoo()
    mat = sparse.csc_array((A.data, (rid[keep][A.row], colmap[A.col])), shape=(fm.n_rows, fm.n_cols))
    mat.sum_duplicates()
    mat.sort_indices()
    return mat


@dataclass
class Stage:
    """Result of one solve: objective value and the solution vectors."""

    name: str
    objective: float
    x: np.ndarray
    row_value: np.ndarray
    row_dual: np.ndarray


@dataclass
class YearSolution:
    """Everything read from the solves of one year."""

    year: int
    bounds: YearBounds
    reference_bounds: YearBounds
    reference: Stage
    first: Stage  # O1: max deliveries to the `to` markets (duals)
    optimum: Stage
    to_max_pj: float
    iterations: int


class Solver:
    """A HiGHS instance holding one compiled :class:`FlowModel`.

    Parameters
    ----------
    fm : FlowModel
    redirect_from, redirect_to : set of str
        Market country codes.
    year : int
        Year whose bounds are used to build the Pyomo model (any year works; bounds
        are replaced per solve).
    """

    def __init__(self, fm: FlowModel, redirect_from: set[str], redirect_to: set[str], year: int,
                 supply: str = "baseline", threads: int | None = None):
        self.fm = fm
        self.supply = supply
        b = fm.bounds(year, supply)
        self.matrix = compile_model(fm, b)
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("random_seed", 0)
        if threads:
            self.h.setOptionValue("threads", int(threads))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = fm.n_cols, fm.n_rows
        lp.col_cost_ = np.zeros(fm.n_cols)
        lp.col_lower_, lp.col_upper_ = b.col_lower, b.col_upper
        lp.row_lower_, lp.row_upper_ = b.row_lower, b.row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = self.matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = self.matrix.data.astype(np.float64)
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = fm.n_cols, fm.n_rows
        self.h.passModel(lp)
        self.vec_to = fm.delivery_vector(set(redirect_to))
        self.vec_from = fm.delivery_vector(set(redirect_from))
        self.vec_all = fm.delivery_vector()
        self.vec_cost = fm.cost_vector()
        self.n_base_rows = fm.n_rows
        self.iterations = 0

    # ------------------------------------------------------------------ primitives
    def set_bounds(self, b: YearBounds) -> None:
        n, m = self.fm.n_cols, self.fm.n_rows
        self.h.changeColsBounds(n, np.arange(n, dtype=np.int32), b.col_lower, b.col_upper)
        self.h.changeRowsBounds(m, np.arange(m, dtype=np.int32), b.row_lower, b.row_upper)

    def _solve(self, name: str, cost: np.ndarray, warm: bool = True) -> Stage | None:
        """Solve with objective ``cost``.  ``warm``: only the costs (or an added row)
        changed since the last optimum, so the basis is primal feasible and primal
        simplex continues from it (dual simplex would restart; measured 27x slower
        per 6-stage year at 10k arcs, benchmarks/README.md)."""
        n = self.fm.n_cols
        self.h.changeColsCost(n, np.arange(n, dtype=np.int32), cost.astype(np.float64))
        self.h.setOptionValue("simplex_strategy", 4 if warm else 1)
        self.h.run()
        self.iterations += int(self.h.getInfo().simplex_iteration_count)
        status = self.h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise FlowModelError(f"HiGHS stopped with status '{self.h.modelStatusToString(status)}' in stage {name}")
        sol = self.h.getSolution()
        return Stage(name, float(self.h.getInfo().objective_function_value), np.array(sol.col_value),
                     np.array(sol.row_value)[: self.n_base_rows], np.array(sol.row_dual)[: self.n_base_rows])

    def _keep(self, vec: np.ndarray, value: float, sense: str) -> None:
        """Add a row holding objective ``vec @ x`` at its optimum ``value``."""
        tol = REL_TOL * max(1.0, abs(value))
        idx = np.flatnonzero(vec).astype(np.int32)
        lo, hi = (value - tol, highspy.kHighsInf) if sense == "max" else (-highspy.kHighsInf, value + tol)
        self.h.addRow(lo, hi, len(idx), idx, vec[idx])

    def _drop_stage_rows(self) -> None:
        extra = self.h.getNumRow() - self.n_base_rows
        if extra > 0:
            self.h.deleteRows(extra, np.arange(self.n_base_rows, self.n_base_rows + extra, dtype=np.int32))

    # ------------------------------------------------------------------ a year
    def solve_year(self, year: int) -> YearSolution:
        """Solve the reference and optimum stages of ``year``.

        Raises
        ------
        InfeasibleError
            When the contracts active in ``year`` cannot all be met; the exception
            carries the elastic diagnosis (:meth:`diagnose`).
        """
        fm = self.fm
        ref_b = fm.bounds(year, "baseline")
        opt_b = ref_b if self.supply == "baseline" else fm.bounds(year, self.supply)
        dev = fm.deviation_vector(ref_b)
        try:
            self.set_bounds(ref_b)
            r1 = self._solve("R1", dev, warm=False)
            if r1 is None:
                raise InfeasibleError(*self.diagnose(year, ref_b, "reference (observed output)"))
            self._keep(dev, r1.objective, "min")
            r2 = self._solve("R2", -self.vec_from)
            self._keep(self.vec_from, -r2.objective, "max")
            ref = self._solve("R3", -self.vec_all + TIE_BREAK * self.vec_cost)
            self._drop_stage_rows()
            opt_b = fm.anchored(opt_b, ref.x)
            self.set_bounds(opt_b)
            o1 = self._solve("O1", -self.vec_to, warm=False)
            if o1 is None:
                raise InfeasibleError(*self.diagnose(year, opt_b, "optimum"))
            t_max = -o1.objective
            self._keep(self.vec_to, t_max, "max")
            o2 = self._solve("O2", -self.vec_from)
            self._keep(self.vec_from, -o2.objective, "max")
            opt = self._solve("O3", fm.anchor_vector() + TIE_BREAK * self.vec_cost)
        finally:
            self._drop_stage_rows()
        return YearSolution(year, opt_b, ref_b, ref, o1, opt, t_max, self.iterations)

    # ------------------------------------------------------------------ elastic diagnosis
    def diagnose(self, year: int, b: YearBounds, stage: str) -> tuple[str, pd.DataFrame]:
        """Elastic re-solve: let contracts fall short at a PJ-weighted cost; name them."""
        self._drop_stage_rows()
        fm = self.fm
        cu = b.col_upper.copy()
        var = fm.cols["var"].to_numpy()
        cu[var == "s"] = highspy.kHighsInf
        n = fm.n_cols
        self.h.changeColsBounds(n, np.arange(n, dtype=np.int32), b.col_lower, cu)
        st = self._solve("elastic", fm.elastic_vector("s"), warm=False)
        self.set_bounds(b)
        if st is None:
            raise FlowModelError(f"{year}: the model is infeasible even with elastic contracts (a bug; please report)")
        con = fm.net.contracts
        rows = []
        for k in np.flatnonzero((var == "s") & (st.x > 1e-6)):
            c = fm.cols.at[k, "ref"]
            r = fm.contract_row_index[c]
            crow = con[con["id"] == c].iloc[0]
            rows.append({"year": year, "contract": c, "seller": crow["seller"], "buyer": crow["buyer"],
                         "commodity": fm.contract_com[c], "min_volume": b.row_lower[r],
                         "deliverable": b.row_lower[r] - st.x[k], "shortfall": st.x[k], "unit": crow["unit"]})
        diag = pd.DataFrame(rows).sort_values("contract", kind="stable") if rows else pd.DataFrame(rows)
        parts = [f"'{d.contract}' ({d.seller} -> {d.buyer}) falls short by {d.shortfall:.3g} {d.unit} "
                 f"of {d.min_volume:.3g}" for d in diag.itertuples()]
        msg = (f"{year}: contracts cannot all be met ({stage}, supply={b.supply}): " + "; ".join(parts)
               if parts else f"{year}: infeasible ({stage})")
        return msg, diag

    # ------------------------------------------------------------------ historical check
    def check_year(self, year: int) -> tuple[Stage, YearBounds]:
        """Fit the observed deliveries into the network of ``year`` elastically.

        Capacities may overflow, contracts fall short and (at 1000x the cost) the
        observed deliveries themselves move; everything is PJ-weighted. Returns the
        stage and the bounds used.
        """
        fm = self.fm
        b = fm.bounds(year, "baseline")
        cu = b.col_upper.copy()
        var = fm.cols["var"].to_numpy()
        cu[(var == "s") | (var == "e")] = highspy.kHighsInf
        self._drop_stage_rows()
        n = fm.n_cols
        self.set_bounds(b)
        self.h.changeColsBounds(n, np.arange(n, dtype=np.int32), b.col_lower, cu)
        cost = fm.elastic_vector("e") + fm.elastic_vector("s") + 1000.0 * fm.deviation_vector(b)
        st = self._solve("check", cost + TIE_BREAK * self.vec_cost, warm=False)
        if st is None:
            raise FlowModelError(f"{year}: the elastic check is infeasible (a bug; please report)")
        return st, b
