"""The LP against an independent one: random multi-commodity networks (crude, gas,
liquefaction, LNG, contracts, baselines, production) solved by flowmodel and by an LP
written separately with numpy/scipy from the formulation's docstrings
(``benchmarks/bench_model.py`` ``independent_lp``); the optima must agree."""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import highspy
import pytest

import flowmodel as fm
from flowmodel.errors import InfeasibleError
from flowmodel.formulation import Formulation
from flowmodel.question import Redirect
from flowmodel.solve import Solver

from conftest import random_network

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_model import independent_lp, new_highs  # noqa: E402


def raw_objective(lp: dict) -> float | None:
    """Optimal objective of the independent LP with raw highspy (None if infeasible)."""
    A = lp["A"]
    h = new_highs(1)
    h.passModel(int(A.shape[1]), int(A.shape[0]), int(A.nnz), int(highspy.MatrixFormat.kColwise),
                int(highspy.ObjSense.kMinimize), 0.0, lp["cost"], lp["col_lower"], lp["col_upper"],
                lp["row_lower"], lp["row_upper"], A.indptr.astype("int32"), A.indices.astype("int32"),
                A.data.astype("float64"), [0] * A.shape[1])
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    assert status == highspy.HighsModelStatus.kOptimal, h.modelStatusToString(status)
    return float(h.getInfo().objective_function_value)


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("to", [("JP",), ("JP", "KR"), ("CN",)])
def test_o1_matches_the_independent_lp(tmp_path, seed, to):
    net = fm.read_network(random_network(random.Random(seed), tmp_path / "n"))
    expected = raw_objective(independent_lp(net, 2020, set(to)))
    form = Formulation(net)
    solver = Solver(form, Redirect.of({"ROW"}, to), 2020)
    try:
        got = solver.max_to(form.bounds(2020)).objective
    except InfeasibleError:
        got = None
    if expected is None or got is None:
        assert expected is None and got is None, (expected, got)
    else:
        assert math.isclose(got, expected, rel_tol=1e-7, abs_tol=1e-7), (got, expected)
