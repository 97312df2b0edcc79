"""Shipping capacity from fleet data and voyage arithmetic (the shipping twin of :mod:`flowmodel.hydraulics`).

A route's annual capacity is what its ships can carry in the days the route is open::

    one_way_days   = distance_km / (speed_knots x 1.852 x 24)
    round_trip     = 2 x one_way_days + loading_days + unloading_days + transshipment_days
    voyages/ship   = open_days / round_trip          (fleet average: staggered schedules)
    fleet capacity = ships x voyages/ship x cargo_m3 x density_t_m3 / 1e6      [Mt/yr]
    capacity       = min(fleet capacity, terminal_cargoes_per_year x cargo (when a terminal limits))

:func:`route_capacity` returns every step, so the CLI (``flowmodel shipping route``) can print
the arithmetic and tests can check it by hand.  Sourced inputs per route are in
``networks/<net>/shipping.csv`` (:func:`read_routes`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, ShippingError

KM_PER_NM = 1.852

#: Physical bounds of the inputs (the largest LNG carriers hold ~270,000 m3; no route is longer
#: than half the Earth's circumference; a ship cannot be open more days than a year has).
BOUNDS = {"ships": (0, 500), "cargo_m3": (1_000, 300_000), "density_t_m3": (0.3, 1.1), "distance_km": (1, 40_000),
          "speed_knots": (1, 30), "loading_days": (0, 30), "unloading_days": (0, 30), "transshipment_days": (0, 30),
          "open_days": (0, 366), "terminal_cargoes_per_year": (0, 5_000)}


#: Inputs that may be blank: a terminal-limited route need not describe its fleet, and a
#: fleet route need not name a terminal (but one of the two must be given).
OPTIONAL = ("ships", "distance_km", "speed_knots", "terminal_cargoes_per_year")


@dataclass(frozen=True)
class RouteSpec:
    """A shipping route and the fleet serving it (see module docstring)."""

    name: str
    ships: float | None
    cargo_m3: float
    density_t_m3: float
    distance_km: float | None
    speed_knots: float | None
    open_days: float = 365.0
    loading_days: float = 1.0
    unloading_days: float = 1.0
    transshipment_days: float = 0.0
    terminal_cargoes_per_year: float | None = None

    def __post_init__(self) -> None:
        fleet = (self.ships, self.distance_km, self.speed_knots)
        if any(v is None for v in fleet) and not all(v is None for v in fleet):
            raise ShippingError(f"route {self.name!r}: give ships, distance_km and speed_knots together, or none")
        if self.ships is None and self.terminal_cargoes_per_year is None:
            raise ShippingError(f"route {self.name!r}: needs a fleet (ships, distance, speed) or a terminal limit")
        for key, (lo, hi) in BOUNDS.items():
            v = getattr(self, key)
            if v is None and key in OPTIONAL:
                continue
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or not lo <= v <= hi:
                raise ShippingError(f"route {self.name!r}: {key} {v!r} outside {lo:g}..{hi:g}")


@dataclass
class ShippingResult:
    """Capacity of a route (Mt/yr) and the steps of the arithmetic."""

    route: str
    capacity_mt: float
    limiting: str
    steps: list[tuple[str, float, str]] = field(default_factory=list)  # (what, value, unit)


def route_capacity(spec: RouteSpec) -> ShippingResult:
    """Annual capacity of ``spec`` with the voyage arithmetic step by step."""
    steps: list[tuple[str, float, str]] = []
    cargo_t = spec.cargo_m3 * spec.density_t_m3
    if spec.ships is None or spec.distance_km is None or spec.speed_knots is None:
        assert spec.terminal_cargoes_per_year is not None
        steps.append(("cargo per voyage", cargo_t / 1000.0, "kt"))
        terminal = spec.terminal_cargoes_per_year * cargo_t / 1e6
        steps.append(("terminal capacity (cargoes x cargo); fleet not modelled", terminal, "Mt/yr"))
        steps.append(("capacity", terminal, "Mt/yr"))
        return ShippingResult(spec.name, terminal, "terminal", steps)
    one_way = spec.distance_km / (spec.speed_knots * KM_PER_NM * 24.0)
    steps.append(("one-way sailing", one_way, "days"))
    trip = 2 * one_way + spec.loading_days + spec.unloading_days + spec.transshipment_days
    steps.append(("round trip (2 x sailing + port and transfer days)", trip, "days"))
    voyages = spec.open_days / trip
    steps.append(("voyages per ship in the open days", voyages, "per year"))
    steps.append(("cargo per voyage", cargo_t / 1000.0, "kt"))
    fleet = spec.ships * voyages * cargo_t / 1e6
    steps.append(("fleet capacity", fleet, "Mt/yr"))
    capacity, limiting = fleet, "fleet"
    if spec.terminal_cargoes_per_year is not None:
        terminal = spec.terminal_cargoes_per_year * cargo_t / 1e6
        steps.append(("terminal capacity (cargoes x cargo)", terminal, "Mt/yr"))
        if terminal < fleet:
            capacity, limiting = terminal, "terminal"
    steps.append(("capacity", capacity, "Mt/yr"))
    return ShippingResult(spec.name, capacity, limiting, steps)


ROUTE_COLUMNS = ("route", "arcs", "ships", "cargo_m3", "density_t_m3", "distance_km", "speed_knots", "open_days",
                 "loading_days", "unloading_days", "transshipment_days", "terminal_cargoes_per_year", "status",
                 "source", "notes")


def read_routes(folder: str | Path) -> dict[str, tuple[RouteSpec, list[str]]]:
    """``shipping.csv`` of a network folder: route -> (spec, arc ids it sets). Empty if absent."""
    import pandas as pd

    from ..validate import _number

    path = Path(folder) / "shipping.csv"
    if not path.exists():
        return {}
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception as e:  # noqa: BLE001 - any parse problem is the user's file
        raise DataError(f"shipping.csv: cannot be read ({e})") from None
    missing = [c for c in ROUTE_COLUMNS if c not in df.columns]
    if missing:
        raise DataError(f"shipping.csv: missing column '{missing[0]}'")
    out = {}
    for i, r in df.iterrows():
        row = int(i) + 2
        if not r["source"].strip():
            raise DataError(f"shipping.csv row {row}, field 'source': required value is missing")
        vals: dict = {}
        for key in BOUNDS:
            text = r[key].strip()
            if not text:
                if key in OPTIONAL:
                    vals[key] = None
                    continue
                raise DataError(f"shipping.csv row {row}, field '{key}': required value is missing")
            x = _number(text)
            if x is None:
                raise DataError(f"shipping.csv row {row}, field '{key}': '{text}' is not a number")
            vals[key] = x
        try:
            spec = RouteSpec(r["route"].strip(), **vals)
        except ShippingError as e:
            raise DataError(f"shipping.csv row {row}: {e}") from None
        out[spec.name] = (spec, [a.strip() for a in r["arcs"].split(";") if a.strip()])
    return out


__all__ = ["BOUNDS", "OPTIONAL", "RouteSpec", "ShippingResult", "read_routes", "route_capacity"]
