"""Exact optima of the LP on hand-computable networks (flowmodel.model + solve + results)."""

from __future__ import annotations

import random

import pytest

import flowmodel as fm
from flowmodel.units import LNG_MT_PER_BCM

from conftest import chain_network, contract, random_network, scenario_dict, write_network

ABS = 1e-6


def approx(v):
    return pytest.approx(v, abs=ABS)


def red(res, commodity: str) -> dict:
    """The redirect row of ``commodity`` as a dict."""
    r = res.redirect
    rows = r[r["commodity"] == commodity]
    assert len(rows) == 1, r
    return rows.iloc[0].to_dict()


def summ(res, commodity: str, country: str) -> dict:
    s = res.summary
    rows = s[(s["commodity"] == commodity) & (s["country"] == country)]
    assert len(rows) == 1, s
    return rows.iloc[0].to_dict()


def flow(res, arc: str) -> float:
    f = res.flows
    return float(f.loc[f["arc"] == arc, "flow"].iloc[0])


# --------------------------------------------------------------------------- (a) capacity-limited chain
def test_single_pipeline_capacity_limited(make_network):
    """supply 70 -> hub; hub -> CN pipe 60, hub -> JP pipe 25.

    Reference: CN maximised first (60), the remaining 10 go to JP.  Optimum: JP gets
    its pipe's 25, CN the remaining 45: redirected 15, all of it taken from CN.
    """
    net = make_network(
        nodes=[
            {"id": "s", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 70},
            {"id": "hub", "kind": "junction", "country": "RU", "commodity": "crude"},
            {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
            {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"},
        ],
        arcs=[
            {"id": "trunk", "from": "s", "to": "hub", "commodity": "crude", "capacity": 500},
            {"id": "to_cn", "from": "hub", "to": "cn", "commodity": "crude", "capacity": 60},
            {"id": "to_jp", "from": "hub", "to": "jp", "commodity": "crude", "capacity": 25},
        ],
    )
    res = fm.run(scenario_dict(net, year=2020, to=("JP",)))
    r = red(res, "crude")
    assert r["to_reference"] == approx(10)
    assert r["max_to"] == approx(25)
    assert r["redirected"] == approx(15)
    assert r["from_redirect_markets"] == approx(15)
    assert r["from_other_markets"] == approx(0)
    assert r["from_spare_supply"] == approx(0)
    assert r["max_flow_bound"] == approx(25)
    assert r["limiting_factor"].startswith("infrastructure/supply")
    assert "to_jp" in r["limiting_factor"]
    assert r["limited_by"] == "pipeline"
    assert summ(res, "crude", "CN")["optimized"] == approx(45)
    assert summ(res, "crude", "CN")["reference"] == approx(60)
    assert flow(res, "to_jp") == approx(25)
    assert r["redirected_pj"] == pytest.approx(15 * 41.868, abs=1e-3)


# --------------------------------------------------------------------------- (b) tiny network, 2018
@pytest.fixture(scope="module")
def tiny_2018(tiny_net):
    return fm.run(scenario_dict(), network=tiny_net, year=2018)


@pytest.fixture(scope="module")
def tiny_2015(tiny_net):
    return fm.run(scenario_dict(year=2015), network=tiny_net)


def test_tiny_2018_crude_limited_by_contracts(tiny_2018):
    """Field output 70 (observed); CN contracts 30 + 10 = 40 (same pair: they add up).

    Spur 30 + 10 through the port for CN; the port's other 30 go to JP+KR
    (reference 5 + 5 = 10), so 20 are redirected.  Without contracts the port (40)
    would be the limit, so the contracts are.
    """
    r = red(tiny_2018, "crude")
    assert r["to_reference"] == approx(10)
    assert r["max_to"] == approx(30)
    assert r["redirected"] == approx(20)
    assert r["from_redirect_markets"] == approx(15)   # CN 55 -> 40
    assert r["from_other_markets"] == approx(5)       # ROW 5 -> 0
    assert r["from_spare_supply"] == approx(0)        # field already at its observed 70
    assert r["max_flow_bound"] == approx(40)
    assert r["limiting_factor"].startswith("contracts")
    assert "c_spur" in r["limiting_factor"] and "c_sea" in r["limiting_factor"]
    assert r["limited_by"] == "contract"
    cn = summ(tiny_2018, "crude", "CN")
    assert cn["contracted"] == approx(40)
    assert cn["optimized"] == approx(40)
    assert cn["baseline"] == approx(55)
    assert flow(tiny_2018, "spur") == approx(30)
    assert flow(tiny_2018, "t_cn") == approx(10)


def test_tiny_2018_reference_reproduces_baseline(tiny_2018):
    s = tiny_2018.summary
    for _, row in s[s["baseline"].notna()].iterrows():
        assert row["reference"] == approx(row["baseline"]), row.to_dict()


def test_tiny_2018_lng_limited_by_observed_plant_output(tiny_2018):
    r = red(tiny_2018, "lng")
    assert r["to_reference"] == approx(6)
    assert r["max_to"] == approx(8)
    assert r["redirected"] == approx(2.0)
    assert r["from_redirect_markets"] == approx(2.0)
    assert r["max_flow_bound"] == approx(8)
    assert "lngplant" in r["limiting_factor"]
    assert r["limited_by"] == "liquefaction"
    # the plant is fed 8 / 0.735 bcm of gas
    assert flow(tiny_2018, "feed") == approx(8 / LNG_MT_PER_BCM)


def test_tiny_2018_gas_has_no_to_market(tiny_2018):
    r = red(tiny_2018, "gas")
    assert r["redirected"] == approx(0)
    assert r["limiting_factor"].startswith("no gas market")


# --------------------------------------------------------------------------- (c) tiny network, 2015
def test_tiny_2015_crude_limited_by_port(tiny_2015):
    """No baseline in 2015: field runs at capacity; spur 15 serves the only active
    contract (c_sea 10); the port's 40 all go to JP/KR."""
    r = red(tiny_2015, "crude")
    assert r["to_reference"] == approx(0)
    assert r["max_to"] == approx(40)
    assert r["redirected"] == approx(40)
    assert r["max_flow_bound"] == approx(40)
    assert "terminal port" in r["limiting_factor"]
    assert r["limited_by"] == "port"
    assert summ(tiny_2015, "crude", "CN")["contracted"] == approx(10)


def test_tiny_2015_lng_limited_by_gas_contract(tiny_2015):
    """Gas field 50 bcm, c_pos takes 38 on the pipeline: 12 bcm left for the plant
    -> 12 x 0.735 = 8.82 Mt LNG (plant capacity 10 does not bind)."""
    r = red(tiny_2015, "lng")
    assert r["max_to"] == approx((50 - 38) * LNG_MT_PER_BCM)
    assert r["max_to"] == approx(8.82)
    assert r["redirected"] == approx(8.82)
    assert r["max_flow_bound"] == approx(10)
    assert "c_pos" in r["limiting_factor"]
    assert r["limiting_factor"].startswith("contracts")
    assert flow(tiny_2015, "feed") == approx(12)
    assert flow(tiny_2015, "pos") == approx(38)


def test_tiny_spur_step_2017_vs_2018(tiny_net):
    for year, cap in ((2017, 15), (2018, 30)):
        res = fm.run(scenario_dict(), network=tiny_net, year=year)
        f = res.flows.set_index("arc")
        assert f.at["spur", "capacity"] == approx(cap)


# --------------------------------------------------------------------------- (d) liquefaction
def _lng_network(make_network, gas_cap=10.0, plant_cap=100.0, feed_cap=100.0):
    return make_network(
        nodes=[
            {"id": "g", "kind": "supply", "country": "RU", "commodity": "gas", "capacity": gas_cap},
            {"id": "plant", "kind": "liquefaction", "country": "RU", "commodity": "lng", "capacity": plant_cap},
            {"id": "jp", "kind": "market", "country": "JP", "commodity": "lng"},
            {"id": "cn", "kind": "market", "country": "CN", "commodity": "lng"},
        ],
        arcs=[
            {"id": "feed", "from": "g", "to": "plant", "commodity": "gas", "capacity": feed_cap},
            {"id": "ship", "from": "plant", "to": "jp", "commodity": "lng", "mode": "lng_carrier"},
        ],
    )


def test_liquefaction_converts_exactly(make_network):
    res = fm.run(scenario_dict(_lng_network(make_network), year=2020, to=("JP",), supply="capacity"))
    r = red(res, "lng")
    assert r["max_to"] == approx(10 * 0.735)
    assert r["max_to"] == approx(7.35)
    assert flow(res, "feed") == approx(10)
    assert flow(res, "ship") == approx(7.35)


def test_liquefaction_plant_capacity_limits_gas_intake(make_network):
    res = fm.run(scenario_dict(_lng_network(make_network, plant_cap=5), year=2020, to=("JP",)))
    assert red(res, "lng")["max_to"] == approx(5)
    assert flow(res, "feed") == approx(5 / 0.735)


def test_liquefaction_feed_pipeline_limits(make_network):
    res = fm.run(scenario_dict(_lng_network(make_network, feed_cap=4), year=2020, to=("JP",)))
    assert red(res, "lng")["max_to"] == approx(4 * 0.735)


# --------------------------------------------------------------------------- (e) contracts of one pair add up
def test_two_contracts_same_pair_add_up(tmp_path):
    """Supply 50; CN needs 10 + 15 = 25, JP gets the other 25 (one contract alone: 35)."""
    both = chain_network(tmp_path / "both", supply_cap=50, port_cap=100,
                         contracts=[contract("c1", 10), contract("c2", 15)])
    one = chain_network(tmp_path / "one", supply_cap=50, port_cap=100, contracts=[contract("c2", 15)])
    rb = fm.run(scenario_dict(both, year=2020, to=("JP",)))
    ro = fm.run(scenario_dict(one, year=2020, to=("JP",)))
    assert red(rb, "crude")["max_to"] == approx(25)
    assert summ(rb, "crude", "CN")["optimized"] == approx(25)
    assert summ(rb, "crude", "CN")["contracted"] == approx(25)
    assert red(ro, "crude")["max_to"] == approx(35)
    assert set(rb.constraints.loc[rb.constraints["kind"] == "contract", "id"]) == {"c1", "c2"}


def test_contract_with_two_sellers(tmp_path):
    """A contract naming two sellers may be served by either: b (no route to JP) serves it,
    and then (stage O2, max the `from` markets) sends all its 30 to CN."""
    nodes = [
        {"id": "a", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 30},
        {"id": "b", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 30},
        {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
        {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"},
    ]
    arcs = [
        {"id": "a_cn", "from": "a", "to": "cn", "commodity": "crude", "capacity": 100},
        {"id": "a_jp", "from": "a", "to": "jp", "commodity": "crude", "capacity": 100},
        {"id": "b_cn", "from": "b", "to": "cn", "commodity": "crude", "capacity": 100},
    ]
    net = write_network(tmp_path / "n", nodes, arcs, [contract("c", 25, seller="a;b")])
    res = fm.run(scenario_dict(net, year=2020, to=("JP",)))
    assert red(res, "crude")["max_to"] == approx(30)
    assert flow(res, "a_jp") == approx(30)
    assert flow(res, "a_cn") == approx(0)
    assert flow(res, "b_cn") == approx(30)


# --------------------------------------------------------------------------- (f) max_volume
def test_contract_max_volume_respected(tmp_path):
    """Redirect JP -> CN: the only CN buyer contract caps deliveries at 12."""
    net = chain_network(tmp_path / "n", contracts=[contract("c1", 5, 12)])
    res = fm.run(scenario_dict(net, year=2020, frm=("JP",), to=("CN",)))
    r = red(res, "crude")
    assert r["max_to"] == approx(12)
    assert summ(res, "crude", "CN")["optimized"] == approx(12)
    assert r["max_flow_bound"] == approx(70)   # cnpipe 30 + port 40 without contracts
    assert not r["limiting_factor"].startswith("infrastructure")


def test_contract_max_volume_only_applies_in_its_years(tmp_path):
    net = chain_network(tmp_path / "n", contracts=[contract("c1", 5, 12, start_year=2021)])
    res = fm.run(scenario_dict(net, year=2020, frm=("JP",), to=("CN",)))
    assert red(res, "crude")["max_to"] == approx(70)


def test_two_contracts_same_pair_maxima_add_up(tmp_path):
    net = chain_network(tmp_path / "n", contracts=[contract("c1", 5, 10), contract("c2", 15, 20)])
    res = fm.run(scenario_dict(net, year=2020, frm=("JP",), to=("CN",)))
    assert summ(res, "crude", "CN")["optimized"] == approx(30)


# --------------------------------------------------------------------------- (g) supply modes
def test_supply_capacity_vs_baseline_tiny(tiny_net):
    base = fm.run(scenario_dict(supply="baseline"), network=tiny_net)
    cap = fm.run(scenario_dict(supply="capacity"), network=tiny_net)
    # LNG: observed plant output 8 vs 12 bcm spare gas x 0.735 = 8.82 (plant capacity 10)
    assert red(base, "lng")["max_to"] == approx(8)
    assert red(cap, "lng")["max_to"] == approx(8.82)
    assert red(cap, "lng")["to_reference"] == approx(6)       # the reference always uses observed output
    assert red(cap, "lng")["redirected"] == approx(2.82)
    assert red(cap, "lng")["from_spare_supply"] == approx(0.82)
    # crude: the port binds either way
    assert red(base, "crude")["max_to"] == approx(30)
    assert red(cap, "crude")["max_to"] == approx(30)
    assert base.manifest["supply_bounds"]["field"] == "observed"
    assert cap.manifest["supply_bounds"]["field"] == "capacity"
    assert list(base.redirect["supply_basis"]) == ["observed", "observed", "observed"]
    assert set(cap.redirect["supply_basis"]) == {"capacity"}


def test_supply_capacity_vs_baseline_chain(tmp_path):
    net = chain_network(tmp_path / "n", port_cap=200,
                        production=[{"year": 2020, "node": "src", "commodity": "crude", "volume": 60}])
    base = fm.run(scenario_dict(net, year=2020, to=("JP",), supply="baseline"))
    cap = fm.run(scenario_dict(net, year=2020, to=("JP",), supply="capacity"))
    other = fm.run(scenario_dict(net, year=2019, to=("JP",), supply="baseline"))  # no observation in 2019
    assert red(base, "crude")["max_to"] == approx(60)
    assert red(cap, "crude")["max_to"] == approx(100)
    assert red(cap, "crude")["from_spare_supply"] == approx(40)
    assert red(other, "crude")["max_to"] == approx(100)
    assert other.manifest["supply_bounds"]["src"] == "capacity"
    assert red(other, "crude")["supply_basis"] == "capacity"   # 2019 has no observed output: labelled, not silent
    assert red(base, "crude")["supply_basis"] == "observed"


# --------------------------------------------------------------------------- (h) decomposition identity
def test_decomposition_identity_random_networks(tmp_path):
    solved = 0
    for seed in range(12):
        rng = random.Random(seed)
        net = random_network(rng, tmp_path / f"n{seed}")
        supply = rng.choice(["baseline", "capacity"])
        try:
            res = fm.run(scenario_dict(net, year=2020, supply=supply))
        except fm.InfeasibleError:
            continue
        solved += 1
        s = res.summary
        for _, r in res.redirect.iterrows():
            parts = r["from_redirect_markets"] + r["from_other_markets"] + r["from_spare_supply"]
            assert r["redirected"] == pytest.approx(parts, abs=1e-5), (seed, r.to_dict())
            assert r["redirected"] == pytest.approx(r["max_to"] - r["to_reference"], abs=1e-5)
            sc = s[s["commodity"] == r["commodity"]]
            assert r["redirected"] == pytest.approx(sc.loc[sc["role"] == "to", "change"].sum(), abs=1e-5)
            assert r["from_redirect_markets"] == pytest.approx(-sc.loc[sc["role"] == "from", "change"].sum(),
                                                               abs=1e-5)
            assert r["from_other_markets"] == pytest.approx(-sc.loc[sc["role"] == "other", "change"].sum(),
                                                            abs=1e-5)
            assert r["from_spare_supply"] == pytest.approx(sc["change"].sum(), abs=1e-5)
            # the LP never beats the max-flow bound and never sends less than the reference
            if r["max_flow_bound"] == r["max_flow_bound"]:
                assert r["max_to"] <= r["max_flow_bound"] + 1e-6, (seed, r.to_dict())
            assert r["redirected"] >= -1e-6, (seed, r.to_dict())
    assert solved >= 6


# --------------------------------------------------------------------------- (i) duals
def test_port_marginal_is_one_and_matches_finite_difference(tmp_path):
    """Only the port (40) limits JP: marginal +1 Mt/yr per Mt/yr of port capacity;
    re-solving with capacity 41 delivers exactly 1 more."""
    net = chain_network(tmp_path / "n", supply_cap=100, pipe_cap=200, port_cap=40)
    net41 = chain_network(tmp_path / "n41", supply_cap=100, pipe_cap=200, port_cap=41)
    res = fm.run(scenario_dict(net, year=2020, to=("JP",)))
    res41 = fm.run(scenario_dict(net41, year=2020, to=("JP",)))
    c = res.constraints.set_index("id")
    assert c.at["port", "marginal"] == pytest.approx(1.0, abs=1e-6)
    assert c.at["port", "marginal_pj"] == pytest.approx(41.868, abs=1e-4)
    assert c.at["port", "limit"] == approx(40)
    assert c.at["port", "activity"] == approx(40)
    assert c.at["port", "kind"] == "terminal"
    fd = red(res41, "crude")["max_to"] - red(res, "crude")["max_to"]
    assert fd == pytest.approx(c.at["port", "marginal"], abs=1e-6)
    # nothing else limits JP
    others = res.constraints[res.constraints["id"] != "port"]
    assert (others["marginal"].abs() < 1e-9).all(), others


def test_contract_marginal_matches_finite_difference(tmp_path):
    """Supply 50, CN contract 20 that must use capacity JP could use: -1 per Mt."""
    net = chain_network(tmp_path / "n", supply_cap=50, port_cap=100, contracts=[contract("c1", 20)])
    net2 = chain_network(tmp_path / "n2", supply_cap=50, port_cap=100, contracts=[contract("c1", 21)])
    res = fm.run(scenario_dict(net, year=2020, to=("JP",)))
    res2 = fm.run(scenario_dict(net2, year=2020, to=("JP",)))
    c = res.constraints.set_index("id")
    fd = red(res2, "crude")["max_to"] - red(res, "crude")["max_to"]
    assert fd == approx(-1)
    assert c.at["c1", "marginal"] == pytest.approx(fd, abs=1e-6)
