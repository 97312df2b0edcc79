"""Benchmark: pipeflow calls and wall time of a capacity, cold and cached.

Run: PYTHONPATH=src python benchmarks/bench_hydraulics.py
"""

from __future__ import annotations

import time


def main() -> None:
    t0 = time.perf_counter()
    from flowmodel.hydraulics import PipeSpec, max_throughput, pressure_profile
    from flowmodel.hydraulics import pipeflow as solver
    import pandapipes  # noqa: F401  (measured separately: the first-import cost)

    t_import = time.perf_counter() - t0
    cases = {
        "Power of Siberia (8 CS)": PipeSpec("gas", 1372, 2200, 99.8, 55, stations=8, temperature_c=5),
        "ESPO-1 (20 PS)": PipeSpec("crude", 1178.5, 2757, 75, 4, stations=20),
        "Spur (no PS)": PipeSpec("crude", 695.5, 63.4, 64, 4),
        "Gas 300 km 150 bar": PipeSpec("gas", 1000, 300, 150, 80, stations=1),
    }
    print(f"import flowmodel.hydraulics + pandapipes: {t_import:.2f} s")
    print(f"{'case':24} {'capacity':>14} {'sections':>8} {'calls':>5} {'cold s':>8} {'cached s':>9} "
          f"{'profile calls':>13} {'profile s':>9}")
    for name, spec in cases.items():
        t = time.perf_counter()
        r = max_throughput(spec)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        for _ in range(1000):
            max_throughput(spec)
        cached = (time.perf_counter() - t) / 1000
        c0 = solver.pipeflow_calls()
        t = time.perf_counter()
        pressure_profile(spec, 0.9 * r.value)
        prof = time.perf_counter() - t
        print(f"{name:24} {r.value:8.2f} {r.unit:>6} {r.sections:8d} {r.pipeflow_calls:5d} {cold:8.3f} "
              f"{cached * 1e6:7.2f}us {solver.pipeflow_calls() - c0:13d} {prof:9.3f}")
    print("(the first pipeflow of a process includes pandapipes' one-off set-up cost)")


if __name__ == "__main__":
    main()
