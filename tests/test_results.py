"""Result tables: columns, flows, constraints, max-flow bound; export is deterministic and atomic."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import flowmodel as fm
import flowmodel.api as api

from conftest import scenario_dict, write_network

FILES = {"summary.csv", "redirect.csv", "flows.csv", "constraints.csv", "splits.csv", "manifest.json"}


@pytest.fixture(scope="module")
def res_2018(tiny_net):
    return fm.run(scenario_dict(), network=tiny_net, year=2018)


def test_table_columns(res_2018):
    tag = ["scenario", "year"]
    assert list(res_2018.summary.columns) == tag + [
        "commodity", "country", "role", "baseline", "reference", "contracted", "optimized", "change", "unit",
        "optimized_pj", "change_pj", "supply_basis"]
    assert list(res_2018.redirect.columns) == tag + [
        "commodity", "max_to_physical", "max_to", "max_to_own", "to_reference", "redirected", "from_redirect_markets",
        "from_redirect_markets_low", "from_other_markets", "from_spare_supply", "redirected_pj", "unit", "to_split",
        "max_flow_bound", "limited_by", "limiting_factor", "supply_basis", "reference_basis"]
    assert list(res_2018.flows.columns) == tag + ["arc", "name", "from", "to", "commodity", "flow", "reference_flow",
                                                  "capacity", "utilization", "unit"]
    assert list(res_2018.constraints.columns) == tag + ["kind", "id", "commodity", "description", "bound", "limit",
                                                        "activity", "unit", "marginal_pj", "marginal"]
    assert list(res_2018.splits.columns) == tag + ["commodity", "country", "low", "high", "unit"]
    assert set(res_2018.redirect["scenario"]) == {"test"} and set(res_2018.redirect["year"]) == {2018}
    assert res_2018.flows.set_index("arc").at["trunk", "name"] == "Oil field -> Hub"
    assert list(res_2018.redirect["commodity"]) == ["crude", "gas", "lng"]
    assert set(res_2018.redirect["unit"]) == {"Mt/yr", "bcm/yr"}


def test_flows_respect_capacities(res_2018):
    f = res_2018.flows
    capped = f[f["capacity"].notna()]
    assert (capped["flow"] <= capped["capacity"] + 1e-6).all()
    assert (capped["reference_flow"] <= capped["capacity"] + 1e-6).all()
    assert f.set_index("arc").at["spur", "utilization"] == pytest.approx(1.0)


def test_flows_conserve_at_junction_and_port(res_2018):
    f = res_2018.flows.set_index("arc")["flow"]
    assert f["trunk"] == pytest.approx(f["spur"] + f["export"], abs=1e-6)
    assert f["export"] == pytest.approx(f["t_cn"] + f["t_jp"] + f["t_kr"] + f["t_row"], abs=1e-6)
    assert f["t_cn"] + f["t_jp"] + f["t_kr"] + f["t_row"] <= 40 + 1e-6


def test_constraints_bound_labels(res_2018):
    c = res_2018.constraints.set_index("id")
    assert c.at["field", "bound"] == "observed output"
    assert c.at["field", "limit"] == pytest.approx(70)
    assert c.at["port", "bound"] == "capacity"
    assert c.at["c_spur", "bound"] == "min_volume"
    assert c.at["c_spur", "marginal"] == pytest.approx(-1.0, abs=1e-6)
    # sorted by |marginal_pj| descending
    m = res_2018.constraints["marginal_pj"].abs().tolist()
    assert m == sorted(m, reverse=True)


def test_max_flow_bound_not_below_lp(res_2018):
    for _, r in res_2018.redirect.iterrows():
        assert r["max_to"] <= r["max_flow_bound"] + 1e-6


def test_max_flow_bound_with_parallel_arcs(tmp_path):
    nodes = [{"id": "s", "kind": "supply", "country": "RU", "commodity": "crude", "capacity": 100},
             {"id": "jp", "kind": "market", "country": "JP", "commodity": "crude"},
             {"id": "cn", "kind": "market", "country": "CN", "commodity": "crude"}]
    arcs = [{"id": "p1", "from": "s", "to": "jp", "commodity": "crude", "capacity": 20},
            {"id": "p2", "from": "s", "to": "jp", "commodity": "crude", "capacity": 15, "mode": "rail"}]
    net = write_network(tmp_path / "n", nodes, arcs)
    r = fm.run(scenario_dict(net, year=2020, to=("JP",))).redirect.set_index("commodity").loc["crude"]
    assert r["max_to"] == pytest.approx(35, abs=1e-6)
    assert r["max_flow_bound"] == pytest.approx(35, abs=1e-6)
    assert "p1" in r["limiting_factor"] and "p2" in r["limiting_factor"]


def test_manifest(res_2018):
    m = res_2018.manifest
    assert m["year"] == 2018
    assert m["network"] == "tiny"
    assert m["scenario"]["redirect"] == {"from": ["CN"], "to": ["JP", "KR"]}
    assert m["units"] == {"crude": "Mt/yr", "gas": "bcm/yr", "lng": "Mt/yr"}
    assert m["lp"]["columns"] > 0 and m["lp"]["rows"] > 0


# --------------------------------------------------------------------------- export
def test_to_csv_writes_the_result_files(res_2018, tmp_path):
    out = res_2018.to_csv(tmp_path / "out")
    assert {p.name for p in out.iterdir()} == FILES | {".flowmodel-result.json"}
    json.loads((out / "manifest.json").read_text())
    assert (out / "redirect.csv").read_text().startswith("scenario,year,commodity,max_to_physical,max_to,max_to_own,to_reference,")


def test_to_csv_is_deterministic(tiny_path, tmp_path):
    a = fm.run(scenario_dict(tiny_path)).to_csv(tmp_path / "a")
    b = fm.run(scenario_dict(tiny_path)).to_csv(tmp_path / "b")
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_lng_bound_includes_feed_gas(tmp_path):
    """A 10 Mt/yr plant fed by 10 bcm/yr of gas can ship 7.35 Mt/yr (x 0.735): the
    limiting factor is the gas supply, found by the min cut, not a contract."""
    net = write_network(
        tmp_path / "n",
        nodes=[{"id": "g", "kind": "supply", "country": "RU", "commodity": "gas", "capacity": 10},
               {"id": "plant", "kind": "liquefaction", "country": "RU", "commodity": "lng", "capacity": 10},
               {"id": "jp_lng", "kind": "market", "country": "JP", "commodity": "lng"},
               {"id": "cn_lng", "kind": "market", "country": "CN", "commodity": "lng"}],
        arcs=[{"id": "feed", "from": "g", "to": "plant", "commodity": "gas", "capacity": 30},
              {"id": "s_jp", "from": "plant", "to": "jp_lng", "commodity": "lng", "mode": "lng_carrier"},
              {"id": "s_cn", "from": "plant", "to": "cn_lng", "commodity": "lng", "mode": "lng_carrier"}],
    )
    res = fm.run(scenario_dict(net, year=2020, to=("JP",), supply="capacity"))
    lng = res.redirect.set_index("commodity").loc["lng"]
    assert lng["max_to"] == pytest.approx(7.35, abs=1e-6)
    assert lng["max_flow_bound"] == pytest.approx(7.35, abs=1e-6)
    assert lng["limited_by"] == "supply"
    assert "supply g output (10 bcm/yr)" in lng["limiting_factor"]


def test_gas_limit_names_the_gas_route_not_no_route(tmp_path):
    """A gas network where 11 bcm/yr can reach Korea through a 11 bcm/yr pipeline: the limiting
    factor is that pipeline (min cut), not 'no route' (the gas markets used to be left out)."""
    net = write_network(
        tmp_path / "g",
        nodes=[{"id": "field", "kind": "supply", "country": "RU", "commodity": "gas", "capacity": 50},
               {"id": "cn_gas", "kind": "market", "country": "CN", "commodity": "gas"},
               {"id": "kr_gas", "kind": "market", "country": "KR", "commodity": "gas"}],
        arcs=[{"id": "to_cn", "from": "field", "to": "cn_gas", "commodity": "gas", "capacity": 38},
              {"id": "to_kr", "from": "field", "to": "kr_gas", "commodity": "gas", "capacity": 11}],
    )
    r = fm.run(scenario_dict(net, year=2020, to=("KR",))).redirect.set_index("commodity").loc["gas"]
    assert r["max_to"] == pytest.approx(11)
    assert r["limited_by"] == "pipeline" and "to_kr" in r["limiting_factor"]


@pytest.mark.parametrize("scenario, to, expect", [
    ("whatif_trans_korean_pipeline", None, "contract"),   # 11 of the 12 bcm/yr the route could carry
    ("default", ["RU"], None),
])
def test_gas_limit_on_the_shipped_network(scenario, to, expect):
    root = Path(__file__).resolve().parents[1]
    s = fm.load_scenario(root / "scenarios" / f"{scenario}.yaml")
    if to:
        s = s.model_copy(update={"redirect": s.redirect.model_copy(update={"to": to, "from_": ["CN"]})})
        s.path = root / "scenarios" / f"{scenario}.yaml"
    r = fm.run(s).redirect.set_index("commodity").loc["gas"]
    assert r["max_to"] > 1
    assert r["limited_by"] != "no route"
    if expect:
        assert expect in r["limited_by"]
