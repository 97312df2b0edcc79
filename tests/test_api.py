"""The Python API: run (dict / path / network), Study, timeline, check, compare."""

from __future__ import annotations

import math

import pytest
import yaml

import flowmodel as fm
from flowmodel.api import parse_years

from conftest import scenario_dict, write_network


def _yaml(tmp_path, name="s", **kw):
    p = tmp_path / f"{name}.yaml"
    p.write_text(yaml.safe_dump(scenario_dict(name=name, **kw), sort_keys=False), encoding="utf-8")
    return p


def test_run_from_path_dict_and_network_agree(tmp_path, tiny_path, tiny_net):
    a = fm.run(_yaml(tmp_path, network=tiny_path))
    b = fm.run(scenario_dict(tiny_path))
    c = fm.run(scenario_dict("does/not/matter"), network=tiny_net)
    for r in (a, b, c):
        assert r.redirect.set_index("commodity").at["crude", "redirected"] == pytest.approx(20, abs=1e-6)
    assert a.manifest["scenario_file"] == "s.yaml"
    assert "scenario:s.yaml" in a.manifest["input_sha256"]
    assert set(a.manifest["input_sha256"]) >= {"nodes.csv", "arcs.csv", "contracts.csv", "baseline.csv"}


def test_run_year_override(tiny_net):
    r = fm.run(scenario_dict(year=2018), network=tiny_net, year=2015)
    assert r.manifest["year"] == 2015
    assert r.redirect.set_index("commodity").at["crude", "redirected"] == pytest.approx(40, abs=1e-6)


def test_scenario_overrides_change_the_result(tiny_net):
    # port 40 -> 25: after the 10 CN needs by sea, 15 are left for JP/KR
    r = fm.run(scenario_dict(overrides={"nodes": {"port": {"capacity": 25}}}), network=tiny_net)
    red = r.redirect.set_index("commodity")
    assert red.at["crude", "max_to"] == pytest.approx(15, abs=1e-6)


def test_contract_scale(tiny_net):
    # CN contracts halved: 20 by spur; the port's 40 all go to JP/KR (field 70 = 30 + 40)
    r = fm.run(scenario_dict(contract_scale={"CN": 0.5}), network=tiny_net)
    red = r.redirect.set_index("commodity")
    assert red.at["crude", "max_to"] == pytest.approx(40, abs=1e-6)
    assert red.at["crude", "limited_by"] == "port"


def test_added_market_row(tiny_net):
    add = {"nodes": [{"id": "kr_lng", "name": "Korea LNG", "kind": "market", "country": "KR", "commodity": "lng",
                      "source": "test"}],
           "arcs": [{"id": "l_kr", "from": "lngplant", "to": "kr_lng", "commodity": "lng", "mode": "lng_carrier",
                     "source": "test"}]}
    r = fm.run(scenario_dict(add=add), network=tiny_net)
    s = r.summary.set_index(["commodity", "country"])
    assert ("lng", "KR") in s.index
    assert r.redirect.set_index("commodity").at["lng", "max_to"] == pytest.approx(8, abs=1e-6)


def test_study_solves_years_with_one_model(tiny_path):
    st = fm.Study(scenario_dict(tiny_path))
    n = st.formulation.n_cols
    caps = {}
    for y in (2015, 2016, 2017, 2018):
        res = st.run(y)
        caps[y] = res.flows.set_index("arc").at["spur", "capacity"]
        assert res.manifest["year"] == y
    assert st.formulation.n_cols == n
    assert caps == {2015: 15, 2016: 15, 2017: 15, 2018: 30}


# --------------------------------------------------------------------------- timeline
def test_timeline_tiny(tiny_path):
    tl = fm.timeline(scenario_dict(tiny_path), "2015-2018")
    assert len(tl) == 12
    assert sorted(set(zip(tl["year"], tl["commodity"]))) == [(y, c) for y in range(2015, 2019)
                                                              for c in ("crude", "gas", "lng")]
    assert set(tl["status"]) == {"optimal"}
    crude = tl[tl["commodity"] == "crude"].set_index("year")
    assert crude["redirectable"].to_dict() == pytest.approx({2015: 40, 2016: 40, 2017: 40, 2018: 20}, abs=1e-6)
    assert (crude.loc[[2015, 2016, 2017], "limited_by"] == "port").all()
    assert crude.at[2018, "limited_by"] == "contract"
    lng = tl[tl["commodity"] == "lng"].set_index("year")
    assert lng["redirectable"].to_dict() == pytest.approx({2015: 8.82, 2016: 8.82, 2017: 8.82, 2018: 2.0},
                                                          abs=1e-6)
    assert list(tl.columns) == ["year", "commodity", "redirectable", "unit", "redirectable_pj", "to_reference",
                                "max_to_physical", "max_to", "max_to_own", "from_redirect_markets", "from_redirect_markets_low",
                                "from_other_markets", "from_spare_supply", "to_split", "max_flow_bound",
                                "limited_by", "limiting_factor", "supply_basis", "reference_basis", "status"]


