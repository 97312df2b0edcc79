"""Benchmark: flowmodel build + solve against raw highspy on the same LP.

Run on demand (not a pytest test):

    python benchmarks/bench_model.py                       # 1k and 10k arcs, 3 repeats
    python benchmarks/bench_model.py --sizes 1000,10000,100000
    python benchmarks/bench_model.py --sizes 1000 --repeats 5 --out /tmp/bench

See benchmarks/README.md for how to read the table.  What is measured, per size:

* ``o1``: ONE LP solve, the O1 stage of :meth:`flowmodel.solve.Solver.solve_year`
  (maximise PJ delivered to JP/KR, contracts to CN enforced, supply capped at the
  year's observed production), from a loaded :class:`~flowmodel.network.Network` to an
  optimal objective.  flowmodel's time is split into Formulation construction, year
  bounds, Pyomo build, standard-form compile, HiGHS set-up (passModel + objective
  vectors) and the HiGHS run.  It is compared with raw highspy (``passModel`` with CSC
  arrays + ``run``) on (a) the matrix flowmodel compiled and (b) the same LP built
  independently here with numpy/scipy from the network tables.  All three optimal
  objectives must agree (rel. 1e-6): this is a correctness cross-check of the
  formulation and of the compile step.
* ``solve_year``: the 6 lexicographic stages (R1-R3, O1-O3) on an already built Solver.
* ``timeline``: N years (default 10) solved by one Solver built once (bounds and costs
  changed, warm starts) against N cold builds (Formulation + Solver + solve_year per year).

Timings are medians over ``--repeats`` (default 3; 1 for sizes >= 50k arcs).  Both
flowmodel and raw highspy run with the same HiGHS ``threads`` option (``--threads``,
default 1) and ``random_seed = 0``, presolve on (HiGHS defaults otherwise).
"""

from __future__ import annotations

import argparse
import csv
import gc
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import highspy
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import csgraph

import flowmodel.solve as fsolve
from flowmodel.formulation import Formulation
from flowmodel.question import Redirect
from flowmodel.network import Network, active_mask, from_frames
from flowmodel.units import pj_per_unit

SOURCE = "synthetic benchmark (benchmarks/bench_model.py)"
UNIT = "Mt/yr"
FIRST_YEAR = 2015
BENCH_YEAR = 2020
FROM_MARKETS = {"CN"}
TO_MARKETS = {"JP", "KR"}
N_ORIGINS = 6
N_TERMINALS = 4


# =========================================================================== synthetic network
def layer_shape(arcs: int, origins: int = N_ORIGINS) -> tuple[int, int]:
    """Width W and depth L of the junction grid for about ``arcs`` arcs.

    Every junction has 2 out-arcs (straight on, one step sideways), so the grid has
    about 2*W*L arcs.  Origin *o* feeds a band of W/O first-layer junctions and its
    reach widens by one junction per layer, so with L = 2W/O the average arc is
    reachable from about 2 origins (LP columns ~ 2-3x arcs) at every size.
    """
    w = max(origins * 2, int(round(math.sqrt(arcs * origins / 4.0))))
    depth = max(2, int(round(arcs / (2.0 * w))))
    return w, depth


