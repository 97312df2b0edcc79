"""Tests of flowmodel.hydraulics: specs, fluid models, textbook checks, pandapipes capacity."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from flowmodel.errors import HydraulicsError
from flowmodel.hydraulics import (
    FlowCheck,
    HydraulicResult,
    PipeSpec,
    check_flow,
    max_throughput,
    pressure_profile,
    spec_from_arc,
)
from flowmodel.hydraulics import fluids, textbook
from flowmodel.hydraulics.capacity import capacity_uncached

GAS = PipeSpec("gas", 1372, 2200, 99.8, 55, stations=8)          # Power of Siberia-like
GAS_SHORT = PipeSpec("gas", 700, 100, 70, 40)                     # no station: outlet-limited
GAS_HP = PipeSpec("gas", 1000, 300, 150, 80, stations=1, temperature_c=5)  # high pressure
CRUDE = PipeSpec("crude", 1178.5, 2757, 75, 4, stations=20)       # ESPO-1-like
CRUDE_SPUR = PipeSpec("crude", 695.5, 63.4, 64, 4)


# ------------------------------------------------------------------ import / API
def test_import_does_not_load_pandapipes():
    code = ("import sys, flowmodel, flowmodel.hydraulics, flowmodel.cli_hydraulics; "
            "assert 'pandapipes' not in sys.modules, 'pandapipes imported'")
    subprocess.run([sys.executable, "-c", code], check=True, env=None)


def test_spec_validation_one_line_messages():
    for bad in (dict(commodity="lng"), dict(inner_diameter_mm=-1), dict(min_outlet_bar=120),
                dict(stations=-1), dict(stations=1.5), dict(max_station_ratio=0.9), dict(length_km=float("nan"))):
        kw = dict(commodity="gas", inner_diameter_mm=1000, length_km=100, max_pressure_bar=100, min_outlet_bar=50)
        kw.update(bad)
        with pytest.raises(HydraulicsError) as e:
            PipeSpec(**kw)
        assert "\n" not in str(e.value)
    assert GAS.station_ratio == 1.5 and GAS.segments == 9


def test_spec_from_arc():
    row = {"id": "pos", "commodity": "gas", "mode": "pipeline", "length_km": 2200, "diameter_mm": 1420,
           "max_pressure_bar": 99.8, "min_outlet_bar": 55, "stations": 8.0, "inner_diameter_mm": float("nan"),
           "roughness_mm": "", "max_station_ratio": None}
    s = spec_from_arc(row)
    assert s is not None and s.stations == 8 and isinstance(s.stations, int)
    assert s.inner_diameter_mm == pytest.approx(1420 * (1 - 2 * 0.017))
    assert s.roughness_mm == 0.02
    assert spec_from_arc({**row, "inner_diameter_mm": 1372}).inner_diameter_mm == 1372
    assert spec_from_arc({**row, "max_pressure_bar": float("nan")}) is None
    assert spec_from_arc({**row, "diameter_mm": None}) is None
    assert spec_from_arc({**row, "commodity": "lng"}) is None
    assert spec_from_arc({**row, "mode": "tanker"}) is None
    with pytest.raises(HydraulicsError, match="arc 'pos'"):
        spec_from_arc({**row, "min_outlet_bar": 150})
    with pytest.raises(HydraulicsError, match="not a number"):
        spec_from_arc({**row, "length_km": "long"})


def test_spec_from_pandas_row():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame([{"id": "spur", "commodity": "crude", "length_km": 63.4, "diameter_mm": 720.0,
                        "max_pressure_bar": 64.0, "min_outlet_bar": 4.0, "stations": float("nan")}])
    s = spec_from_arc(df.iloc[0])
    assert s is not None and s.stations == 0 and s.commodity == "crude"


# ------------------------------------------------------------------ fluid models and units
def test_standard_conditions_ratio_computed():
    # 20 °C vs 0 °C at 1 atm: 293.15/273.15 = 1.0732 ideal; real-gas Z changes it slightly
    r = fluids.ru_to_normal_volume_ratio()
    assert r == pytest.approx(293.15 / 273.15, rel=2e-3)
    assert 0.70 < fluids.standard_density_ru() < 0.75  # SG 0.6 gas at 20 °C


def test_bcm_conversion_roundtrip_and_hand_value():
    # 1 bcm/yr of a 0.724 kg/m³ gas = 0.724e9 kg / 31.536e6 s = 22.96 kg/s
    assert fluids.bcm_yr_to_kg_s(1.0) == pytest.approx(fluids.standard_density_ru() * 1e9 / 31_536_000)
    assert fluids.kg_s_to_bcm_yr(fluids.bcm_yr_to_kg_s(38.0)) == pytest.approx(38.0)
    assert fluids.kg_s_to_mt_yr(1e9 / 31_536_000) == pytest.approx(1.0)


@pytest.mark.parametrize("tr,pr,z_chart", [(1.5, 2.0, 0.82), (1.3, 1.0, 0.84), (2.0, 5.0, 0.96), (1.2, 3.0, 0.53)])
def test_dak_matches_standing_katz_chart(tr, pr, z_chart):
    tpc, ppc = fluids.pseudo_critical()
    assert float(fluids.z_dak(pr * ppc, tr * tpc)[0]) == pytest.approx(z_chart, abs=0.015)


def test_dak_vs_papay_and_pandapipes_linear_law():
    t = 288.15
    for p in (20, 60, 100, 140):
        assert float(fluids.z_dak(p, t)[0]) == pytest.approx(textbook.z_papay(p, t), abs=0.02)
    # pandapipes' built-in 1 - 0.0022 p is >10 % low at 200 bar (why we build our own fluid)
    assert (1 - 0.0022 * 200) < 0.9 * float(fluids.z_dak(200, t)[0])


# ------------------------------------------------------------------ textbook, hand-checkable
def test_colebrook_hand_values():
    # fully rough: 1/sqrt(λ) = -2 log10(ε/3.7D) -> ε/D=1e-3: λ = 0.01964
    assert textbook.colebrook(1e9, 1e-3) == pytest.approx(0.01964, rel=2e-3)
    # smooth pipe at Re = 1e5: Moody chart 0.0180
    assert textbook.colebrook(1e5, 0.0) == pytest.approx(0.0180, rel=1e-2)
    assert textbook.colebrook(1000, 1e-4) == pytest.approx(0.064)


def test_liquid_flow_hand_check():
    # D = 0.5 m, L = 10 km, ρ = 850, μ = 6.8e-3, Δp = 10 bar, smooth-ish: solve by hand with λ fixed
    m = textbook.liquid_flow(0.5, 10_000, 11.0, 1.0, 0.0, 850, 6.8e-3, 2e-5)
    v = m / 850 / (math.pi * 0.25**2)
    lam = textbook.colebrook(850 * v * 0.5 / 6.8e-3, 4e-5)
    assert 1e6 == pytest.approx(lam * 10_000 / 0.5 * 850 * v**2 / 2, rel=1e-9)
    assert textbook.liquid_flow(0.5, 10_000, 11.0, 1.0, 200.0, 850, 6.8e-3, 2e-5) == 0.0  # head > Δp


def test_gas_general_flow_satisfies_its_equation():
    d, l, p1, p2, t = 1.0, 200e3, 100.0, 70.0, 288.15
    mu = 1.2e-5
    m = textbook.gas_general_flow(d, l, p1, p2, t, 2e-5, mu)
    lam = textbook.colebrook(4 * m / (math.pi * d * mu), 2e-5)
    z = textbook.z_papay(textbook.average_pressure(p1, p2), t)
    rs = fluids.R_UNIVERSAL / (fluids.gas_molar_mass() / 1000)
    assert (p1**2 - p2**2) * 1e10 == pytest.approx(16 * lam * l * z * rs * t * m**2 / (math.pi**2 * d**5), rel=1e-9)


def test_weymouth_panhandle_bracket_general_equation():
    # Weymouth is known to be conservative for large diameters, Panhandle A optimistic (Menon ch. 2)
    d, l, p1, p2, t = 1.372, 244e3, 99.8, 66.5, 288.15
    z = textbook.z_papay(textbook.average_pressure(p1, p2), t)
    gen = textbook.gas_general_flow(d, l, p1, p2, t, 2e-5, fluids.gas_viscosity(83, t))
    assert textbook.weymouth(d, l, p1, p2, t, z) == pytest.approx(gen, rel=0.1)
    assert textbook.panhandle_a(d, l, p1, p2, t, z) > gen
    assert textbook.panhandle_b(d, l, p1, p2, t, z) == pytest.approx(gen, rel=0.15)


# ------------------------------------------------------------------ pandapipes capacity
@pytest.mark.parametrize("spec,tol", [(GAS, 0.03), (GAS_SHORT, 0.03), (GAS_HP, 0.03),
                                      (CRUDE, 0.005), (CRUDE_SPUR, 0.005)])
def test_pandapipes_matches_textbook(spec, tol):
    # Gas: textbook uses Papay Z at the average pressure over the whole segment, pandapipes
    # DAK Z per section -> ~1 % apart.  Crude: same Darcy-Weisbach/Colebrook -> ~0 %.
    r = max_throughput(spec)
    assert isinstance(r, HydraulicResult) and r.unit == spec.unit
    assert r.value == pytest.approx(textbook.line_capacity(spec), rel=tol)
    assert r.pipeflow_calls == 1 and r.sections == r.sections_per_segment * spec.segments


def test_limiting_conditions():
    assert max_throughput(GAS).limiting == "station ratio"
    assert max_throughput(GAS).end_pressure_bar == pytest.approx(99.8 / 1.5)
    assert max_throughput(GAS_SHORT).limiting == "outlet pressure"
    assert max_throughput(CRUDE).limiting == "pump suction pressure"
    # station ratio so large that the delivery pressure binds
    assert max_throughput(PipeSpec("gas", 1372, 2200, 99.8, 55, stations=8, max_station_ratio=3)).limiting \
        == "outlet pressure"


def test_more_stations_more_capacity_gas_scales_like_sqrt_length():
    c8 = max_throughput(GAS).value
    c17 = max_throughput(PipeSpec("gas", 1372, 2200, 99.8, 55, stations=17)).value
    # halving segment length: Q ∝ 1/sqrt(L) (slightly less: friction factor rises with lower Re... ~)
    assert c17 / c8 == pytest.approx(math.sqrt(2), rel=0.02)


def test_elevation_reduces_crude_capacity_and_impossible_rise_raises():
    flat = max_throughput(CRUDE_SPUR).value
    up = max_throughput(PipeSpec("crude", 695.5, 63.4, 64, 4, elevation_change_m=300)).value
    assert up < flat
    with pytest.raises(HydraulicsError, match="elevation"):
        max_throughput(PipeSpec("crude", 695.5, 63.4, 64, 4, elevation_change_m=1000))


def test_section_convergence():
    # doubling (here: 4x) the number of sections changes the capacity by < 0.5 %
    for spec in (GAS, GAS_HP, CRUDE):
        base = capacity_uncached(spec, section_km=10.0)
        fine = capacity_uncached(spec, section_km=2.5)
        assert fine.sections >= 3 * base.sections
        assert fine.value == pytest.approx(base.value, rel=5e-3)


def test_cache_returns_same_object():
    assert max_throughput(GAS) is max_throughput(PipeSpec("gas", 1372, 2200, 99.8, 55, stations=8))


# ------------------------------------------------------------------ flows and profiles
def test_check_flow():
    cap = max_throughput(GAS).value
    ok = check_flow(GAS, 30)
    assert isinstance(ok, FlowCheck) and ok.feasible and ok.excess < 0 and ok.unit == "bcm/yr"
    bad = check_flow(GAS, cap + 2)
    assert not bad.feasible and bad.excess == pytest.approx(2)
    with pytest.raises(HydraulicsError):
        check_flow(GAS, -1)


def test_profile_at_capacity_hits_the_limits():
    cap = max_throughput(GAS).value
    df = pressure_profile(GAS, cap)
    assert list(df.columns[:5]) == ["distance_km", "elevation_m", "pressure_bar", "section", "station"]
    assert df["distance_km"].iloc[-1] == pytest.approx(2200)
    assert df["pressure_bar"].max() == pytest.approx(99.8)
    suction = df[df["station"]].groupby("section").pressure_bar.min()
    # whole-line model with pressure_control stations reproduces the single-segment capacity
    assert suction.min() == pytest.approx(99.8 / 1.5, abs=0.05)
    assert (df[df.station].pressure_bar.max() / suction.min()) <= 1.5 + 1e-3
    assert df["pressure_bar"].is_monotonic_decreasing is False  # stations restore pressure


def test_profile_crude_and_infeasible_message():
    df = pressure_profile(CRUDE, 70)
    assert df["pressure_bar"].min() > 4
    assert df.attrs["unit"] == "Mt/yr"
    cap = max_throughput(CRUDE).value
    with pytest.raises(HydraulicsError, match=r"exceeds the capacity .* by .*%") as e:
        pressure_profile(CRUDE, cap * 1.1)
    assert "\n" not in str(e.value)


# ------------------------------------------------------------------ CLI
def test_cli_pipe_and_profile(tmp_path):
    from typer.testing import CliRunner

    from flowmodel.cli_hydraulics import app

    runner = CliRunner()
    args = ["pipe", "--commodity", "crude", "--inner-diameter-mm", "695.5", "--length-km", "63.4",
            "--max-pressure-bar", "64", "--min-outlet-bar", "4"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "Mt/yr" in r.output and "outlet pressure" in r.output
    csv, png = tmp_path / "p.csv", tmp_path / "p.png"
    r = runner.invoke(app, [*args, "--flow", "20", "--csv", str(csv), "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert csv.read_text().startswith("distance_km,")
    assert png.read_bytes()[:4] == b"\x89PNG"
    # no temp files left; the registry records what flowmodel wrote here
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".flowmodel-files.json"]
    r = runner.invoke(app, [*args, "--flow", "100"])
    assert isinstance(r.exception, HydraulicsError)
    r = runner.invoke(app, ["pipe", "--help"])
    assert "Example" in r.output


def test_cli_arc_with_stub_network(monkeypatch):
    import types

    import pandas as pd
    from typer.testing import CliRunner

    import flowmodel.network as network
    from flowmodel.cli_hydraulics import app

    arcs = pd.DataFrame([
        {"id": "spur", "commodity": "crude", "mode": "pipeline", "length_km": 63.4, "diameter_mm": 720.0,
         "max_pressure_bar": 64.0, "min_outlet_bar": 4.0, "capacity": 15.0, "start_year": 2011.0, "end_year": 2017.0},
        {"id": "spur", "commodity": "crude", "mode": "pipeline", "length_km": 63.4, "diameter_mm": 720.0,
         "max_pressure_bar": 64.0, "min_outlet_bar": 4.0, "capacity": 30.0, "start_year": 2018.0, "end_year": None},
        {"id": "tank", "commodity": "crude", "mode": "tanker", "start_year": None, "end_year": None},
    ])
    monkeypatch.setattr(network, "read_network", lambda folder: types.SimpleNamespace(arcs=arcs))
    runner = CliRunner()
    r = runner.invoke(app, ["arc", "spur"])
    assert r.exit_code == 0, r.output
    assert "nameplate capacity in arcs.csv: 30" in r.output
    r = runner.invoke(app, ["arc", "spur", "--year", "2012"])
    assert "nameplate capacity in arcs.csv: 15" in r.output
    assert isinstance(runner.invoke(app, ["arc", "nope"]).exception, HydraulicsError)
    assert isinstance(runner.invoke(app, ["arc", "tank"]).exception, HydraulicsError)
