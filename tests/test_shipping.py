"""Shipping capacity: voyage arithmetic by hand, bounds, shipping.csv validation, the
``capacity: shipping`` mode, the NSR-closed what-if and validation against observed NSR volumes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import flowmodel as fm
from flowmodel.errors import DataError, ShippingError
from flowmodel.network import read_network
from flowmodel.shipping import RouteSpec, read_observed, read_routes, route_capacity, route_for_year, window_capacity
from flowmodel.shipping_arcs import shipping_capacities

ROOT = Path(__file__).resolve().parent.parent
NET = ROOT / "networks" / "east_asia"
KM_PER_DAY_PER_KNOT = 24 * 1.852      # 44.448 km/day at 1 knot


def test_voyage_arithmetic_by_hand():
    """10 ships x 100,000 m3, density 0.5 -> 50,000 t per cargo.

    ice leg 1,111.2 km at 10 kn: 1,111.2 / (10 x 44.448) = 2.5 days;
    open leg 2,222.4 km at 20 kn: 2,222.4 / (20 x 44.448) = 2.5 days; one way 5 days;
    round trip 2 x 5 + loading 1 + unloading 2 + transshipment 1 = 14 days;
    voyages per ship 140 open days / 14 = 10; fleet 10 x 10 = 100 cargoes = 100 x 50,000 t = 5.0 Mt/yr;
    terminal cap 80 cargoes -> 80 x 50,000 t = 4.0 Mt/yr < 5.0: capacity 4.0 (terminal).
    Without the cap: 5.0 (fleet).  With 150 open days: 150 / 14 = 10.714 voyages (not floored).
    """
    spec = RouteSpec(ships=10, cargo_m3=100_000, density_t_m3=0.5, ice_km=1111.2, ice_speed_knots=10,
                     open_km=2222.4, open_speed_knots=20, loading_days=1, unloading_days=2, transshipment_days=1,
                     open_days=140, terminal_cargoes_per_year=80)
    r = route_capacity(spec)
    assert r.cargo_t == pytest.approx(50_000)
    assert r.ice_days_one_way == pytest.approx(2.5)
    assert r.open_days_one_way == pytest.approx(2.5)
    assert r.round_trip_days == pytest.approx(14)
    assert r.voyages_per_ship == pytest.approx(10)
    assert r.fleet_capacity_mt == pytest.approx(5.0)
    assert r.terminal_capacity_mt == pytest.approx(4.0)
    assert (r.capacity_mt, r.limiting) == (pytest.approx(4.0), "terminal")
    free = route_capacity(RouteSpec(**{**spec.__dict__, "terminal_cargoes_per_year": None}))
    assert (free.capacity_mt, free.limiting) == (pytest.approx(5.0), "fleet")
    longer = route_capacity(RouteSpec(**{**spec.__dict__, "terminal_cargoes_per_year": None, "open_days": 150}))
    assert longer.voyages_per_ship == pytest.approx(150 / 14)
    assert [s[0] for s in r.steps()][-1] == "capacity"


def test_yamal_nsr_2024_by_hand():
    """2024 row: 15 Arc7 x 172,600 m3 x 0.45 = 77,670 t; one way 4,747/(8.9 x 44.448) = 12.000 d
    + 5,953/(16.7 x 44.448) = 8.020 d; round trip 2 x 20.020 + 2 = 42.040 d; 157 open days (27 Jun-30 Nov)
    -> 3.7346 voyages/ship x 15 = 56.02 cargoes x 77,670 t = 4.351 Mt/yr."""
    r = route_capacity(route_for_year(read_routes(NET), "yamal_nsr_east", 2024).spec)
    one_way = 4747 / (8.9 * KM_PER_DAY_PER_KNOT) + 5953 / (16.7 * KM_PER_DAY_PER_KNOT)
    assert r.round_trip_days == pytest.approx(2 * one_way + 2) and r.round_trip_days == pytest.approx(42.04, abs=1e-3)
    assert r.capacity_mt == pytest.approx(15 * 157 / r.round_trip_days * 77_670 / 1e6)
    assert r.capacity_mt == pytest.approx(4.351, abs=1e-3)
    west = route_capacity(route_for_year(read_routes(NET), "yamal_west_transship", 2024).spec)
    assert (west.capacity_mt, west.limiting) == (pytest.approx(137 * 77_670 / 1e6), "terminal")   # 10.641


@pytest.mark.parametrize("field, value, message", [
    ("ships", 501, "ships = 501 is outside its physical range 0-500 ships"),
    ("ships", 2.5, "must be a whole number"),
    ("open_km", 40_001, "open_km = 40001 is outside its physical range 0-40000 km"),
    ("ice_speed_knots", 0.5, "ice_speed_knots = 0.5 is outside its physical range 1-30 kn"),
    ("open_speed_knots", 31, "outside its physical range 1-30 kn"),
    ("open_days", 367, "open_days = 367 is outside its physical range 0-366 days"),
])
def test_bounds(field, value, message):
    base = dict(ships=1, cargo_m3=1000, density_t_m3=0.45, ice_km=0, ice_speed_knots=10, open_km=100,
                open_speed_knots=10)
    with pytest.raises(ShippingError, match=message):
        RouteSpec(**{**base, field: value})


def test_zero_length_trip_refused():
    with pytest.raises(ShippingError, match="takes no time"):
        RouteSpec(1, 1000, 0.45, 0, 10, 0, 10, loading_days=0, unloading_days=0)


def _copy_net(tmp_path: Path) -> Path:
    dst = tmp_path / "net"
    shutil.copytree(NET, dst)
    return dst


def _edit_csv(path: Path, line: int, field: str, value: str) -> None:
    import csv
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    rows[line - 1][rows[0].index(field)] = value
    with path.open("w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("field, value, message", [
    ("ships", "many", "shipping.csv row 3, field 'ships': 'many' is not a number"),
    ("ships", "900", "shipping.csv row 3, field 'ships': ships = 900.0 is outside"),
    ("open_days", "", "shipping.csv row 3, field 'open_days': required"),
    ("status", "guess", "shipping.csv row 3, field 'status': 'guess' is not one of"),
    ("source", "", "shipping.csv row 3, field 'source': required"),
    ("start_year", "2019", "shipping.csv row 3, field 'start_year': years overlap row 2"),
    ("joint", "maybe", "shipping.csv row 3, field 'joint': 'maybe' is not yes or no"),
    ("arcs", "west_kr", "shipping.csv row 3, field 'arcs': route 'yamal_nsr_east' names other arcs than on row 2"),
])
def test_shipping_csv_validation(tmp_path, field, value, message):
    net = _copy_net(tmp_path)
    _edit_csv(net / "shipping.csv", 3, field, value)
    with pytest.raises(DataError) as e:
        read_routes(net)
    assert message in str(e.value)


def test_unknown_arc_named(tmp_path):
    net = _copy_net(tmp_path)
    import pandas as pd
    df = pd.read_csv(net / "shipping.csv", dtype=str, keep_default_na=False)
    df.loc[df["route"] == "yamal_nsr_east", "arcs"] = "yamal_nsr_eats"
    df.to_csv(net / "shipping.csv", index=False, lineterminator="\n")
    with pytest.raises(DataError, match="shipping.csv row 2, field 'arcs': unknown arc 'yamal_nsr_eats'"):
        shipping_capacities(read_network(net))


def test_capacity_mode_changes_arcs():
    """yamal_nsr_east takes the route capacity by year (2018 keeps the nameplate 3.9: no shipping row);
    west_cn/jp/kr/row now leave a hub fed by arc yamal_west_transship (unlimited before 2019)."""
    net = shipping_capacities(read_network(NET))
    a = net.arcs
    nsr = a[a["id"] == "yamal_nsr_east"].set_index("start_year")
    assert nsr.loc[2018, "capacity"] == pytest.approx(3.9) and nsr.loc[2018, "end_year"] == 2018
    assert nsr.loc[2024, "capacity"] == pytest.approx(4.351, abs=1e-3)
    assert nsr.loc[2024, "capacity_basis"] == "shipping:yamal_nsr_east"
    assert nsr.loc[2020, "capacity"] == pytest.approx(15 * 197 / 42.0395 * 0.07767, abs=1e-3)   # 5.460
    hub = a[a["id"] == "yamal_west_transship"].set_index("start_year")
    assert hub["capacity"].isna().sum() == 1                                  # 2017-2018: no row
    assert hub.loc[2019, "capacity"] == pytest.approx(107 * 0.07767)          # 8.311, Zeebrugge only
    assert hub.loc[2020, "capacity"] == pytest.approx(137 * 0.07767)          # 10.641, + Kildin
    west = a["id"].isin(["west_cn", "west_jp", "west_kr", "west_row"])
    assert set(a.loc[west, "from"]) == {"yamal_west_transship_hub"}
    assert set(a.loc[a["id"] == "west_eu", "from"]) == {"yamal_west"}


def _lng(name: str):
    return fm.run(ROOT / "scenarios" / f"{name}.yaml").redirect.set_index("commodity").loc["lng"]


def test_nsr_closed_matters_with_shipping_capacity():
    """2024, LNG to JP+KR.  Nameplate: 20.30 whether the NSR is open or not (western route unlimited).
    default_shipping: Yamal has 19.6 - 6.5 (EU contracts) = 13.1 Mt for Asia; NSR 4.351 + transshipment
    10.641 = 14.99 >= 13.1, so still 20.30 (= Sakhalin-2 10.2 + Yamal 13.1 - CNPC 3.0).
    whatif_nsr_closed: all Asian cargoes through transshipment: 10.641 - CNPC's 3.0 = 7.641 from
    Yamal + Sakhalin-2's 10.2 = 17.841; change -2.459 Mt/yr."""
    default, closed = _lng("default_shipping"), _lng("whatif_nsr_closed")
    assert default["max_to"] == pytest.approx(20.30, abs=1e-6)
    assert closed["max_to"] == pytest.approx(10.2 + 137 * 0.07767 - 3.0, abs=1e-6)
    assert closed["max_to"] - default["max_to"] == pytest.approx(-2.45921, abs=1e-5)