def synthetic_frames(arcs: int, seed: int = 0, origins: int = N_ORIGINS, years: int = 10) -> dict[str, pd.DataFrame]:
    """Network tables of a layered crude network with about ``arcs`` arcs.

    * ``origins`` supply nodes (oilfields, RU), each piped into its own band of the
      first junction layer (kept small on purpose: origin tracking multiplies the x
      columns by the origins that can reach an arc);
    * L layers of W junctions (no capacity limit) joined by pipelines with random
      capacities; ~10 % of them are expanded in 2020 (two rows, capacity step) and
      ~3 % only open in 2018;
    * the last layer feeds a CN market by pipeline (even columns) or one of a few
      export terminals (odd columns); terminals ship by tanker (no arc capacity) to
      JP and KR markets;
    * two contracts to CN (one single-seller, one two-seller from 2018);
    * production (supply capped at observed output) and a baseline of CN/JP/KR
      deliveries for ``years`` years from 2015.

    Deterministic for a given (arcs, seed, origins, years).
    """
    rng = np.random.default_rng(seed)
    W, L = layer_shape(arcs, origins)
    last_year = FIRST_YEAR + years - 1

    def node(i, name, kind, country, cap=None):
        return {"id": i, "name": name, "kind": kind, "country": country, "commodity": "crude",
                "capacity": "" if cap is None else round(float(cap), 3), "unit": UNIT,
                "status": "counterfactual", "source": SOURCE}

    nodes = [node(f"O{o}", f"Oilfield {o}", "supply", "RU", rng.uniform(60, 120)) for o in range(origins)]
    nodes += [node(f"J{l}_{j}", f"Junction {l}/{j}", "junction", "RU") for l in range(L) for j in range(W)]
    nodes += [node(f"T{t}", f"Export terminal {t}", "terminal", "RU", rng.uniform(40, 80))
              for t in range(N_TERMINALS)]
    nodes += [node("M_CN", "China", "market", "CN"), node("M_JP", "Japan", "market", "JP"),
              node("M_KR", "Korea", "market", "KR", 150.0)]

    arc_rows: list[dict] = []

    def arc(i, a, b, cap, mode="pipeline", length=None, start=None, end=None):
        arc_rows.append({"id": i, "from": a, "to": b, "commodity": "crude",
                         "capacity": "" if cap is None else round(float(cap), 3), "unit": UNIT, "mode": mode,
                         "length_km": round(float(rng.uniform(50, 500) if length is None else length), 1),
                         "start_year": "" if start is None else start, "end_year": "" if end is None else end,
                         "status": "counterfactual", "source": SOURCE})

    band = W / origins
    for o in range(origins):
        for j in range(int(round(o * band)), int(round((o + 1) * band))):
            arc(f"A_O{o}_{j}", f"O{o}", f"J0_{j}", rng.uniform(10, 40))
    n_grid = 0
    for l in range(L - 1):
        caps = rng.uniform(5, 50, size=(W, 2))
        step = rng.random((W, 2))
        for j in range(W):
            for d, jj in enumerate((j, (j + 1) % W)):
                aid, tail, head, cap = f"A{l}_{j}_{d}", f"J{l}_{j}", f"J{l + 1}_{jj}", caps[j, d]
                u = step[j, d]
                if u < 0.10:    # expansion in 2020: two rows of one id
                    arc(aid, tail, head, cap, end=2019)
                    arc_rows[-1]["notes"] = "before expansion"
                    arc(aid, tail, head, cap * 1.5, length=arc_rows[-1]["length_km"], start=2020)
                elif u < 0.13:  # new pipeline from 2018
                    arc(aid, tail, head, cap, start=2018)
                else:
                    arc(aid, tail, head, cap)
                n_grid += 1
    for j in range(W):
        tail = f"J{L - 1}_{j}"
        if j % 2 == 0:
            arc(f"A_CN_{j}", tail, "M_CN", rng.uniform(5, 30))
        else:
            arc(f"A_T{j}", tail, f"T{j // 2 % N_TERMINALS}", rng.uniform(5, 30))
    for t in range(N_TERMINALS):
        arc(f"S_T{t}_JP", f"T{t}", "M_JP", None, mode="tanker", length=1500 + 100 * t)
        arc(f"S_T{t}_KR", f"T{t}", "M_KR", None, mode="tanker", length=1200 + 100 * t)

    contracts = [
        {"id": "C_CN_1", "seller": "O0", "buyer": "M_CN", "commodity": "crude", "min_volume": 5.0,
         "max_volume": 30.0, "unit": UNIT, "start_year": FIRST_YEAR, "end_year": last_year,
         "status": "counterfactual", "source": SOURCE},
        {"id": "C_CN_2", "seller": f"O1;O{origins - 1}", "buyer": "M_CN", "commodity": "crude",
         "min_volume": 8.0, "max_volume": "", "unit": UNIT, "start_year": 2018, "end_year": "",
         "status": "counterfactual", "source": SOURCE},
    ]
    prod, base = [], []
    supply_cap = {n["id"]: n["capacity"] for n in nodes if n["kind"] == "supply"}
    for y in range(FIRST_YEAR, last_year + 1):
        f = 0.75 + 0.02 * (y - FIRST_YEAR)
        for o, cap in supply_cap.items():
            prod.append({"year": y, "node": o, "commodity": "crude", "volume": round(cap * f, 3), "unit": UNIT,
                         "status": "estimate", "source": SOURCE})
        for country, v in (("CN", 60.0), ("JP", 20.0), ("KR", 15.0)):
            vol = v * (1 + 0.03 * (y - FIRST_YEAR))
            base.append({"year": y, "market": country, "commodity": "crude", "volume": round(vol, 3),
                         "volume_low": round(0.9 * vol, 3), "volume_high": round(1.1 * vol, 3), "unit": UNIT,
                         "status": "estimate", "source": SOURCE})
    return {"nodes": pd.DataFrame(nodes), "arcs": pd.DataFrame(arc_rows), "contracts": pd.DataFrame(contracts),
            "production": pd.DataFrame(prod), "baseline": pd.DataFrame(base)}