def test_timeline_matches_single_runs(tiny_net):
    tl = fm.timeline(scenario_dict(), [2018, 2016], network=tiny_net)
    assert list(tl["year"].unique()) == [2016, 2018]
    for y in (2016, 2018):
        single = fm.run(scenario_dict(), network=tiny_net, year=y).redirect.set_index("commodity")
        t = tl[tl["year"] == y].set_index("commodity")
        for com in ("crude", "gas", "lng"):
            assert t.at[com, "redirectable"] == pytest.approx(single.at[com, "redirected"], abs=1e-9)


def test_timeline_spur_step_visible_in_flows(tiny_net):
    """The spur's capacity steps from 15 (until 2017) to 30 (from 2018): the flows show it."""
    st = fm.Study(scenario_dict(), network=tiny_net)
    spur = {y: st.run(y).flows.set_index("arc").loc["spur"] for y in (2017, 2018)}
    assert spur[2017]["capacity"] == 15 and spur[2018]["capacity"] == 30
    assert spur[2017]["flow"] == pytest.approx(15, abs=1e-6)
    assert spur[2018]["flow"] == pytest.approx(30, abs=1e-6)


def test_parse_years():
    assert parse_years("2015-2017") == [2015, 2016, 2017]
    assert parse_years("2018, 2015") == [2015, 2018]
    assert parse_years([2016, 2015, 2016]) == [2015, 2016]
    for bad in ("2018-2015", "x", ""):
        with pytest.raises(fm.ScenarioError, match="--years"):
            parse_years(bad)


