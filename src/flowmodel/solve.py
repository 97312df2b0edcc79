"""Solving with HiGHS: compile the named Pyomo model once, then re-solve by bounds and costs.

The formulation (:mod:`flowmodel.formulation`) is compiled with Pyomo's
``LinearStandardFormCompiler`` and passed to ``highspy`` in CSC form; every later stage
of a lexicographic solve, every year of a timeline and every sample of a sweep only
changes bounds, costs and a few added rows, so HiGHS warm-starts from the previous
basis.  Status is checked after every solve: numbers are never read from a
non-optimal solution.

Stages of :meth:`Solver.solve_year` (objectives from :mod:`flowmodel.question`):

* reference (supply capped at recorded output): R1 minimise the deviation from the
  observed baseline range; R2 maximise deliveries to the ``from`` markets; R3
  maximise all deliveries (tie-break: transport cost);
* optimum (scenario's supply mode): O1 maximise deliveries to the ``to`` markets
  (duals read here); O2 maximise the ``from`` markets; O3 minimise the change of
  every market's deliveries against the reference flow (tie-break: transport cost),
  so only what the redirect needs moves.

Each stage keeps the previous optimum as a constraint (relative tolerance 1e-9).

Solver strategy: a cold solve uses dual simplex, or HiGHS's interior-point method
with crossover when the LP has more than :data:`IPM_MIN_COLS` columns (measured in
``benchmarks/``: simplex stalls on the largest networks); every warm re-solve uses
primal simplex from the last basis.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import highspy
import numpy as np
import pandas as pd

from .errors import FlowModelError, InfeasibleError
from .formulation import Formulation, YearBounds, YearData
from .formulation.delivery import anchor
from .question import Objectives, Redirect
from .units import pj_per_unit

TIE_BREAK = 1e-5  # weight of the transport-cost tie-break relative to PJ
REL_TOL = 1e-9
IPM_MIN_COLS = 150_000  # cold solves of larger LPs use interior point + crossover
THREAD_MIN_COLS = 20_000  # LPs this large are solved in a worker thread (Ctrl-C stops them mid-solve)


@dataclass
class Stage:
    """Result of one solve: objective value and the solution vectors (layout order)."""

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
    splits: pd.DataFrame | None = None       # least/most per `to` market and commodity at the maximum
    own_max: dict[str, float] | None = None  # each commodity's own maximum to the `to` markets
    reference_last: Stage | None = None      # reference serving the `from` markets last
    optimum_last: Stage | None = None        # optimum against that reference
    physical: Stage | None = None            # O1 with every policy row free (only when a policy binds a flow)


class Solver:
    """A HiGHS instance holding one compiled :class:`~flowmodel.formulation.Formulation`.

    Parameters
    ----------
    form : Formulation
    redirect : Redirect
        The question (``from`` and ``to`` market countries).
    year : int
        Year whose bounds the Pyomo model is built with (any year works; bounds are
        replaced per solve).
    supply : ``baseline`` or ``capacity``
    """

    def __init__(self, form: Formulation, redirect: Redirect, year: int, supply: str = "baseline",
                 threads: int | None = None):
        self.form = form
        self.redirect = redirect
        self.supply = supply
        b = form.bounds(year, supply)
        self.matrix = form.compile(b)
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("random_seed", 0)
        if threads:
            self.h.setOptionValue("threads", int(threads))
        n, m = form.n_cols, form.n_rows
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_, lp.col_upper_ = b.col_lower, b.col_upper
        lp.row_lower_, lp.row_upper_ = b.row_lower, b.row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.matrix.indptr.astype(np.int32)
        lp.a_matrix_.index_ = self.matrix.indices.astype(np.int32)
        lp.a_matrix_.value_ = self.matrix.data.astype(np.float64)
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, m
        self.h.passModel(lp)
        self.h.HandleUserInterrupt = True  # Ctrl-C cancels a running solve (see _run)
        self.obj = Objectives(form, redirect)
        self.n_base_rows = m
        self._held: tuple[np.ndarray, ...] | None = None  # bounds HiGHS holds (set_bounds sends differences)
        self._all_cols = np.arange(n, dtype=np.int32)
        self._all_rows = np.arange(m, dtype=np.int32)
        self.iterations = 0

    # ------------------------------------------------------------------ primitives
    def set_bounds(self, b: YearBounds, col_upper: np.ndarray | None = None) -> None:
        """Give HiGHS the bounds ``b`` (``col_upper`` replaces the column upper bounds); only the
        bounds that differ from what HiGHS holds are sent (a sample changes a few)."""
        cu = b.col_upper if col_upper is None else col_upper
        new = (b.col_lower, cu, b.row_lower, b.row_upper)
        for arr in new:
            if np.isnan(arr).any():  # HiGHS must never see a NaN
                raise FlowModelError(f"{b.year}: a non-numeric bound reached the solver (a bug; please report)")
        old = self._held
        if old is None:
            cols, rows = self._all_cols, self._all_rows
        else:
            cols = np.flatnonzero((old[0] != new[0]) | (old[1] != new[1])).astype(np.int32)
            rows = np.flatnonzero((old[2] != new[2]) | (old[3] != new[3])).astype(np.int32)
        if len(cols):
            self.h.changeColsBounds(len(cols), cols, new[0][cols], new[1][cols])
        if len(rows):
            self.h.changeRowsBounds(len(rows), rows,  # type: ignore[attr-defined]
                                    new[2][rows], new[3][rows])
        self._held = tuple(a.copy() for a in new)

    def solve(self, name: str, cost: np.ndarray, warm: bool = True) -> Stage | None:
        """Solve with objective ``cost`` (minimise); ``None`` when infeasible.

        ``warm``: only the costs (or an added row) changed since the last optimum, so
        the basis is primal feasible and primal simplex continues from it (dual simplex
        would restart; measured 27x slower per 6-stage year at 10k arcs)."""
        h = self.h
        h.changeColsCost(len(self._all_cols), self._all_cols, cost.astype(np.float64))
        if not warm and self.form.n_cols >= IPM_MIN_COLS:
            h.setOptionValue("solver", "ipm")
            h.setOptionValue("run_crossover", "on")
        else:
            h.setOptionValue("solver", "simplex")
            h.setOptionValue("simplex_strategy", 4 if warm else 1)
        self._run()
        info = h.getInfo()
        self.iterations += int(info.simplex_iteration_count) + max(0, int(info.ipm_iteration_count))
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise FlowModelError(f"HiGHS stopped with status '{h.modelStatusToString(status)}' in stage {name}")
        sol = h.getSolution()
        m = self.n_base_rows
        return Stage(name, float(info.objective_function_value), np.array(sol.col_value),
                     np.array(sol.row_value)[:m], np.array(sol.row_dual)[:m])

    def _run(self) -> None:
        """Run HiGHS in a worker thread so that Ctrl-C stops it within a second: the main
        thread waits in short steps; on KeyboardInterrupt it asks HiGHS to stop (its user
        interrupt callback), waits for it and re-raises. Small LPs (solved in milliseconds)
        run in the calling thread: a thread per solve would dominate their time."""
        h = self.h
        if self.form.n_cols < THREAD_MIN_COLS:
            h.run()
            return
        h.startSolve()
        try:
            while not h.wait(0.05)[0]:
                pass
        except KeyboardInterrupt:
            h.cancelSolve()
            while not h.wait(0.05)[0]:
                pass
            raise

    def warm(self, name: str, cost: np.ndarray) -> Stage:
        """A warm stage: it keeps the last optimum feasible, so it cannot be infeasible."""
        st = self.solve(name, cost)
        if st is None:
            raise FlowModelError(f"HiGHS found stage {name} infeasible after a feasible stage (a bug; please report)")
        return st

    def keep(self, vec: np.ndarray, value: float, sense: str) -> None:
        """Add a row holding objective ``vec @ x`` at its optimum ``value``."""
        tol = REL_TOL * max(1.0, abs(value))
        idx = np.flatnonzero(vec).astype(np.int32)
        lo, hi = (value - tol, highspy.kHighsInf) if sense == "max" else (-highspy.kHighsInf, value + tol)
        self.h.addRow(lo, hi, len(idx), idx, vec[idx])

    def drop_stage_rows(self) -> None:
        extra = self.h.getNumRow() - self.n_base_rows
        if extra > 0:
            self.h.deleteRows(extra, np.arange(self.n_base_rows, self.n_base_rows + extra, dtype=np.int32))

    # ------------------------------------------------------------------ a year
    def reference(self, ref_b: YearBounds, from_first: bool = True) -> Stage:
        """Stages R1-R3: the reference flow of the year's bounds.

        R1 fits the observed deliveries; where their ranges leave room, R2 serves the
        ``from`` markets first (``from_first``) or last, and R3 maximises all deliveries."""
        o = self.obj
        dev = o.deviation(ref_b.observed.index)
        self.set_bounds(ref_b)
        r1 = self.solve("R1", dev, warm=False)
        if r1 is None:
            raise InfeasibleError(*self.diagnose(ref_b, "reference (observed output)"))
        self.keep(dev, r1.objective, "min")
        sign = 1.0 if from_first else -1.0
        r2 = self.warm("R2", -sign * o.from_)
        self.keep(o.from_, -sign * r2.objective, "max" if from_first else "min")
        ref = self.warm("R3", -o.all + TIE_BREAK * o.cost)
        self.drop_stage_rows()
        return ref

    def max_to(self, opt_b: YearBounds) -> Stage:
        """Stage O1 alone: the most the ``to`` markets can receive under ``opt_b``."""
        self.set_bounds(opt_b)
        o1 = self.solve("O1", -self.obj.to, warm=False)
        if o1 is None:
            raise InfeasibleError(*self.diagnose(opt_b, "optimum"))
        return o1

    def optimum(self, opt_b: YearBounds, ref: Stage, splits: bool = False
                ) -> tuple[YearBounds, Stage, Stage, pd.DataFrame | None]:
        """Stages O1-O3 against the reference ``ref``; with ``splits``, the least and most
        each ``to`` market can receive of each commodity at the O1 maximum."""
        form, o = self.form, self.obj
        opt_b = anchor(form.layout, opt_b, form.deliveries(ref.x).to_numpy())
        try:
            o1 = self.max_to(opt_b)
            self.keep(o.to, -o1.objective, "max")
            split = self._splits() if splits else None
            o2 = self.warm("O2", -o.from_)
            self.keep(o.from_, -o2.objective, "max")
            opt = self.warm("O3", o.deviation() + TIE_BREAK * o.cost)
        finally:
            self.drop_stage_rows()
        return opt_b, o1, opt, split

    def _splits(self) -> pd.DataFrame:
        """With the ``to`` maximum kept: least and most of each (country, commodity) of the
        ``to`` markets (two warm solves each), in the commodity's unit."""
        rows = []
        for country, com in self.form.sets.delivery_keys:
            if country not in self.redirect.to:
                continue
            vec = self.obj.deliveries([country], com)
            pj = pj_per_unit(com)
            low = self.warm(f"split-min {country}/{com}", vec).objective / pj
            high = -self.warm(f"split-max {country}/{com}", -vec).objective / pj
            rows.append({"commodity": com, "country": country, "low": low, "high": high})
        return pd.DataFrame(rows, columns=["commodity", "country", "low", "high"])

    def own_maxima(self, opt_b: YearBounds) -> dict[str, float]:
        """Each commodity's own maximum to the ``to`` markets (alone, not in the joint PJ
        optimum), in its unit."""
        self.set_bounds(opt_b)
        out = {}
        for com in sorted({k[1] for k in self.form.sets.delivery_keys if k[0] in self.redirect.to}):
            st = self.warm(f"own {com}", -self.obj.deliveries(self.redirect.to, com))
            out[com] = -st.objective / pj_per_unit(com)
        return out

    def solve_year(self, year: int, data: YearData | None = None, extras: bool = True) -> YearSolution:
        """Solve the reference and optimum stages of ``year``.

        ``data`` replaces the figures read from the network (e.g. a sample).  When a
        policy bounds a flow, the physical maximum (O1 with every policy free) is solved
        too.  With ``extras`` (default) also: the market splits at the maximum, each commodity's own
        maximum, and the optimum against a reference that serves the ``from`` markets
        last (the low end of what the redirect takes from them).

        Raises
        ------
        InfeasibleError
            When the contracts active in ``year`` cannot all be met; the exception
            carries the elastic diagnosis (:meth:`diagnose`).
        """
        form = self.form
        ref_b = form.bounds(year, "baseline") if data is None else form.bounds_from(data)
        opt_b = ref_b if self.supply == "baseline" else form.bounds(year, self.supply)
        ref = self.reference(ref_b)
        opt_b, o1, opt, split = self.optimum(opt_b, ref, splits=extras)
        sol = YearSolution(year, opt_b, ref_b, ref, o1, opt, -o1.objective, self.iterations, split)
        if opt_b.has_policy:
            sol.physical = self.max_to(form.without_policies(opt_b))
        if extras:
            sol.own_max = self.own_maxima(opt_b)
            sol.reference_last = self.reference(ref_b, from_first=False)
            sol.optimum_last = self.optimum(opt_b, sol.reference_last)[2]
            sol.iterations = self.iterations
        return sol

    # ------------------------------------------------------------------ elastic diagnosis
    def diagnose(self, b: YearBounds, stage: str) -> tuple[str, pd.DataFrame]:
        """Elastic re-solve: let contracts fall short at a PJ-weighted cost; name them."""
        self.drop_stage_rows()
        form = self.form
        lay = form.layout
        cu = b.col_upper.copy()
        cu[lay.col("shortfall")] = np.inf
        self.set_bounds(b, cu)
        st = self.solve("elastic", self.obj.elastic("shortfall"), warm=False)
        self.set_bounds(b)
        if st is None:
            raise FlowModelError(f"{b.year}: the model is infeasible even with elastic contracts (a bug; please report)")
        short = form.var("shortfall", st.x)
        minimum = form.row("contract_min", b.row_lower)
        con = form.net.contracts.drop_duplicates("id").set_index("id")
        rows = [{"year": b.year, "contract": c, "seller": con.at[c, "seller"], "buyer": con.at[c, "buyer"],
                 "commodity": con.at[c, "commodity"], "min_volume": minimum[c],
                 "deliverable": minimum[c] - v, "shortfall": v, "unit": con.at[c, "unit"]}
                for c, v in short.items() if v > 1e-6]
        diag = pd.DataFrame(rows).sort_values("contract", kind="stable") if rows else pd.DataFrame(rows)
        parts = [f"'{d.contract}' ({d.seller} -> {d.buyer}) falls short by {d.shortfall:.3g} {d.unit} "
                 f"of {d.min_volume:.3g}" for d in diag.itertuples()]
        msg = (f"{b.year}: contracts cannot all be met ({stage}, supply={b.supply}): " + "; ".join(parts)
               if parts else f"{b.year}: infeasible ({stage})")
        return msg, diag

    # ------------------------------------------------------------------ historical check
    def check_year(self, year: int) -> tuple[Stage, YearBounds]:
        """Fit the recorded outputs and observed deliveries into the network of ``year``.

        Each origin must produce its recorded output (within its range, or the
        recorded figure less ``CHECK_TOLERANCE``) and the deliveries must fall in their
        observed ranges.  Elastically: capacities may overflow, outputs fall short of the
        record, contracts fall short and (at 1000x the cost) the observed deliveries
        themselves move; everything is PJ-weighted. Returns the stage and the bounds used.
        """
        form = self.form
        data = form.tables.year_data(year, "baseline")
        proj = data.obs_projected
        if proj.any():  # a projection is not an observation: not checked
            data = data.with_values(obs_low=np.where(proj, np.nan, data.obs_low),
                                    obs_high=np.where(proj, np.nan, data.obs_high),
                                    obs_volume=np.where(proj, np.nan, data.obs_volume))
        b = form.bounds_from(data)
        floor = b.data.output_floor[form.layout.rows["node_capacity"].ref]
        rl = b.row_lower.copy()
        rows = form.layout.row("node_capacity")
        rl[rows] = np.where(np.isnan(floor), rl[rows], floor)
        b = replace(b, row_lower=rl)
        cu = b.col_upper.copy()
        elastic = ("node_overflow", "node_underflow", "arc_overflow", "shortfall")
        for fam in elastic:
            cu[form.layout.col(fam)] = np.inf
        self.drop_stage_rows()
        self.set_bounds(b, cu)
        o = self.obj
        cost = o.elastic(*elastic) + 1000.0 * o.deviation(b.observed.index)
        st = self.solve("check", cost + TIE_BREAK * o.cost, warm=False)
        if st is None:
            raise FlowModelError(f"{year}: the elastic check is infeasible (a bug; please report)")
        return st, b