# =========================================================================== independent LP
def independent_lp(net: Network, year: int, to_countries: set[str]) -> dict:
    """The O1 LP of ``year`` built directly from the network tables with numpy/scipy.

    Written from the formulation in the docstrings of :mod:`flowmodel.formulation`, not from
    its code: x columns per (arc, origin) for arcs whose tail is reachable from the
    origin; balance rows per (node, origin); capacity rows only where finite
    (columns fixed at 0 -- overflow, shortfall, deficit/excess of unobserved keys --
    are left out); allocation columns y per (contract, seller); delivery rows with
    the baseline range; a conversion row per liquefaction plant (LNG out = 0.735 x gas in);
    one maximum row per contract (the same as flowmodel's group rows while no two contracts
    with a maximum share sellers and buyer).
    Objective: minimise -(PJ delivered to markets in ``to_countries``).
    Also used as the test oracle of tests/test_oracle.py.
    """
    nodes = net.nodes.drop_duplicates("id").reset_index(drop=True)
    arcs = net.arcs.drop_duplicates("id").reset_index(drop=True)
    nid = {n: i for i, n in enumerate(nodes["id"])}
    N, A = len(nodes), len(arcs)
    kind = nodes["kind"].to_numpy()
    tail = arcs["from"].map(nid).to_numpy(np.int64)
    head = arcs["to"].map(nid).to_numpy(np.int64)
    a_com = arcs["commodity"].to_numpy()
    n_com = nodes["commodity"].to_numpy()
    origin_kind = (kind == "supply") | (kind == "liquefaction")
    origins = np.flatnonzero(origin_kind)
    # --- reach: nodes reachable from origin o through arcs of o's commodity; markets and
    # liquefaction plants (other than o itself) end a path
    x_arc, x_org = [], []
    for o in origins:
        ok = (a_com == n_com[o]) & (((kind[tail] != "market") & (kind[tail] != "liquefaction")) | (tail == o))
        g = sparse.csr_array((np.ones(ok.sum()), (tail[ok], head[ok])), shape=(N, N))
        reach = np.zeros(N, bool)
        reach[csgraph.breadth_first_order(g, o, directed=True, return_predecessors=False)] = True
        arcs_o = np.flatnonzero(reach[tail] & ok)
        x_arc.append(arcs_o)
        x_org.append(np.full(len(arcs_o), o))
    x_arc = np.concatenate(x_arc)
    x_org = np.concatenate(x_org)
    nx = len(x_arc)
    xcols = np.arange(nx)
    # --- year data
    nodes_y = net.nodes[active_mask(net.nodes, year)].set_index("id")["capacity"]
    arcs_y = net.arcs[active_mask(net.arcs, year)].set_index("id")["capacity"]
    ncap = nodes["id"].map(nodes_y).to_numpy(float)          # NaN: no limit
    ncap[~nodes["id"].isin(nodes_y.index).to_numpy()] = 0.0    # not in service
    ncap[np.isnan(ncap) & nodes["id"].isin(nodes_y.index).to_numpy()] = np.inf
    acap = arcs["id"].map(arcs_y).to_numpy(float)
    acap[~arcs["id"].isin(arcs_y.index).to_numpy()] = 0.0
    acap[np.isnan(acap) & arcs["id"].isin(arcs_y.index).to_numpy()] = np.inf
    prod = net.production[net.production["year"] == year].set_index("node")["volume"]
    for n, v in prod.items():
        i = nid[n]
        if origin_kind[i] and nodes["id"][i] in nodes_y.index:
            ncap[i] = min(ncap[i], float(v))

    rows_i, cols_i, vals, rlo, rhi = [], [], [], [], []
    nrow = 0

    def add_block(r, c, v, lo, hi):
        nonlocal nrow
        rows_i.append(np.asarray(r, np.int64) + nrow)
        cols_i.append(np.asarray(c, np.int64))
        vals.append(np.asarray(v, float))
        rlo.append(np.asarray(lo, float))
        rhi.append(np.asarray(hi, float))
        nrow += len(rlo[-1])

    # balance: for each non-market node n and origin o != n: out - in = 0
    tn = np.concatenate([tail[x_arc], head[x_arc]])
    sg = np.concatenate([np.ones(nx), -np.ones(nx)])
    cc = np.concatenate([xcols, xcols])
    oo = np.concatenate([x_org, x_org])
    consumed = (kind[tn] == "liquefaction") & (n_com[oo] != n_com[tn])
    keep = (kind[tn] != "market") & (tn != oo) & ~consumed
    key = tn[keep] * N + oo[keep]
    uk, r = np.unique(key, return_inverse=True)
    add_block(r, cc[keep], sg[keep], np.zeros(len(uk)), np.zeros(len(uk)))
    # conversion: LNG leaving plant L (its own product) = 0.735 x everything entering it
    for L in np.flatnonzero(kind == "liquefaction"):
        out_c = np.flatnonzero((x_org == L) & (tail[x_arc] == L))
        in_c = np.flatnonzero(head[x_arc] == L)
        add_block(np.zeros(len(out_c) + len(in_c)), np.concatenate([out_c, in_c]),
                  np.concatenate([np.ones(len(out_c)), np.full(len(in_c), -0.735)]), [0.0], [0.0])
    # node capacity: origins -> own output (less own product flowing back); others -> all inflow
    own_out = x_org == tail[x_arc]
    back = x_org == head[x_arc]
    fin = np.isfinite(ncap)
    sup = origin_kind
    c1 = np.flatnonzero(own_out & sup[tail[x_arc]] & fin[tail[x_arc]])
    c1b = np.flatnonzero(back & sup[head[x_arc]] & fin[head[x_arc]])
    c2 = np.flatnonzero(~sup[head[x_arc]] & fin[head[x_arc]])
    ids = np.concatenate([tail[x_arc][c1], head[x_arc][c1b], head[x_arc][c2]])
    un, r = np.unique(ids, return_inverse=True)
    add_block(r, np.concatenate([c1, c1b, c2]), np.concatenate([np.ones(len(c1)), -np.ones(len(c1b)),
                                                                np.ones(len(c2))]),
              np.full(len(un), -np.inf), ncap[un])
    # arc capacity
    c3 = np.flatnonzero(np.isfinite(acap[x_arc]))
    ua, r = np.unique(x_arc[c3], return_inverse=True)
    add_block(r, c3, np.ones(len(c3)), np.full(len(ua), -np.inf), acap[ua])
    # contracts
    con = net.contracts.drop_duplicates("id").reset_index(drop=True)
    con_y = net.contracts[active_mask(net.contracts, year)].set_index("id")
    ncol = nx
    y_of: dict[tuple[int, int], list[int]] = {}
    for _, c in con.iterrows():
        sellers = [nid[s.strip()] for s in str(c["seller"]).split(";")]
        b = nid[c["buyer"]]
        ys = list(range(ncol, ncol + len(sellers)))
        ncol += len(sellers)
        for s, yk in zip(sellers, ys):
            y_of.setdefault((s, b), []).append(yk)
        active = c["id"] in con_y.index
        mn = float(con_y.at[c["id"], "min_volume"]) if active else -np.inf
        mx = con_y.at[c["id"], "max_volume"] if active else np.nan
        mx = np.inf if pd.isna(mx) else float(mx)
        add_block(np.zeros(len(ys)), ys, np.ones(len(ys)), [mn], [np.inf])
        xs = np.flatnonzero((head[x_arc] == b) & np.isin(x_org, sellers))
        if np.isfinite(mx):
            add_block(np.zeros(len(xs)), xs, np.ones(len(xs)), [-np.inf], [mx])
    for (s, b), ys in y_of.items():
        xs = np.flatnonzero((head[x_arc] == b) & (x_org == s))
        add_block(np.zeros(len(ys) + len(xs)), ys + list(xs), [1.0] * len(ys) + [-1.0] * len(xs), [-np.inf], [0.0])
    # deliveries per (country, commodity) with an observed range: sum x - w - p + m = lo
    base = net.baseline[net.baseline["year"] == year]
    country = nodes["country"].to_numpy()
    w_upper: dict[int, float] = {}
    for _, b in base.iterrows():
        v = float(b["volume"])
        lo = min(v, float(b["volume_low"])) if not pd.isna(b["volume_low"]) else v
        hi = max(v, float(b["volume_high"])) if not pd.isna(b["volume_high"]) else v
        hn = head[x_arc]
        xs = np.flatnonzero((kind[hn] == "market") & (country[hn] == b["market"]) & (n_com[hn] == b["commodity"]))
        w, p, m = ncol, ncol + 1, ncol + 2
        ncol += 3
        add_block(np.zeros(len(xs) + 3), list(xs) + [w, p, m], [1.0] * len(xs) + [-1.0, -1.0, 1.0], [lo], [lo])
        w_upper[w] = hi - lo
    col_upper = np.full(ncol, np.inf)
    for k, v in w_upper.items():
        col_upper[k] = v
    cost = np.zeros(ncol)
    hn = head[x_arc]
    to = (kind[hn] == "market") & np.isin(country[hn], list(to_countries))
    cost[:nx][to] = -np.array([pj_per_unit(c) for c in a_com[x_arc[to]]])
    A_ = sparse.csc_array((np.concatenate(vals), (np.concatenate(rows_i), np.concatenate(cols_i))),
                          shape=(nrow, ncol))
    A_.sum_duplicates()
    A_.sort_indices()
    return {"A": A_, "cost": cost, "col_lower": np.zeros(ncol), "col_upper": col_upper,
            "row_lower": np.concatenate(rlo), "row_upper": np.concatenate(rhi)}


