"""Shipping capacity: voyage arithmetic by hand, physical bounds, shipping.csv, the capacity mode,
and the eastbound Arc7 capacity against the cargoes Yamal LNG actually sent east via the NSR."""

from __future__ import annotations

from pathlib import Path

import pytest

import flowmodel as fm
from flowmodel.cli import main
from flowmodel.errors import ShippingError
from flowmodel.shipping import RouteSpec, read_routes, route_capacity

NET = Path(__file__).resolve().parents[1] / "networks" / "east_asia"


def test_voyage_arithmetic_by_hand():
    """10 ships, 100,000 m3 at 0.5 t/m3 = 50 kt per cargo; 10 kn x 1.852 km/nm x 24 h = 444.48
    km/day, so 4,444.8 km take 10 days one way; round trip
    2 x 10 + 1 + 1 + 2 = 24 days; 120 open days = 5 voyages per ship; 10 x 5 x 50 kt = 2.5 Mt/yr;
    a terminal of 40 cargoes/yr = 2.0 Mt/yr binds."""
    spec = RouteSpec("r", ships=10, cargo_m3=100_000, density_t_m3=0.5, distance_km=4444.8, speed_knots=10,
                     open_days=120, loading_days=1, unloading_days=1, transshipment_days=2,
                     terminal_cargoes_per_year=40)
    res = route_capacity(spec)
    steps = {what: v for what, v, _ in res.steps}
    assert steps["one-way sailing"] == pytest.approx(10.0)
    assert steps["round trip (2 x sailing + port and transfer days)"] == pytest.approx(24.0)
    assert steps["voyages per ship in the open days"] == pytest.approx(5.0)
    assert steps["fleet capacity"] == pytest.approx(2.5)
    assert res.capacity_mt == pytest.approx(2.0) and res.limiting == "terminal"


@pytest.mark.parametrize("change, message", [
    ({"ships": 1e6}, "ships"), ({"distance_km": 1e9}, "distance_km"), ({"speed_knots": 0}, "speed_knots"),
    ({"open_days": 400}, "open_days"), ({"ships": None}, "together"),
])
def test_bounds(change, message):
    args = dict(name="r", ships=10, cargo_m3=100_000, density_t_m3=0.5, distance_km=4000, speed_knots=10)
    args.update(change)
    with pytest.raises(ShippingError, match=message):
        RouteSpec(**args)


def test_shipped_routes():
    routes = read_routes(NET)
    east, arcs = routes["yamal_nsr_east_arc7"]
    assert arcs == ["yamal_nsr_east"]
    # 15 x (153 / (2 x 10,700 / (12 x 1.852 x 24) + 2)) x 172,600 x 0.45 / 1e6
    one_way = 10_700 / (12 * 1.852 * 24)
    assert route_capacity(east).capacity_mt == pytest.approx(15 * 153 / (2 * one_way + 2) * 172_600 * 0.45 / 1e6)
    west, _ = routes["yamal_west_transshipment"]
    assert route_capacity(west).capacity_mt == pytest.approx(137 * 172_600 * 0.45 / 1e6)


@pytest.mark.parametrize("year, cargoes, source", [
    (2019, 15, "Novatek: 15 eastbound NSR cargoes in Q3 2019 (offshore-energy.biz, Oct 2019)"),
    (2023, 32, "Novatek: about 32 NSR shipments to Asia in 2023 (EADaily, 16 Jul 2024)"),
])
def test_eastbound_capacity_against_observed_cargoes(year, cargoes, source):
    """The computed capacity is an upper bound (all 15 Arc7 ships eastbound all season) and must
    hold what was actually shipped; observed / capacity must be between 0.25 and 1.0 (the fleet
    also shuttles westbound cargoes all year, so a realistic share is below one)."""
    spec, _ = read_routes(NET)["yamal_nsr_east_arc7"]
    cap = route_capacity(spec).capacity_mt
    observed = cargoes * spec.cargo_m3 * spec.density_t_m3 / 1e6
    assert 0.25 <= observed / cap <= 1.0, (source, observed, cap)


def test_capacity_mode_and_nsr_closure():
    """With shipping capacities, closing the NSR sends Yamal's Asian cargoes west, where the
    transshipment terminals (10.64 Mt/yr) must also carry CNPC's 3 Mt/yr contract: the LNG that
    Japan and Korea can receive falls."""
    base = fm.run("default_shipping").redirect.set_index("commodity")
    closed = fm.run("whatif_nsr_closed").redirect.set_index("commodity")
    assert base.at["lng", "max_to"] == pytest.approx(fm.run("default").redirect.set_index("commodity")
                                                     .at["lng", "max_to"])
    assert closed.at["lng", "max_to"] < base.at["lng", "max_to"] - 1.0
    flows = fm.run("default_shipping").flows.set_index("arc")
    assert flows.at["yamal_nsr_east", "capacity"] == pytest.approx(4.2318, abs=1e-3)
    assert flows.at["west_to_transship", "capacity"] == pytest.approx(10.6408, abs=1e-3)


def test_cli(capsys):
    assert main(["shipping", "route", "--ships", "10", "--cargo-m3", "100000", "--density-t-m3", "0.5",
                 "--distance-km", "4444.8", "--speed-knots", "10", "--open-days", "120",
                 "--transshipment-days", "2"]) == 0
    out = capsys.readouterr().out
    assert "capacity 2.50 Mt/yr (limited by the fleet)" in out
    assert main(["shipping", "route", "--ships", "1e6", "--cargo-m3", "100000", "--distance-km", "100",
                 "--speed-knots", "10"]) == 2
