"""Scenario option `capacity: hydraulic | min` and the hydraulic check of solved flows."""

from __future__ import annotations

import pytest

import flowmodel as fm
from flowmodel.hydraulics import PipeSpec, max_throughput

from conftest import scenario_dict, write_network

SPEC = dict(inner_diameter_mm=700, max_pressure_bar=75, min_outlet_bar=40, stations=0, roughness_mm=0.02,
            temperature_c=15)


def _net(tmp_path, nameplate: float):
    return write_network(
        tmp_path / "n",
        nodes=[{"id": "g", "kind": "supply", "country": "RU", "commodity": "gas", "capacity": 100},
               {"id": "kr", "kind": "market", "country": "KR", "commodity": "gas"},
               {"id": "cn", "kind": "market", "country": "CN", "commodity": "gas"}],
        arcs=f"id,from,to,commodity,capacity,unit,mode,length_km,{','.join(SPEC)},source\n"
             f"pipe,g,kr,gas,{nameplate},bcm/yr,pipeline,300,{','.join(str(v) for v in SPEC.values())},test\n"
             "cn_pipe,g,cn,gas,5,bcm/yr,pipeline,10,,,,,,,test\n",
    )


def _hyd() -> float:
    return max_throughput(PipeSpec("gas", SPEC["inner_diameter_mm"], 300, SPEC["max_pressure_bar"],
                                   SPEC["min_outlet_bar"], 0, None, SPEC["roughness_mm"],
                                   SPEC["temperature_c"])).value


@pytest.mark.parametrize("mode,nameplate,expected", [
    ("nameplate", 50.0, 50.0),
    ("hydraulic", 50.0, None),   # None = the hydraulic capacity
    ("min", 50.0, None),
    ("min", 1.0, 1.0),
])
def test_capacity_modes(tmp_path, mode, nameplate, expected):
    net = _net(tmp_path, nameplate)
    hyd = _hyd()
    assert 1.0 < hyd < 50.0  # the spec is chosen so that the two modes differ
    res = fm.run(scenario_dict(net, year=2020, to=("KR",), supply="capacity", capacity=mode))
    gas = res.redirect.set_index("commodity").loc["gas"]
    assert gas["max_to"] == pytest.approx(hyd if expected is None else expected, rel=1e-6)
    if mode == "nameplate":
        assert res.hydraulics is None
    else:
        h = res.hydraulics.set_index("arc")
        assert h.at["pipe", "hydraulic_capacity"] == pytest.approx(hyd, rel=1e-6)
        assert bool(h.at["pipe", "feasible"])
        assert "hydraulics.csv" in res.files()


def test_hydraulic_check_flags_flows_above_physics(tmp_path):
    net = _net(tmp_path, 50.0)
    res = fm.run(scenario_dict(net, year=2020, to=("KR",), supply="capacity"), hydraulic_check=True)
    h = res.hydraulics.set_index("arc")
    assert not bool(h.at["pipe", "feasible"])
    assert h.at["pipe", "excess"] == pytest.approx(50.0 - _hyd(), rel=1e-5)