# =========================================================================== raw highspy
def new_highs(threads: int) -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", int(threads))
    return h


def raw_solve(lp: dict, threads: int) -> dict:
    """passModel (CSC arrays) + run on a fresh Highs; returns times and the objective.

    Uses the solver flowmodel uses for a cold solve of that size (dual simplex, or
    interior point + crossover from ``flowmodel.solve.IPM_MIN_COLS`` columns)."""
    A = lp["A"]
    h = new_highs(threads)
    if A.shape[1] >= fsolve.IPM_MIN_COLS:
        h.setOptionValue("solver", "ipm")
        h.setOptionValue("run_crossover", "on")
    else:
        h.setOptionValue("simplex_strategy", 1)
    t0 = time.perf_counter()
    st = h.passModel(int(A.shape[1]), int(A.shape[0]), int(A.nnz), int(highspy.MatrixFormat.kColwise),
                     int(highspy.ObjSense.kMinimize), 0.0, lp["cost"], lp["col_lower"], lp["col_upper"],
                     lp["row_lower"], lp["row_upper"], A.indptr.astype(np.int32), A.indices.astype(np.int32),
                     A.data.astype(np.float64), np.zeros(A.shape[1], np.int32))
    t1 = time.perf_counter()
    assert st == highspy.HighsStatus.kOk, st
    h.run()
    t2 = time.perf_counter()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"raw highspy: {h.modelStatusToString(status)}")
    info = h.getInfo()
    return {"pass": t1 - t0, "run": t2 - t1, "objective": float(info.objective_function_value),
            "iterations": int(info.simplex_iteration_count)}


