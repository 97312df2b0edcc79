"""Reading and validating ``shipping.csv`` (route inputs) and ``shipping_observed.csv``.

The network loader does not know these files; they are read here with pandas and checked
row by row.  A bad value raises :class:`~flowmodel.errors.DataError` naming the file, the
row (line number in the file, header = 1) and the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError, ShippingError
from .voyage import RouteSpec

ROUTE_FILE = "shipping.csv"
OBSERVED_FILE = "shipping_observed.csv"

SPEC_COLUMNS = ["ships", "cargo_m3", "density_t_m3", "ice_km", "ice_speed_knots", "open_km", "open_speed_knots",
                "loading_days", "unloading_days", "transshipment_days", "open_days", "terminal_cargoes_per_year"]
ROUTE_COLUMNS = ["route", "arcs", "joint", "start_year", "end_year", *SPEC_COLUMNS, "status", "source", "notes"]
OBSERVED_COLUMNS = ["route", "year", "period", "days", "cargoes", "volume_mt", "status", "source", "notes"]
STATUSES = ("observed", "estimate", "plan")


@dataclass(frozen=True)
class Route:
    """One row of ``shipping.csv``: a route's inputs for a span of years."""

    route: str
    arcs: tuple[str, ...]
    joint: bool
    start_year: int
    end_year: int | None
    spec: RouteSpec
    status: str
    source: str
    line: int

    def active(self, year: int) -> bool:
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""


def _read(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise DataError(f"{path.name}: file not found in {path.parent}")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{path.name} row 1, field '{missing[0]}': column missing")
    return df


def _number(name: str, line: int, field: str, v, *, integer: bool = False, blank_ok: bool = False):
    if _blank(v):
        if blank_ok:
            return None
        raise DataError(f"{name} row {line}, field '{field}': required")
    try:
        x = float(v)
    except ValueError:
        raise DataError(f"{name} row {line}, field '{field}': '{v}' is not a number") from None
    if math.isnan(x) or (integer and x != int(x)):
        raise DataError(f"{name} row {line}, field '{field}': '{v}' is not a whole number")
    return int(x) if integer else x


def _text(name: str, line: int, field: str, v) -> str:
    if _blank(v):
        raise DataError(f"{name} row {line}, field '{field}': required")
    return str(v).strip()


def read_routes(folder: str | Path) -> list[Route]:
    """All rows of ``folder/shipping.csv`` as :class:`Route` (validated)."""
    path = Path(folder) / ROUTE_FILE
    df = _read(path, ROUTE_COLUMNS)
    name = ROUTE_FILE
    routes: list[Route] = []
    for i, r in enumerate(df.to_dict("records")):
        line = i + 2
        route = _text(name, line, "route", r["route"])
        arcs = tuple(a.strip() for a in str(r["arcs"]).split(";") if a.strip())
        if not arcs:
            raise DataError(f"{name} row {line}, field 'arcs': required (arc ids separated by ';')")
        joint = str(r["joint"]).strip().lower()
        if joint not in ("yes", "no", ""):
            raise DataError(f"{name} row {line}, field 'joint': '{r['joint']}' is not yes or no")
        start = _number(name, line, "start_year", r["start_year"], integer=True)
        end = _number(name, line, "end_year", r["end_year"], integer=True, blank_ok=True)
        if end is not None and end < start:
            raise DataError(f"{name} row {line}, field 'end_year': {end} is before start_year {start}")
        values = {}
        for c in SPEC_COLUMNS:
            values[c] = _number(name, line, c, r[c], blank_ok=c == "terminal_cargoes_per_year")
        try:
            spec = RouteSpec(**values)
        except ShippingError as e:
            field = str(e).split(" ", 1)[0]
            field = field if field in SPEC_COLUMNS else "ships"
            raise DataError(f"{name} row {line}, field '{field}': {e}") from None
        status = _text(name, line, "status", r["status"])
        if status not in STATUSES:
            raise DataError(f"{name} row {line}, field 'status': '{status}' is not one of {', '.join(STATUSES)}")
        source = _text(name, line, "source", r["source"])
        for other in routes:
            if other.route == route and (other.arcs != arcs or other.joint != (joint == "yes")):
                raise DataError(f"{name} row {line}, field 'arcs': route '{route}' names other arcs than on "
                                f"row {other.line}")
            if other.route == route and _overlap(other, start, end):
                raise DataError(f"{name} row {line}, field 'start_year': years overlap row {other.line} of "
                                f"route '{route}'")
            if other.route != route and set(other.arcs) & set(arcs):
                raise DataError(f"{name} row {line}, field 'arcs': arc '{sorted(set(other.arcs) & set(arcs))[0]}' "
                                f"is already set by route '{other.route}' (row {other.line})")
        routes.append(Route(route, arcs, joint == "yes", start, end, spec, status, source, line))
    return routes


def _overlap(r: Route, start: int, end: int | None) -> bool:
    hi1 = math.inf if r.end_year is None else r.end_year
    hi2 = math.inf if end is None else end
    return r.start_year <= hi2 and start <= hi1


def route_for_year(routes: list[Route], route: str, year: int) -> Route:
    """The row of ``route`` active in ``year``."""
    rows = [r for r in routes if r.route == route]
    if not rows:
        known = ", ".join(sorted({r.route for r in routes}))
        raise ShippingError(f"route '{route}' not in {ROUTE_FILE} (known: {known})")
    for r in rows:
        if r.active(year):
            return r
    raise ShippingError(f"route '{route}' has no row in {ROUTE_FILE} for {year}")


def read_observed(folder: str | Path) -> pd.DataFrame:
    """``folder/shipping_observed.csv``: observed volumes on a route in a window of days."""
    path = Path(folder) / OBSERVED_FILE
    df = _read(path, OBSERVED_COLUMNS)
    rows = []
    for i, r in enumerate(df.to_dict("records")):
        line = i + 2
        cargoes = _number(OBSERVED_FILE, line, "cargoes", r["cargoes"], blank_ok=True)
        volume = _number(OBSERVED_FILE, line, "volume_mt", r["volume_mt"], blank_ok=True)
        if cargoes is None and volume is None:
            raise DataError(f"{OBSERVED_FILE} row {line}, field 'cargoes': give cargoes or volume_mt")
        days = _number(OBSERVED_FILE, line, "days", r["days"])
        if not 0 < days <= 366:
            raise DataError(f"{OBSERVED_FILE} row {line}, field 'days': {days:g} is outside 1-366")
        rows.append({"route": _text(OBSERVED_FILE, line, "route", r["route"]),
                     "year": _number(OBSERVED_FILE, line, "year", r["year"], integer=True),
                     "period": _text(OBSERVED_FILE, line, "period", r["period"]), "days": days,
                     "cargoes": cargoes, "volume_mt": volume,
                     "status": _text(OBSERVED_FILE, line, "status", r["status"]),
                     "source": _text(OBSERVED_FILE, line, "source", r["source"])})
    return pd.DataFrame(rows, columns=OBSERVED_COLUMNS[:-1])
