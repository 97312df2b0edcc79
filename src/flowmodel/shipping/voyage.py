"""Annual capacity of a shipping route from its fleet, voyage and terminal data.

The arithmetic, every step kept on the result so it can be printed:

* cargo per voyage, t = ``cargo_m3 * density_t_m3``
* sailing days one way = sum over legs of ``distance_km / (speed_knots * 24 * 1.852)``
  (1 knot = 1.852 km/h; the ballast return sails the same legs at the same speeds)
* round trip, days = ``2 * sailing days one way + loading_days + unloading_days + transshipment_days``
* voyages per ship = ``open_days / round_trip_days``, **not** floored: a fleet whose ships
  start the season at staggered times makes ``open_days / round_trip_days`` departures per
  ship on average (a single ship makes ``floor(...)`` or ``floor(...) + 1``), and the route
  capacity is a fleet figure
* fleet capacity, Mt/yr = ``ships * voyages per ship * cargo_t / 1e6``
* terminal capacity, Mt/yr = ``terminal_cargoes_per_year * cargo_t / 1e6`` (no cap when blank)
* capacity = the smaller of the two; ``limiting`` names which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from ..errors import ShippingError

KM_PER_NM = 1.852          # km per nautical mile (exact, by definition)
HOURS_PER_DAY = 24.0

# Physical bounds of the inputs: (minimum, maximum, unit).  Outside -> ShippingError.
BOUNDS: dict[str, tuple[float, float, str]] = {
    "ships": (0, 500, "ships"),
    "cargo_m3": (1, 300_000, "m3"),
    "density_t_m3": (0.3, 1.1, "t/m3"),
    "ice_km": (0, 40_000, "km"),
    "open_km": (0, 40_000, "km"),
    "ice_speed_knots": (1, 30, "kn"),
    "open_speed_knots": (1, 30, "kn"),
    "loading_days": (0, 30, "days"),
    "unloading_days": (0, 30, "days"),
    "transshipment_days": (0, 30, "days"),
    "open_days": (0, 366, "days"),
    "terminal_cargoes_per_year": (0, 10_000, "cargoes/yr"),
}


@dataclass(frozen=True)
class RouteSpec:
    """Inputs of one shipping route (one direction laden, ballast back).

    Distances are split into an ice leg (sailed at ``ice_speed_knots``) and an open-water
    leg (``open_speed_knots``); either may be 0.  ``open_days`` is the number of days a year
    on which laden departures are possible for the fleet's ice class.
    ``terminal_cargoes_per_year`` caps the cargoes a (transshipment) terminal can handle;
    ``None`` = no terminal cap.
    """

    ships: float
    cargo_m3: float
    density_t_m3: float
    ice_km: float
    ice_speed_knots: float
    open_km: float
    open_speed_knots: float
    loading_days: float = 1.0
    unloading_days: float = 1.0
    transshipment_days: float = 0.0
    open_days: float = 365.0
    terminal_cargoes_per_year: float | None = None

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None and f.name == "terminal_cargoes_per_year":
                continue
            lo, hi, unit = BOUNDS[f.name]
            if v is None or not isinstance(v, (int, float)) or math.isnan(v) or not lo <= v <= hi:
                raise ShippingError(f"{f.name} = {v!r} is outside its physical range {lo:g}-{hi:g} {unit}")
        if self.ships != int(self.ships):
            raise ShippingError(f"ships = {self.ships!r} must be a whole number")
        if self.ice_km + self.open_km + self.loading_days + self.unloading_days + self.transshipment_days <= 0:
            raise ShippingError("the round trip takes no time: give a distance or port days")


@dataclass(frozen=True)
class ShippingResult:
    """Annual capacity of a route and every step of the voyage arithmetic."""

    spec: RouteSpec
    cargo_t: float
    ice_days_one_way: float
    open_days_one_way: float
    sailing_days_one_way: float
    port_days: float
    round_trip_days: float
    voyages_per_ship: float
    fleet_cargoes: float
    fleet_capacity_mt: float
    terminal_capacity_mt: float | None
    capacity_mt: float
    cargoes: float
    limiting: str
    unit: str = "Mt/yr"

    def steps(self) -> list[tuple[str, str, float, str]]:
        """``(step, formula with the numbers, value, unit)`` rows in order."""
        s = self.spec
        rows = [
            ("cargo per voyage", f"{s.cargo_m3:,.0f} m3 x {s.density_t_m3:g} t/m3", self.cargo_t, "t"),
            ("ice leg, one way", f"{s.ice_km:,.0f} km / ({s.ice_speed_knots:g} kn x 24 h x 1.852 km/nm)",
             self.ice_days_one_way, "days"),
            ("open-water leg, one way", f"{s.open_km:,.0f} km / ({s.open_speed_knots:g} kn x 24 h x 1.852 km/nm)",
             self.open_days_one_way, "days"),
            ("port days", f"loading {s.loading_days:g} + unloading {s.unloading_days:g} + "
                          f"transshipment {s.transshipment_days:g}", self.port_days, "days"),
            ("round trip", f"2 x {self.sailing_days_one_way:.3f} + {self.port_days:g}", self.round_trip_days, "days"),
            ("voyages per ship", f"{s.open_days:g} open days / {self.round_trip_days:.3f} (not floored)",
             self.voyages_per_ship, "voyages/yr"),
            ("fleet cargoes", f"{s.ships:g} ships x {self.voyages_per_ship:.3f}", self.fleet_cargoes, "cargoes/yr"),
            ("fleet capacity", f"{self.fleet_cargoes:.2f} x {self.cargo_t:,.0f} t / 1e6", self.fleet_capacity_mt,
             "Mt/yr"),
        ]
        if self.terminal_capacity_mt is not None:
            rows.append(("terminal capacity",
                         f"{s.terminal_cargoes_per_year:g} cargoes/yr x {self.cargo_t:,.0f} t / 1e6",
                         self.terminal_capacity_mt, "Mt/yr"))
        rows.append(("capacity", f"min(fleet, terminal): {self.limiting}", self.capacity_mt, "Mt/yr"))
        return rows


def leg_days(distance_km: float, speed_knots: float) -> float:
    """Days to sail ``distance_km`` at ``speed_knots``."""
    return distance_km / (speed_knots * HOURS_PER_DAY * KM_PER_NM)


def route_capacity(spec: RouteSpec) -> ShippingResult:
    """Annual capacity (Mt/yr) of ``spec`` with the voyage arithmetic (see module docstring)."""
    cargo_t = spec.cargo_m3 * spec.density_t_m3
    ice = leg_days(spec.ice_km, spec.ice_speed_knots)
    open_ = leg_days(spec.open_km, spec.open_speed_knots)
    one_way = ice + open_
    port = spec.loading_days + spec.unloading_days + spec.transshipment_days
    rt = 2 * one_way + port
    voyages = spec.open_days / rt
    fleet_cargoes = spec.ships * voyages
    fleet_mt = fleet_cargoes * cargo_t / 1e6
    term_mt = None if spec.terminal_cargoes_per_year is None else spec.terminal_cargoes_per_year * cargo_t / 1e6
    if term_mt is not None and term_mt < fleet_mt:
        cap, cargoes, limiting = term_mt, float(spec.terminal_cargoes_per_year or 0.0), "terminal"
    else:
        cap, cargoes, limiting = fleet_mt, fleet_cargoes, "fleet"
    return ShippingResult(spec, cargo_t, ice, open_, one_way, port, rt, voyages, fleet_cargoes, fleet_mt, term_mt,
                          cap, cargoes, limiting)


def window_capacity(spec: RouteSpec, days: float) -> float:
    """Fleet cargoes the route can carry in a window of ``days`` open days (for validation)."""
    return spec.ships * days / route_capacity(spec).round_trip_days