# =========================================================================== flowmodel, instrumented
class Phases:
    """Wall time of named phases, recorded by wrapping functions (src/ is not edited)."""

    def __init__(self):
        self.t: dict[str, float] = {}

    def wrap(self, name: str, fn: Callable) -> Callable:
        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                self.t[name] = self.t.get(name, 0.0) + time.perf_counter() - t0
        return timed


def flowmodel_o1(net: Network, year: int, threads: int) -> tuple[dict, fsolve.Solver]:
    """Formulation + Solver + the O1 solve, timed per phase (see module docstring)."""
    ph = Phases()
    t0 = time.perf_counter()
    form = Formulation(net)
    t1 = time.perf_counter()
    # instance-level wrappers: bounds, Pyomo build, compile and the objective vectors
    form.bounds = ph.wrap("bounds", form.bounds)
    form.build_pyomo = ph.wrap("pyomo_build", form.build_pyomo)
    form.compile = ph.wrap("compile_total", form.compile)
    orig_obj = fsolve.Objectives
    fsolve.Objectives = ph.wrap("vectors", orig_obj)
    try:
        solver = fsolve.Solver(form, Redirect.of(FROM_MARKETS, TO_MARKETS), year, threads=threads)
    finally:
        fsolve.Objectives = orig_obj
    t2 = time.perf_counter()
    st = solver.solve("O1", -solver.obj.to, warm=False)  # as in solve_year: a cold solve
    t3 = time.perf_counter()
    for name in ("bounds", "build_pyomo", "compile"):
        form.__dict__.pop(name, None)   # back to the class methods for later use
    if st is None:
        raise RuntimeError("flowmodel O1: infeasible")
    p = {k: ph.t.get(k, 0.0) for k in ("bounds", "pyomo_build", "compile_total", "vectors")}
    out = {
        "fm_init": t1 - t0,
        "bounds": p["bounds"],
        "pyomo_build": p["pyomo_build"],
        "compile": p["compile_total"] - p["pyomo_build"],
        "highs_setup": (t2 - t1) - p["bounds"] - p["compile_total"] - p["vectors"],
        "vectors": p["vectors"],
        "run": t3 - t2,
        "total": t3 - t0,
        "objective": st.objective,
        "iterations": solver.iterations,
    }
    return out, solver


