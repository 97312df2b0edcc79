"""Benchmark: samples per second of the Monte Carlo (on demand, not a test).

    python benchmarks/bench_uncertainty.py                 # default scenario, 300 samples
    python benchmarks/bench_uncertainty.py --samples 1000

Compares, on the same samples of the default scenario's sourced ranges:

* (a) the limit: raw highspy on flowmodel's compiled LP, changing only the row/column bounds
  a sample changes and re-solving warm;
* flowmodel's O1-only path (`flowmodel.sampling.solve_sample`: YearData.with_values ->
  bounds -> warm re-solve -> per-commodity figures);
* flowmodel's full lexicographic path (`full=True`);
* (b) the naive path: a new Study (network load, Pyomo build, compile) per sample.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=300)
    ap.add_argument("--naive", type=int, default=20, help="samples for the naive rebuild-per-sample path")
    args = ap.parse_args(argv)
    from flowmodel.sampling import draw, solve_sample, uncertain_inputs
    from flowmodel.study import Study, as_scenario

    study = Study(as_scenario("default"))
    y = study.scenario.year
    inputs = uncertain_inputs(study, y)
    values = draw(inputs, range(args.samples), seed=0)
    form, solver = study.formulation, study.solver

    # (a) raw highspy: change only the bounds that differ from the central year, re-solve warm
    datas = []
    from flowmodel.sampling import _sample_data
    for v in values:
        datas.append(form.bounds_from(_sample_data(study, y, inputs, v)))
    h = solver.h
    solver.set_bounds(datas[0])
    h.changeColsCost(form.n_cols, solver._all_cols, -solver.obj.to)
    h.run()
    t0 = time.perf_counter()
    objs_raw = []
    for b in datas:
        rows = np.arange(form.n_rows, dtype=np.int32)
        h.changeRowsBounds(len(rows), rows, b.row_lower, b.row_upper)
        h.run()
        objs_raw.append(h.getInfo().objective_function_value)
    raw = time.perf_counter() - t0
    solver._held = None  # the raw loop changed HiGHS's bounds behind the solver's back

    t0 = time.perf_counter()
    objs = []
    for v in values:
        r = solve_sample(study, y, inputs, v)
        objs.append(r)
    fm_o1 = time.perf_counter() - t0
    from flowmodel.units import pj_per_unit
    fm_pj = [sum(v * pj_per_unit(c) for (m, c), v in r.items() if m == "max_to") for r in objs]
    assert np.allclose(fm_pj, [-o for o in objs_raw], rtol=1e-6), "flowmodel and raw highspy disagree"

    t0 = time.perf_counter()
    for v in values[: max(1, args.samples // 5)]:
        solve_sample(study, y, inputs, v, full=True)
    fm_full = (time.perf_counter() - t0) / max(1, args.samples // 5) * args.samples

    t0 = time.perf_counter()
    for v in values[: args.naive]:
        st = Study(as_scenario("default"))
        solve_sample(st, y, inputs, v)
    naive = (time.perf_counter() - t0) / args.naive * args.samples

    n = args.samples
    print(f"inputs: {len(inputs)}, samples: {n}")
    print(f"(a) raw highspy, bounds changed, warm:  {n / raw:8.1f} samples/s")
    print(f"flowmodel O1 (max_to):                  {n / fm_o1:8.1f} samples/s  = {raw / fm_o1:.0%} of (a)")
    print(f"flowmodel full path (from_cn):          {n / fm_full:8.1f} samples/s  = {raw / fm_full:.0%} of (a)")
    print(f"(b) rebuild per sample:                 {n / naive:8.1f} samples/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