def test_validation_against_observed_nsr_volumes():
    """Computed eastbound capacity over the observed window vs observed cargoes/volumes.

    Tolerance: observed / capacity between 0.4 and 1.0.  Capacity is an upper bound (whole Arc7
    fleet eastbound every open day, season to 30 Nov), so the ratio must not exceed 1.  Over a whole
    season Yamal still sent Arc7 ships west to its European contract buyers (6.5 Mt/yr) and the
    shoulder weeks are thin, so about half is expected; in peak months (Aug-Sep 2020, when all of
    Yamal's Asia-bound cargoes went via the NSR, Argus) 0.7-0.85.  Below 0.4 the computed capacity
    would be more than 2.5x anything shipped, i.e. overstated.
    Ratios: Q3 2019 15 / 28.45 = 0.53; Sep 2019 0.545 / 0.720 = 0.76; Aug 2020 0.623 / 0.859 = 0.73;
    Sep 2020 0.700 / 0.831 = 0.84; 2023 season 32 / 64.23 = 0.50.
    """
    routes = read_routes(NET)
    obs = read_observed(NET)
    assert len(obs) >= 4 and obs["year"].nunique() >= 3
    ratios = []
    for _, o in obs.iterrows():
        spec = route_for_year(routes, o["route"], int(o["year"])).spec
        cargoes = window_capacity(spec, o["days"])
        cargo_t = spec.cargo_m3 * spec.density_t_m3
        ratio = o["cargoes"] / cargoes if o["cargoes"] == o["cargoes"] and o["cargoes"] is not None \
            else o["volume_mt"] / (cargoes * cargo_t / 1e6)
        ratios.append(round(ratio, 2))
        assert 0.4 <= ratio <= 1.0, (o["year"], o["period"], ratio)
    assert ratios == [0.53, 0.76, 0.73, 0.84, 0.50]


