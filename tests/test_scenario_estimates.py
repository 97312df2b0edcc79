"""Scenario key `estimates: central | low | high` uses the ends of the sourced ranges."""

from __future__ import annotations

import pytest

import flowmodel as fm

from conftest import scenario_dict, write_network


@pytest.fixture()
def ranged(tmp_path):
    return write_network(
        tmp_path / "n",
        nodes="id,name,kind,country,commodity,capacity,capacity_low,capacity_high,unit,source\n"
              "f,f,supply,RU,crude,100,,,Mt/yr,test\n"
              "port,port,terminal,RU,crude,30,24,36,Mt/yr,test\n"
              "jp,jp,market,JP,crude,,,,,test\n"
              "cn,cn,market,CN,crude,,,,,test\n",
        arcs=[{"id": "p", "from": "f", "to": "port", "commodity": "crude", "capacity": 80},
              {"id": "t", "from": "port", "to": "jp", "commodity": "crude", "mode": "tanker"},
              {"id": "c", "from": "f", "to": "cn", "commodity": "crude", "capacity": 50}],
        production="year,node,commodity,volume,volume_low,volume_high,unit,source\n"
                   "2020,f,crude,60,50,,Mt/yr,test\n",
    )


@pytest.mark.parametrize("end,port,output", [("central", 30, 60), ("low", 24, 50), ("high", 36, 60)])
def test_estimates_use_range_ends(ranged, end, port, output):
    res = fm.run(scenario_dict(ranged, year=2020, to=("JP",), estimates=end))
    crude = res.redirect.set_index("commodity").loc["crude"]
    assert crude["max_to"] == pytest.approx(min(port, output))
    assert res.scenario.resolved()["estimates"] == end


def test_unknown_estimates_value_is_a_scenario_error(ranged):
    with pytest.raises(fm.ScenarioError, match="estimates"):
        fm.run(scenario_dict(ranged, year=2020, to=("JP",), estimates="median"))
