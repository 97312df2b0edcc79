"""One reference test per constraint family, on networks small enough to write out by hand.

Each test checks a family's keys, its terms (coefficients by variable name) and its
bounds in a year, against values worked out from tests/data/tiny (or a two-node
network), and where the family decides an optimum, the optimum itself.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import flowmodel as fm
from flowmodel.formulation import FAMILIES, Formulation
from flowmodel.question import Redirect
from flowmodel.solve import Solver
from flowmodel.units import pj_per_unit

from conftest import scenario_dict, write_network


@pytest.fixture(scope="module")
def form(tiny_net_module):
    return Formulation(tiny_net_module)


@pytest.fixture(scope="module")
def tiny_net_module():
    from conftest import TINY
    return fm.read_network(TINY)


def terms(form: Formulation, family: str, key) -> dict[tuple[str, object], float]:
    """The terms of one row as {(variable family, variable key): coefficient}."""
    fam = form.layout.rows[family]
    i = fam.keys.index(key)
    names = {}
    for v in form.layout.vars.values():
        for k, col in zip(v.keys, v.cols):
            names[int(col)] = (v.name, k)
    sel = fam.row == i
    return {names[int(c)]: float(x) for c, x in zip(fam.col[sel], fam.coef[sel])}


def bounds(form: Formulation, family: str, year: int, supply: str = "baseline"):
    b = form.bounds(year, supply)
    return form.row(family, b.row_lower), form.row(family, b.row_upper)


def test_every_family_is_registered_once():
    names = [f.name for f in FAMILIES]
    assert len(names) == len(set(names))
    assert all(f.define.__doc__ and f.bounds.__doc__ for f in FAMILIES)


def test_balance(form):
    fam = form.layout.rows["balance"]
    # hub and port pass field's crude; gas consumed by the plant and the origins themselves have no row
    assert fam.keys == [("hub", "field"), ("port", "field")]
    assert terms(form, "balance", ("hub", "field")) == {
        ("flow", ("spur", "field")): 1.0, ("flow", ("export", "field")): 1.0, ("flow", ("trunk", "field")): -1.0}
    lo, hi = bounds(form, "balance", 2018)
    assert (lo == 0).all() and (hi == 0).all()


def test_conversion(form):
    assert terms(form, "conversion", "lngplant") == {
        ("flow", ("l_cn", "lngplant")): 1.0, ("flow", ("l_jp", "lngplant")): 1.0,
        ("flow", ("feed", "gasfield")): -0.735}


def test_node_capacity(form):
    assert terms(form, "node_capacity", "field") == {("flow", ("trunk", "field")): 1.0,
                                                     ("node_overflow", "field"): -1.0,
                                                     ("node_underflow", "field"): 1.0}
    assert terms(form, "node_capacity", "port") == {("flow", ("export", "field")): 1.0,
                                                    ("node_overflow", "port"): -1.0}
    _, up = bounds(form, "node_capacity", 2018)
    # baseline: field at its 2018 output 70 (capacity 100), plant at 8 (capacity 10); port 40
    assert up["field"] == 70 and up["lngplant"] == 8 and up["port"] == 40
    # the hub and the markets are never limited: no row, no overflow variable
    assert "hub" not in up.index and "jp_crude" not in up.index
    assert "hub" not in form.layout.vars["node_overflow"].keys
    _, up_cap = bounds(form, "node_capacity", 2018, "capacity")
    assert up_cap["field"] == 100 and up_cap["lngplant"] == 10


def test_arc_capacity_follows_the_year(form):
    assert terms(form, "arc_capacity", "spur") == {("flow", ("spur", "field")): 1.0, ("arc_overflow", "spur"): -1.0}
    assert bounds(form, "arc_capacity", 2018)[1]["spur"] == 30
    assert bounds(form, "arc_capacity", 2017)[1]["spur"] == 15
    assert "t_jp" not in form.layout.rows["arc_capacity"].keys   # blank capacity, open-ended: no row


def test_contract_min(form):
    assert terms(form, "contract_min", "c_spur") == {("alloc", ("c_spur", "field")): 1.0,
                                                     ("shortfall", "c_spur"): 1.0}
    lo18, _ = bounds(form, "contract_min", 2018)
    lo17, _ = bounds(form, "contract_min", 2017)
    assert lo18["c_spur"] == 30 and lo18["c_sea"] == 10 and lo18["c_pos"] == 38
    assert math.isinf(lo17["c_spur"]) and lo17["c_sea"] == 10      # c_spur starts in 2018


def test_contract_pair_adds_two_contracts_of_one_pair(form):
    assert form.layout.rows["contract_pair"].keys == [("field", "cn_crude"), ("gasfield", "cn_gas")]
    assert terms(form, "contract_pair", ("field", "cn_crude")) == {
        ("alloc", ("c_spur", "field")): 1.0, ("alloc", ("c_sea", "field")): 1.0,
        ("flow", ("spur", "field")): -1.0, ("flow", ("t_cn", "field")): -1.0}
    # 2018 by hand: CN must take 30 + 10 = 40 of field's 70; the spur carries 30, the port the other 10,
    # so 40 - 10 = 30 of the port's 40 can reach JP + KR
    res = fm.run(scenario_dict(), network=form.net, year=2018)
    assert res.redirect.set_index("commodity").at["crude", "max_to"] == pytest.approx(30, abs=1e-6)


def test_contract_group_max(tmp_path):
    nodes = [{"id": "src", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 100},
             {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
             {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"}]
    arcs = [{"id": "a_cn", "from": "src", "to": "cn", "commodity": "crude", "mode": "tanker"},
            {"id": "a_jp", "from": "src", "to": "jp", "commodity": "crude", "capacity": 10}]
    contracts = [{"id": "k1", "seller": "src", "buyer": "cn", "commodity": "crude", "min_volume": 5,
                  "max_volume": 20},
                 {"id": "k2", "seller": "src", "buyer": "cn", "commodity": "crude", "min_volume": 5,
                  "max_volume": 15, "start_year": 2021}]
    form = Formulation(fm.read_network(write_network(tmp_path / "n", nodes, arcs, contracts)))
    assert form.layout.rows["contract_group_max"].keys == [("src", "cn")]
    assert terms(form, "contract_group_max", ("src", "cn")) == {("flow", ("a_cn", "src")): 1.0}
    assert bounds(form, "contract_group_max", 2020)[1][("src", "cn")] == 20          # k1 only
    assert bounds(form, "contract_group_max", 2021)[1][("src", "cn")] == 35          # 20 + 15
    # maximising China (to = CN) stops at the group maximum
    s = Solver(form, Redirect.of(["JP"], ["CN"]), 2020)
    o1 = s.max_to(form.bounds(2020))
    assert -o1.objective == pytest.approx(20 * pj_per_unit("crude"))


def test_delivery(form):
    keys = form.layout.rows["delivery"].keys
    assert keys == [("CN", "crude"), ("CN", "gas"), ("CN", "lng"), ("JP", "crude"), ("JP", "lng"),
                    ("KR", "crude"), ("ROW", "crude")]
    assert terms(form, "delivery", ("JP", "lng")) == {
        ("flow", ("l_jp", "lngplant")): 1.0, ("delivery_in_range", ("JP", "lng")): -1.0,
        ("delivery_excess", ("JP", "lng")): -1.0, ("delivery_deficit", ("JP", "lng")): 1.0}
    lo, hi = bounds(form, "delivery", 2018)
    assert lo[("JP", "lng")] == hi[("JP", "lng")] == 6
    assert lo[("CN", "crude")] == 55
    lo17, _ = bounds(form, "delivery", 2017)              # no observation in 2017: free
    assert (lo17 == 0).all()


def test_o1_optimum_by_hand(form):
    """2018, to JP+KR: crude 30 (above) + LNG 8 (plant at its observed output; it needs
    8 / 0.735 = 10.9 bcm of the 50 - 38 = 12 bcm left after Power of Siberia's contract)."""
    s = Solver(form, Redirect.of(["CN"], ["JP", "KR"]), 2018)
    o1 = s.max_to(form.bounds(2018))
    assert -o1.objective == pytest.approx(30 * pj_per_unit("crude") + 8 * pj_per_unit("lng"))
    flow = form.var("flow", o1.x)
    assert flow[("l_jp", "lngplant")] == pytest.approx(8)
    assert flow[("feed", "gasfield")] == pytest.approx(8 / 0.735)
    assert np.isclose(form.row("conversion", o1.row_value)["lngplant"], 0, atol=1e-9)


# --------------------------------------------------------------------------- the question's extra answers
def _two_port_network(tmp_path, observed_cn=(20, 40)):
    """src (60) -> port (no limit) -> JP, KR (tankers) and CN; JP and KR absorb any split.
    CN's observed deliveries are a range, so the reference can serve CN first or last."""
    nodes = [{"id": "src", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 60},
             {"id": "port", "kind": "terminal", "country": "RU", "commodity": "crude", "capacity": 50},
             {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
             {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude", "capacity": 35},
             {"id": "kr", "kind": "market", "country": "KR", "commodity": "crude"}]
    arcs = [{"id": "pipe", "from": "src", "to": "port", "commodity": "crude", "capacity": 100},
            {"id": "cnpipe", "from": "src", "to": "cn", "commodity": "crude", "capacity": 15},
            {"id": "t_cn", "from": "port", "to": "cn", "commodity": "crude", "mode": "tanker"},
            {"id": "t_jp", "from": "port", "to": "jp", "commodity": "crude", "mode": "tanker"},
            {"id": "t_kr", "from": "port", "to": "kr", "commodity": "crude", "mode": "tanker"}]
    lo, hi = observed_cn
    baseline = [{"year": 2020, "market": "CN", "commodity": "crude", "volume": (lo + hi) / 2, "volume_low": lo,
                 "volume_high": hi}]
    return write_network(tmp_path / "n", nodes, arcs, baseline=baseline)


def test_market_split_is_a_range(tmp_path):
    """The port (50) binds: JP + KR can receive 50; JP absorbs at most 35, so JP 0-35 and KR 15-50."""
    res = fm.run(scenario_dict(_two_port_network(tmp_path), year=2020, to=("JP", "KR")))
    r = res.redirect.set_index("commodity").loc["crude"]
    assert r["max_to"] == pytest.approx(50)
    sp = res.splits.set_index("country")
    assert (sp.at["JP", "low"], sp.at["JP", "high"]) == (pytest.approx(0), pytest.approx(35))
    assert (sp.at["KR", "low"], sp.at["KR", "high"]) == (pytest.approx(15), pytest.approx(50))
    assert r["to_split"] == "JP 0-35; KR 15-50"


def test_from_markets_first_and_last(tmp_path):
    """CN observed 20-40 of src's 60: serving CN first gives a reference of 40 to CN (20 left
    for ROW/JP/KR: nothing else observed, so R3 sends it to JP/KR); serving CN last, 20.
    The optimum sends JP+KR 50 (port) and CN 10 (cnpipe takes the rest): CN gives up 30
    (first) or 10 (last)."""
    res = fm.run(scenario_dict(_two_port_network(tmp_path), year=2020, to=("JP", "KR")))
    r = res.redirect.set_index("commodity").loc["crude"]
    assert r["from_redirect_markets"] == pytest.approx(30)
    assert r["from_redirect_markets_low"] == pytest.approx(10)


def test_own_maximum_beside_the_joint_one(tmp_path):
    """10 bcm of gas: piped to JP it is 10 x 36 = 360 PJ; liquefied it is 7.35 Mt x 48.96 =
    359.9 PJ, so the joint PJ optimum pipes all of it and LNG shows 0, while LNG's own
    maximum is 7.35."""
    nodes = [{"id": "g", "kind": "supply", "country": "RU", "commodity": "gas", "capacity": 10},
             {"id": "plant", "kind": "liquefaction", "country": "RU", "commodity": "lng", "capacity": 20},
             {"id": "jp_gas", "kind": "market", "country": "JP", "commodity": "gas"},
             {"id": "jp_lng", "kind": "market", "country": "JP", "commodity": "lng"},
             {"id": "cn_gas", "kind": "market", "country": "CN", "commodity": "gas"}]
    arcs = [{"id": "pipe_jp", "from": "g", "to": "jp_gas", "commodity": "gas", "capacity": 20},
            {"id": "pipe_cn", "from": "g", "to": "cn_gas", "commodity": "gas", "capacity": 20},
            {"id": "feed", "from": "g", "to": "plant", "commodity": "gas", "capacity": 20},
            {"id": "ship", "from": "plant", "to": "jp_lng", "commodity": "lng", "mode": "lng_carrier"}]
    res = fm.run(scenario_dict(write_network(tmp_path / "n", nodes, arcs), year=2020, to=("JP",)))
    r = res.redirect.set_index("commodity")
    assert r.at["gas", "max_to"] == pytest.approx(10)
    assert r.at["lng", "max_to"] == pytest.approx(0)
    assert r.at["lng", "max_to_own"] == pytest.approx(7.35)
    assert r.at["gas", "max_to_own"] == pytest.approx(10)
