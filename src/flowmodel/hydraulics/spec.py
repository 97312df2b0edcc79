"""The hydraulic specification of one pipeline (:class:`PipeSpec`) and its validation.

Pressures are **absolute** bar throughout this package (pandapipes' gauge pressures are
converted at the boundary, in :mod:`flowmodel.hydraulics.pipeflow`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from flowmodel.errors import HydraulicsError

COMMODITIES = ("gas", "crude")

#: Default maximum compression ratio (discharge / suction, absolute) of one gas compressor
#: station.  Russian 1,420 mm trunk lines are designed for station ratios of about 1.35-1.5
#: (e.g. 7.45 / 5.1 MPa = 1.46 on the 7.4 MPa lines; 11.8 / 8.0 MPa = 1.48 on Bovanenkovo-Ukhta);
#: 1.5 is the upper end for one stage of centrifugal compression.  Assumption, not sourced
#: to one document.
DEFAULT_STATION_RATIO = 1.5

#: Wall thickness assumed when an arc gives only the outer diameter, as a fraction of it.
#: Barlow's formula t = p·D / (2·S) with p = 9.8 MPa and an allowable hoop stress S of about
#: 290 MPa (K60/K65 steel, design factor ~0.5) gives t/D = 0.017: 24 mm for 1,420 mm,
#: 21 mm for 1,220 mm, 12 mm for 720 mm.  Assumption.
WALL_FRACTION_OF_OD = 0.017


@dataclass(frozen=True)
class PipeSpec:
    """Hydraulic specification of one pipeline (hashable: results are cached per spec).

    Attributes
    ----------
    commodity : ``"gas"`` or ``"crude"``.
    inner_diameter_mm : inner diameter, mm.
    length_km : length, km.
    max_pressure_bar : maximum operating pressure, bar **absolute**; the inlet and every
        station discharge are held at it.
    min_outlet_bar : bar absolute: gas delivery pressure at the end; crude minimum suction
        pressure at every pump station and at the delivery point.
    stations : intermediate compressor/pump stations, equally spaced (the head station at
        the inlet is not counted: the inlet is at ``max_pressure_bar``).
    max_station_ratio : gas only; maximum discharge/suction ratio, default
        :data:`DEFAULT_STATION_RATIO`.  Ignored for crude.
    roughness_mm : equivalent sand roughness (coated trunk lines: 0.01-0.05 mm).
    temperature_c : flowing temperature (isothermal model), °C.
    elevation_change_m : outlet minus inlet elevation, spread linearly along the line.
    """

    commodity: str
    inner_diameter_mm: float
    length_km: float
    max_pressure_bar: float
    min_outlet_bar: float
    stations: int = 0
    max_station_ratio: float | None = None
    roughness_mm: float = 0.02
    temperature_c: float = 15.0
    elevation_change_m: float = 0.0

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise HydraulicsError("invalid pipe spec: " + "; ".join(problems))

    @property
    def station_ratio(self) -> float:
        """Effective maximum station ratio (default applied)."""
        return DEFAULT_STATION_RATIO if self.max_station_ratio is None else float(self.max_station_ratio)

    @property
    def segments(self) -> int:
        """Number of pipe segments between stations (``stations + 1``)."""
        return int(self.stations) + 1

    @property
    def segment_km(self) -> float:
        return self.length_km / self.segments

    @property
    def unit(self) -> str:
        return "bcm/yr" if self.commodity == "gas" else "Mt/yr"


def _finite(x) -> bool:
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _problems(s: PipeSpec) -> list[str]:
    out: list[str] = []
    if s.commodity not in COMMODITIES:
        out.append(f"commodity {s.commodity!r} must be 'gas' or 'crude'")
    for name in ("inner_diameter_mm", "length_km", "max_pressure_bar", "min_outlet_bar"):
        v = getattr(s, name)
        if not _finite(v) or float(v) <= 0:
            out.append(f"{name} must be a positive number (got {v!r})")
    for name in ("roughness_mm", "temperature_c", "elevation_change_m"):
        if not _finite(getattr(s, name)):
            out.append(f"{name} must be a number (got {getattr(s, name)!r})")
    if _finite(s.roughness_mm) and s.roughness_mm < 0:
        out.append(f"roughness_mm must be >= 0 (got {s.roughness_mm})")
    if _finite(s.temperature_c) and not -60 <= s.temperature_c <= 150:
        out.append(f"temperature_c {s.temperature_c} outside -60..150 °C")
    if not isinstance(s.stations, int) or isinstance(s.stations, bool) or s.stations < 0:
        out.append(f"stations must be a non-negative integer (got {s.stations!r})")
    if s.max_station_ratio is not None and (not _finite(s.max_station_ratio) or s.max_station_ratio <= 1):
        out.append(f"max_station_ratio must be > 1 (got {s.max_station_ratio!r})")
    if not out and s.min_outlet_bar >= s.max_pressure_bar:
        out.append(f"min_outlet_bar {s.min_outlet_bar:g} must be below max_pressure_bar {s.max_pressure_bar:g}")
    if not out and s.inner_diameter_mm > 5000:
        out.append(f"inner_diameter_mm {s.inner_diameter_mm:g} is implausible (> 5 m)")
    # physical bounds that also bound the work of a capacity search (sections = length / 10 km)
    if not out and s.length_km > MAX_LENGTH_KM:
        out.append(f"length_km {s.length_km:g} is beyond any pipeline (max {MAX_LENGTH_KM:g} km)")
    if not out and s.stations > MAX_STATIONS:
        out.append(f"stations {s.stations} is beyond any pipeline (max {MAX_STATIONS})")
    if not out and s.max_pressure_bar > MAX_PRESSURE_BAR:
        out.append(f"max_pressure_bar {s.max_pressure_bar:g} is beyond line-pipe ratings (max {MAX_PRESSURE_BAR:g})")
    if not out and abs(s.elevation_change_m) > 9000:
        out.append(f"elevation_change_m {s.elevation_change_m:g} is beyond the Earth's relief")
    return out


#: Physical bounds (the longest pipelines are ~9,000 km; main lines have at most a few
#: dozen stations; high-pressure line pipe is rated to ~250 bar).
MAX_LENGTH_KM = 20_000.0
MAX_STATIONS = 200
MAX_PRESSURE_BAR = 300.0


def _blank(v) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip() == ""
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return False


def _num(row: Mapping, key: str, arc: str) -> float | None:
    v = row.get(key)
    if v is None or _blank(v):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        raise HydraulicsError(f"arc {arc!r}: field {key!r} is not a number ({v!r})") from None


def spec_from_arc(row: Mapping) -> PipeSpec | None:
    """Build a :class:`PipeSpec` from one arcs.csv row (a dict or a pandas Series).

    The length is ``hydraulic_length_km`` (the section the spec describes) or else
    ``length_km``.  Returns ``None`` when the row is not a gas/crude pipeline or lacks any of ``length_km``,
    ``max_pressure_bar``, ``min_outlet_bar`` and a diameter (blank/NaN).  The inner diameter
    is ``inner_diameter_mm`` or, failing that, ``diameter_mm·(1 − 2·WALL_FRACTION_OF_OD)``.
    Raises :class:`HydraulicsError` when present values are invalid.
    """
    arc = str(row.get("id", "?"))
    commodity = row.get("commodity")
    if _blank(commodity) or str(commodity).strip() not in COMMODITIES:
        return None
    mode = row.get("mode")
    if not _blank(mode) and str(mode).strip() != "pipeline":
        return None
    length = _num(row, "hydraulic_length_km", arc)
    if length is None:
        length = _num(row, "length_km", arc)
    pmax = _num(row, "max_pressure_bar", arc)
    pmin = _num(row, "min_outlet_bar", arc)
    inner = _num(row, "inner_diameter_mm", arc)
    if inner is None:
        outer = _num(row, "diameter_mm", arc)
        inner = None if outer is None else outer * (1 - 2 * WALL_FRACTION_OF_OD)
    if length is None or pmax is None or pmin is None or inner is None:
        return None
    kwargs: dict = {}
    stations = _num(row, "stations", arc)
    if stations is not None:
        if stations != int(stations):
            raise HydraulicsError(f"arc {arc!r}: stations must be an integer (got {stations:g})")
        kwargs["stations"] = int(stations)
    for key in ("max_station_ratio", "roughness_mm", "temperature_c", "elevation_change_m"):
        v = _num(row, key, arc)
        if v is not None:
            kwargs[key] = v
    try:
        return PipeSpec(str(commodity).strip(), inner, length, pmax, pmin, **kwargs)
    except HydraulicsError as exc:
        raise HydraulicsError(f"arc {arc!r}: {exc}") from None
