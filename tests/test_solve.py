"""Solver: infeasibility diagnosis, and the compiled matrix against the model's own rows."""

from __future__ import annotations

import random

import numpy as np
import pytest

import flowmodel as fm
from flowmodel.formulation import Formulation
from flowmodel.question import Redirect
from flowmodel.solve import Solver

from conftest import random_network, scenario_dict, write_network


def _pipe_network(tmp_path, min_volume=50, cap=30):
    nodes = [
        {"id": "src", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 100},
        {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
        {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"},
    ]
    arcs = [
        {"id": "pipe", "from": "src", "to": "cn", "commodity": "crude", "capacity": cap},
        {"id": "jp_pipe", "from": "src", "to": "jp", "commodity": "crude", "capacity": 10},
    ]
    contracts = [{"id": "big", "seller": "src", "buyer": "cn", "commodity": "crude", "min_volume": min_volume,
                  "start_year": 2020}]
    return write_network(tmp_path / "net", nodes, arcs, contracts)


def test_infeasible_contract_names_contract_and_shortfall(tmp_path):
    net = _pipe_network(tmp_path)
    with pytest.raises(fm.InfeasibleError) as ei:
        fm.run(scenario_dict(net, year=2020, to=("JP",)))
    msg = str(ei.value)
    assert "'big'" in msg
    assert "falls short by 20 Mt/yr of 50" in msg
    assert msg.startswith("2020: contracts cannot all be met")
    d = ei.value.diagnosis
    assert list(d["contract"]) == ["big"]
    assert d["shortfall"].iloc[0] == pytest.approx(20, abs=1e-6)
    assert d["deliverable"].iloc[0] == pytest.approx(30, abs=1e-6)
    assert d["min_volume"].iloc[0] == pytest.approx(50)


def test_infeasible_is_a_user_error():
    assert issubclass(fm.InfeasibleError, fm.FlowModelError)


def test_solver_recovers_after_infeasible_year(tmp_path):
    """The contract starts in 2020: 2019 solves, 2020 is infeasible, 2019 solves again
    with the same solver (bounds restored after the elastic diagnosis)."""
    net = _pipe_network(tmp_path)
    st = fm.Study(scenario_dict(net, year=2019, to=("JP",)))
    a = st.run(2019).redirect.set_index("commodity").at["crude", "max_to"]
    with pytest.raises(fm.InfeasibleError):
        st.run(2020)
    b = st.run(2019).redirect.set_index("commodity").at["crude", "max_to"]
    assert a == pytest.approx(10, abs=1e-6)
    assert b == pytest.approx(a, abs=1e-9)


def test_timeline_marks_infeasible_year(tmp_path):
    net = _pipe_network(tmp_path)
    tl = fm.timeline(scenario_dict(net, year=2019, to=("JP",)), "2019-2020")
    assert list(tl.loc[tl["year"] == 2020, "status"]) == ["infeasible"]
    assert "falls short by 20" in tl.loc[tl["year"] == 2020, "limiting_factor"].iloc[0]
    assert set(tl.loc[tl["year"] == 2019, "status"]) == {"optimal"}


def test_feasible_when_contract_fits(tmp_path):
    net = _pipe_network(tmp_path, min_volume=30)
    res = fm.run(scenario_dict(net, year=2020, to=("JP",)))
    assert res.redirect.set_index("commodity").at["crude", "max_to"] == pytest.approx(10, abs=1e-6)


# --------------------------------------------------------------------------- compiled matrix
def _dense_from_families(form: Formulation) -> np.ndarray:
    """The matrix written out from each family's own terms (no Pyomo involved)."""
    A = np.zeros((form.n_rows, form.n_cols))
    for fam in form.layout.rows.values():
        assert len(fam.row) == len(fam.col) == len(fam.coef)
        np.add.at(A, (fam.start + fam.row, fam.col), fam.coef)
    return A


def _assert_matrix_matches(net, year):
    form = Formulation(net)
    mat = form.compile(form.bounds(year))
    assert mat.shape == (form.n_rows, form.n_cols)
    np.testing.assert_array_equal(mat.toarray(), _dense_from_families(form))
    # the solver passes the same matrix to HiGHS
    s = Solver(form, Redirect.of({"CN"}, {"JP"}), year)
    np.testing.assert_array_equal(s.matrix.toarray(), _dense_from_families(form))
    return form


def test_compiled_matrix_equals_families_tiny(tiny_net):
    form = _assert_matrix_matches(tiny_net, 2018)
    # spot checks of the structure: the conversion row carries -0.735 on gas into the plant
    conv = form.layout.rows["conversion"]
    assert conv.keys == ["lngplant"]
    assert -0.735 in conv.coef
    assert list(form.layout.rows) == ["balance", "conversion", "node_capacity", "arc_capacity", "contract_min",
                                      "contract_pair", "contract_group_max", "delivery", "policy"]
    # every family is a named Pyomo component indexed by its keys
    m = form.pyomo
    assert m.arc_capacity["spur"].upper == 30
    assert ("spur", "field") in m.flow
    assert m.contract_min["c_pos"].lower == 38


@pytest.mark.parametrize("seed", range(4))
def test_compiled_matrix_equals_families_random(tmp_path, seed):
    folder = random_network(random.Random(seed), tmp_path / "n")
    _assert_matrix_matches(fm.read_network(folder), 2020)


def test_flow_variables_only_on_reachable_arcs(tiny_net):
    form = Formulation(tiny_net)
    pairs = set(form.layout.vars["flow"].keys)
    assert ("trunk", "field") in pairs
    assert ("feed", "gasfield") in pairs
    assert ("l_jp", "lngplant") in pairs
    assert not any(o == "gasfield" and a in ("l_jp", "l_cn") for a, o in pairs)
    assert not any(o == "field" and a in ("pos", "feed") for a, o in pairs)
    assert len(pairs) == len(form.sets.flow) == 11