def test_cli_route_and_arc():
    from flowmodel.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["shipping", "route", "--ships", "10", "--cargo-m3", "100000", "--density-t-m3", "0.5",
                            "--ice-km", "1111.2", "--ice-speed-knots", "10", "--open-km", "2222.4",
                            "--open-speed-knots", "20", "--unloading-days", "2", "--transshipment-days", "1",
                            "--open-days", "140", "--terminal-cargoes", "80"], env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "round trip" in r.output and "14.000" in r.output and "capacity 4.000 Mt/yr" in r.output
    assert "limited by terminal" in r.output
    r = runner.invoke(app, ["shipping", "arc", "yamal_nsr_east", str(ROOT / "scenarios" / "default_shipping.yaml")],
                      env={"COLUMNS": "160"})
    assert r.exit_code == 0, r.output
    assert "capacity 4.351 Mt/yr" in r.output and "2024" in r.output


def test_cli_bad_input_exit_2(capsys):
    from flowmodel.cli import main

    assert main(["shipping", "route", "--ships", "600", "--cargo-m3", "1000", "--open-km", "10"]) == 2
    out = capsys.readouterr()
    assert "ships = 600 is outside its physical range" in out.err and "Traceback" not in out.err + out.out
    assert main(["shipping", "arc", "nope", "--network", str(NET)]) == 2
    assert "is not set by shipping.csv" in capsys.readouterr().err