# --------------------------------------------------------------------------- historical check
def test_check_reports_baseline_above_pipeline_capacity(tmp_path):
    nodes = [{"id": "s", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 100},
             {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
             {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"}]
    arcs = [{"id": "pipe", "from": "s", "to": "cn", "commodity": "crude", "capacity": 30}]
    baseline = [{"year": 2019, "market": "CN", "commodity": "crude", "volume": 42},
                {"year": 2020, "market": "CN", "commodity": "crude", "volume": 25}]
    chk = fm.check(write_network(tmp_path / "n", nodes, arcs, baseline=baseline))
    bad = chk[chk["status"] == "inconsistent"]
    assert len(bad) == 1
    row = bad.iloc[0]
    assert (row["year"], row["kind"], row["id"]) == (2019, "capacity", "pipe")
    assert row["limit"] == pytest.approx(30)
    assert row["needed"] == pytest.approx(42)
    assert row["excess"] == pytest.approx(12)
    assert row["unit"] == "Mt/yr"
    assert list(chk.loc[chk["year"] == 2020, "status"]) == ["ok"]


def test_check_tiny_is_consistent(tiny_net):
    chk = fm.check(tiny_net)
    assert list(chk["year"]) == [2018]
    assert list(chk["status"]) == ["ok"]


def test_check_flags_recorded_output_that_goes_nowhere(tiny_copy):
    """tiny's gas field records 50 bcm (range 48.8-50); its observed deliveries take 38 (CN
    pipeline) + (2 + 6 Mt LNG) / 0.735 = 10.884 bcm = 48.884. Without the range the
    point check (50 less 2% = 49) is 0.116 bcm short and names the field."""
    p = tiny_copy / "production.csv"
    p.write_text(p.read_text().replace(",gas,50,48.8,", ",gas,50,,"))
    chk = fm.check(tiny_copy)
    row = chk.set_index("id").loc["gasfield"]
    assert (row["status"], row["kind"]) == ("inconsistent", "output")
    assert row["limit"] == pytest.approx(49.0)
    assert row["excess"] == pytest.approx(49.0 - 38 - 8 / 0.735, abs=1e-6)


def test_check_reports_observed_output_too_low(tiny_copy):
    # observed field output 50 < observed deliveries 70
    p = tiny_copy / "production.csv"
    p.write_text(p.read_text().replace("2018,field,crude,70,", "2018,field,crude,50,"))
    chk = fm.check(tiny_copy)
    bad = chk[chk["status"] == "inconsistent"].set_index("id")
    assert "field" in bad.index
    assert bad.at["field", "excess"] == pytest.approx(20)


def test_check_years_without_baseline_is_an_error(tiny_net):
    with pytest.raises(fm.FlowModelError, match="no baseline data"):
        fm.check(tiny_net, years=[2015])


# --------------------------------------------------------------------------- compare
def test_compare(tmp_path, tiny_path):
    a = _yaml(tmp_path, "base", network=tiny_path)
    b = _yaml(tmp_path, "cap", network=tiny_path, supply="capacity")
    df = fm.compare([a, b])
    assert len(df) == 6
    lng = df[df["commodity"] == "lng"].set_index("scenario")["redirected"]
    assert lng["base"] == pytest.approx(2.0, abs=1e-6)
    assert lng["cap"] == pytest.approx(2.82, abs=1e-6)
    assert not math.isnan(df["redirected_pj"].sum())


def test_check_with_contract_to_unobserved_market(tiny_copy):
    """A contract to a market without baseline rows forces flow there; that is not an error
    (and must not crash looking up the missing observation)."""
    b = tiny_copy / "baseline.csv"
    b.write_text("".join(line for line in b.read_text().splitlines(keepends=True) if ",KR,crude," not in line))
    c = tiny_copy / "contracts.csv"
    c.write_text(c.read_text() + "c_kr,field,kr_crude,crude,3,,Mt/yr,,,test\n")
    chk = fm.check(tiny_copy)
    assert list(chk["status"]) == ["ok"], chk


def test_compare_reports_whatif_effect_against_base(tiny_path, tmp_path):
    """A what-if raising the port by 5 Mt/yr lifts the max to JP+KR by exactly 5 (tiny 2015: port-limited)."""
    import flowmodel as fm
    from flowmodel.api import compare

    base = {"name": "b", "network": str(tiny_path), "year": 2015, "redirect": {"from": ["CN"], "to": ["JP", "KR"]}}
    whatif = dict(base, name="w", overrides={"nodes": {"port": {"capacity": 45}}})
    df = compare([base, whatif]).set_index(["scenario", "commodity"])
    assert df.loc[("b", "crude"), "effect"] != df.loc[("b", "crude"), "effect"]  # NaN: no changes, no base
    assert df.loc[("w", "crude"), "base_max_to"] == pytest.approx(40.0)
    assert df.loc[("w", "crude"), "max_to"] == pytest.approx(45.0)
    assert df.loc[("w", "crude"), "effect"] == pytest.approx(5.0)
    assert fm.api.base_of(fm.scenario_from_dict(base)) is None


def test_timeline_asset_switches_on_in_its_start_year(tmp_path):
    """A port that opens in 2016: nothing reaches JP before, 12 Mt/yr (its capacity) from 2016;
    a second supply row ends in 2017 (output falls from 20 to 5 in 2018)."""
    net = write_network(
        tmp_path / "n",
        nodes=[{"id": "f", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 20, "end_year": 2017},
               {"id": "f", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 5, "start_year": 2018},
               {"id": "port", "kind": "terminal", "country": "RU", "commodity": "crude", "capacity": 12,
                "start_year": 2016},
               {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"},
               {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"}],
        arcs=[{"id": "pipe_cn", "from": "f", "to": "cn", "commodity": "crude", "capacity": 50},
              {"id": "to_port", "from": "f", "to": "port", "commodity": "crude", "capacity": 50},
              {"id": "t_jp", "from": "port", "to": "jp", "commodity": "crude", "mode": "tanker"}],
    )
    tl = fm.timeline(scenario_dict(net, to=("JP",), supply="capacity"), years="2015-2018")
    crude = tl[tl["commodity"] == "crude"].set_index("year")
    assert crude.loc[2015, "max_to"] == 0
    assert crude.loc[2015, "limited_by"] == "no route"
    assert crude.loc[2016, "max_to"] == pytest.approx(12)
    assert crude.loc[2016, "limited_by"] == "port"
    assert crude.loc[2018, "max_to"] == pytest.approx(5)
    assert crude.loc[2018, "limited_by"] == "supply"
    flows_2015 = fm.run(scenario_dict(net, year=2015, to=("JP",))).flows
    assert "t_jp" in set(flows_2015["arc"])  # tanker route has no year limits, it just carries 0
    assert flows_2015.set_index("arc").at["t_jp", "flow"] == 0


def test_compare_survives_infeasible_scenarios_and_bases(tiny_copy):
    """An infeasible scenario gets a status row with the diagnosis; a feasible what-if whose base is
    infeasible gets base_status 'infeasible: ...' and no effect; the comparison goes on."""
    from flowmodel.api import compare

    p = tiny_copy / "contracts.csv"
    p.write_text(p.read_text().replace("c_sea,field,cn_crude,crude,10,", "c_sea,field,cn_crude,crude,45,"))
    # 2018: c_spur 30 + c_sea 45 = 75 Mt/yr from a field whose observed output is 70
    base = {"name": "b", "network": str(tiny_copy), "year": 2018, "redirect": {"from": ["CN"], "to": ["JP", "KR"]}}
    cured = dict(base, name="cured", contract_scale={"CN": 0.5})   # 15 + 22.5 = 37.5
    df = compare([base, cured])
    b = df[df["scenario"] == "b"]
    assert list(b["status"]) == ["infeasible"]
    assert "'c_sea'" in b["limiting_factor"].iloc[0] and "falls short by 5" in b["limiting_factor"].iloc[0]
    c = df[df["scenario"] == "cured"].set_index("commodity")
    assert (c["status"] == "optimal").all()
    assert c["base_status"].str.startswith("infeasible: ").all()
    assert c["effect"].isna().all()
    assert c.at["crude", "max_to"] == pytest.approx(70 - 37.5)  # port 40 is not binding