def fm_lp_arrays(solver: fsolve.Solver, year: int) -> dict:
    """The LP flowmodel passed to HiGHS (its compiled matrix, the year's bounds, the O1 cost)."""
    b = solver.form.bounds(year, "baseline")
    return {"A": solver.matrix, "cost": -solver.obj.to, "col_lower": b.col_lower, "col_upper": b.col_upper,
            "row_lower": b.row_lower, "row_upper": b.row_upper}


# =========================================================================== driver
def median(xs: list[float]) -> float:
    return float(statistics.median(xs))


def timed(fn: Callable) -> tuple[float, object]:
    t0 = time.perf_counter()
    r = fn()
    return time.perf_counter() - t0, r


def bench_size(arcs_target: int, repeats: int, threads: int, timeline_years: int, cold: bool,
               seed: int, timeline_repeats: int = 1) -> dict:
    row: dict = {"arcs_target": arcs_target}
    frames = synthetic_frames(arcs_target, seed=seed, years=max(timeline_years, 10))
    t_load, net = timed(lambda: from_frames(frames, name=f"synthetic_{arcs_target}"))
    n_arcs = net.arcs["id"].nunique()
    row.update({"arcs": n_arcs, "arc_rows": len(net.arcs), "nodes": net.nodes["id"].nunique(),
                "origins": int((net.nodes["kind"] == "supply").sum()), "load_s": t_load})
    log(f"--- {arcs_target} arcs target: {n_arcs} arcs, {row['nodes']} nodes, {row['origins']} origins; "
        f"from_frames (validation) {t_load:.2f} s")

    # --- ONE LP solve (O1): flowmodel vs raw highspy on the same LP
    fm_runs, raw_runs, ind_runs, ind_build = [], [], [], []
    solver = None
    for i in range(repeats):
        solver = None
        gc.collect()
        r, solver = flowmodel_o1(net, BENCH_YEAR, threads)
        fm_runs.append(r)
        lp_fm = fm_lp_arrays(solver, BENCH_YEAR)
        raw_runs.append(raw_solve(lp_fm, threads))
        tb, lp_ind = timed(lambda: independent_lp(net, BENCH_YEAR, TO_MARKETS))
        ind_build.append(tb)
        ind_runs.append(raw_solve(lp_ind, threads))
        log(f"  repeat {i + 1}/{repeats}: flowmodel {r['total']:.3f} s, raw(same LP) "
            f"{raw_runs[-1]['pass'] + raw_runs[-1]['run']:.3f} s, raw(independent LP) "
            f"{ind_runs[-1]['pass'] + ind_runs[-1]['run']:.3f} s")
    obj_fm, obj_raw, obj_ind = fm_runs[0]["objective"], raw_runs[0]["objective"], ind_runs[0]["objective"]
    for name, o in (("raw highspy, flowmodel's matrix", obj_raw), ("raw highspy, independent LP", obj_ind)):
        if not math.isclose(o, obj_fm, rel_tol=1e-6, abs_tol=1e-9):
            raise AssertionError(f"{arcs_target} arcs: objective mismatch: flowmodel {obj_fm!r} vs {name} {o!r}")
    A = solver.matrix
    row.update({"lp_rows": A.shape[0], "lp_cols": A.shape[1], "lp_nnz": A.nnz,
                "ind_rows": lp_ind["A"].shape[0], "ind_cols": lp_ind["A"].shape[1], "ind_nnz": lp_ind["A"].nnz,
                "objective_pj": -obj_fm, "objective_raw_pj": -obj_raw, "objective_ind_pj": -obj_ind,
                "objectives_agree": True})
    for k in ("fm_init", "bounds", "pyomo_build", "compile", "highs_setup", "vectors", "run", "total"):
        row[f"fm_{k}_s" if not k.startswith("fm_") else f"{k}_s"] = median([r[k] for r in fm_runs])
    row["raw_pass_s"] = median([r["pass"] for r in raw_runs])
    row["raw_run_s"] = median([r["run"] for r in raw_runs])
    row["raw_total_s"] = median([r["pass"] + r["run"] for r in raw_runs])
    row["ind_build_s"] = median(ind_build)
    row["ind_total_s"] = median([r["pass"] + r["run"] for r in ind_runs])
    row["ratio_fm_raw"] = row["fm_total_s"] / row["raw_total_s"]
    row["ratio_fm_ind"] = row["fm_total_s"] / row["ind_total_s"]
    row["ratio_fm_ind_incl_build"] = row["fm_total_s"] / (row["ind_total_s"] + row["ind_build_s"])
    row["iterations_fm"] = fm_runs[0]["iterations"]
    row["iterations_raw"] = raw_runs[0]["iterations"]

    # --- full solve_year (6 stages) on the built solver
    sy = []
    for _ in range(repeats):
        t, sol = timed(lambda: solver.solve_year(BENCH_YEAR, extras=False))  # the 6 stages
        sy.append(t)
    row["solve_year_s"] = median(sy)
    if not math.isclose(sol.to_max_pj, -obj_fm, rel_tol=1e-6):
        raise AssertionError(f"solve_year O1 {sol.to_max_pj} != standalone O1 {-obj_fm}")
    solver = None
    gc.collect()

    # --- timeline: build once + N warm solve_year vs N cold builds
    years = list(range(FIRST_YEAR, FIRST_YEAR + timeline_years))
    row["timeline_years"] = timeline_years
    if timeline_years:
        def once():
            s = fsolve.Solver(Formulation(net), Redirect.of(FROM_MARKETS, TO_MARKETS), years[0], threads=threads)
            return [s.solve_year(y, extras=False).to_max_pj for y in years]

        def cold_loop():
            out = []
            for y in years:
                s = fsolve.Solver(Formulation(net), Redirect.of(FROM_MARKETS, TO_MARKETS), y, threads=threads)
                out.append(s.solve_year(y, extras=False).to_max_pj)
            return out

        tl = [timed(once) for _ in range(timeline_repeats)]
        row["timeline_once_s"] = median([t for t, _ in tl])
        warm_vals = tl[0][1]
        if cold:
            tc = [timed(cold_loop) for _ in range(timeline_repeats)]
            row["timeline_cold_s"] = median([t for t, _ in tc])
            cold_vals = tc[0][1]
            bad = [(y, a, b) for y, a, b in zip(years, warm_vals, cold_vals) if not math.isclose(a, b, rel_tol=1e-6)]
            if bad:
                raise AssertionError(f"timeline: warm and cold O1 optima differ: {bad[:3]}")
            row["timeline_speedup"] = row["timeline_cold_s"] / row["timeline_once_s"]
        else:
            row["timeline_cold_s"] = math.nan
            row["timeline_speedup"] = math.nan
    return row


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fmt_table(rows: list[dict]) -> str:
    cols = [("arcs", "arcs", "{:d}"), ("LP rows", "lp_rows", "{:d}"), ("LP cols", "lp_cols", "{:d}"),
            ("LP nnz", "lp_nnz", "{:d}"), ("raw s", "raw_total_s", "{:.3f}"),
            ("raw(ind) s", "ind_total_s", "{:.3f}"), ("fm init", "fm_init_s", "{:.3f}"),
            ("bounds", "fm_bounds_s", "{:.3f}"), ("pyomo", "fm_pyomo_build_s", "{:.3f}"),
            ("compile", "fm_compile_s", "{:.3f}"), ("setup", "fm_highs_setup_s", "{:.3f}"),
            ("vectors", "fm_vectors_s", "{:.3f}"), ("run", "fm_run_s", "{:.3f}"),
            ("fm total", "fm_total_s", "{:.3f}"), ("fm/raw", "ratio_fm_raw", "{:.1f}x"),
            ("solve_year", "solve_year_s", "{:.3f}"),
            ("tl once", "timeline_once_s", "{:.2f}"),
            ("tl cold", "timeline_cold_s", "{:.2f}"), ("speedup", "timeline_speedup", "{:.1f}x")]
    cells = [[h for h, _, _ in cols]]
    for r in rows:
        line = []
        for _, k, f in cols:
            v = r.get(k, math.nan)
            line.append("n/a" if isinstance(v, float) and math.isnan(v) else f.format(v))
        cells.append(line)
    widths = [max(len(c[i]) for c in cells) for i in range(len(cols))]
    out = ["  ".join(c.rjust(w) for c, w in zip(line, widths)) for line in cells]
    out.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated target arc counts (default 1000,10000)")
    ap.add_argument("--repeats", type=int, default=None,
                    help="repeats per size, median reported (default 3; 1 for sizes >= 50000)")
    ap.add_argument("--threads", type=int, default=1, help="HiGHS threads for flowmodel and raw highspy (default 1)")
    ap.add_argument("--timeline-years", type=int, default=10, help="years of the timeline comparison (0 = skip)")
    ap.add_argument("--timeline-repeats", type=int, default=1, help="repeats of the timeline comparison (default 1)")
    ap.add_argument("--timeline-max-arcs", type=int, default=20_000,
                    help="skip the timeline comparison above this many arcs (default 20000)")
    ap.add_argument("--no-cold", action="store_true", help="skip the N cold builds of the timeline comparison")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results"),
                    help="output folder for bench_model.csv (default benchmarks/results/)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    for n in sizes:
        reps = args.repeats if args.repeats is not None else (1 if n >= 50_000 else 3)
        tl_years = args.timeline_years if n <= args.timeline_max_arcs else 0
        r = bench_size(n, reps, args.threads, tl_years, cold=not args.no_cold, seed=args.seed,
                       timeline_repeats=args.timeline_repeats)
        r.update({"repeats": reps, "threads": args.threads, "seed": args.seed})
        rows.append(r)
        print(fmt_table(rows[-1:]), flush=True)
    import pyomo
    env = {"python": platform.python_version(), "pyomo": pyomo.__version__, "highs": highspy.Highs().version(),
           "numpy": np.__version__, "cpus": os.cpu_count(), "machine": platform.machine()}
    for r in rows:
        r.update(env)
    print("\n" + fmt_table(rows))
    print("times in seconds (medians); fm/raw = flowmodel total / raw highspy passModel+run on the same LP; "
          "target <= 2.5x at 1k-10k arcs")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "bench_model.csv"
    keys: list[str] = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    with path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.6g}" if isinstance(v, float) else v) for k, v in r.items()})
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
