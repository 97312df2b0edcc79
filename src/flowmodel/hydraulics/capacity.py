"""Maximum throughput, flow checks and pressure profiles of one pipeline.

Capacity method
---------------
With ``N`` equally spaced intermediate stations the line is ``N + 1`` identical segments
(same length, same share of the elevation change).  The inlet and every station discharge
are held at ``max_pressure_bar``; at capacity the segment with the highest required end
pressure sits exactly at it:

* gas: intermediate suction ≥ ``max_pressure / max_station_ratio``, delivery ≥ ``min_outlet``;
* crude: every suction and the delivery ≥ ``min_outlet`` (minimum pump suction).

Because all segments are identical, the binding one is the one with the highest required
end pressure, and its flow (one pandapipes run with both end pressures fixed) is the line's
capacity.  :func:`pressure_profile` then checks this with a whole-line model (ideal
stations as ``pressure_control``) at the requested flow.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass

from flowmodel.errors import HydraulicsError
from flowmodel.hydraulics import fluids, pipeflow
from flowmodel.hydraulics.spec import PipeSpec

#: Relative slack when comparing a flow with the capacity (pandapipes' tolerance is 1e-6).
FLOW_TOLERANCE = 1e-6


@dataclass(frozen=True)
class HydraulicResult:
    """Capacity of one pipeline.

    ``value`` in ``unit`` (bcm/yr at 20 °C, 1 atm for gas; Mt/yr for crude; 8,760 h/yr);
    ``sections`` = pandapipes pipe sections over the whole line (``sections_per_segment ×
    segments``); ``pipeflow_calls``/``seconds`` = work done when it was computed (a cached
    result keeps the figures of its first computation); ``limiting`` = binding condition;
    ``end_pressure_bar`` = suction/delivery pressure (absolute) of the binding segment.
    """

    value: float
    unit: str
    mass_flow_kg_s: float
    sections: int
    sections_per_segment: int
    segments: int
    pipeflow_calls: int
    seconds: float
    limiting: str
    end_pressure_bar: float


@dataclass(frozen=True)
class FlowCheck:
    """Whether ``flow`` fits: ``excess = flow − capacity`` (> 0 when infeasible)."""

    feasible: bool
    flow: float
    capacity: float
    excess: float
    unit: str
    limiting: str


def _binding(spec: PipeSpec) -> tuple[float, str]:
    """(required end pressure of the binding segment, bar abs; limiting condition)."""
    if spec.commodity == "crude":
        return spec.min_outlet_bar, ("pump suction pressure" if spec.stations else "outlet pressure")
    if spec.stations == 0:
        return spec.min_outlet_bar, "outlet pressure"
    suction = spec.max_pressure_bar / spec.station_ratio
    if math.isclose(suction, spec.min_outlet_bar, rel_tol=1e-9):
        return suction, "station ratio and outlet pressure"
    if suction > spec.min_outlet_bar:
        return suction, "station ratio"
    return spec.min_outlet_bar, "outlet pressure"


def capacity_uncached(spec: PipeSpec, section_km: float = pipeflow.SECTION_KM) -> HydraulicResult:
    """Compute the capacity of ``spec`` (no cache).  ``section_km`` sets the discretisation."""
    if not isinstance(spec, PipeSpec):
        raise HydraulicsError(f"expected a PipeSpec, got {type(spec).__name__}")
    t0 = time.perf_counter()
    calls0 = pipeflow.pipeflow_calls()
    p_end, limiting = _binding(spec)
    try:
        seg = pipeflow.segment_flow(spec, spec.max_pressure_bar, p_end, section_km)
    except HydraulicsError as exc:
        raise HydraulicsError(f"{spec.commodity} line {spec.inner_diameter_mm:g} mm x {spec.length_km:g} km: {exc}") from None
    if seg.mass_flow_kg_s <= 0:
        raise HydraulicsError(
            f"no forward flow: the elevation rise of {spec.elevation_change_m:g} m exceeds the pressure budget "
            f"{spec.max_pressure_bar:g} -> {p_end:g} bar per segment")
    return HydraulicResult(
        value=fluids.to_value(seg.mass_flow_kg_s, spec.commodity),
        unit=spec.unit,
        mass_flow_kg_s=seg.mass_flow_kg_s,
        sections=seg.sections * spec.segments,
        sections_per_segment=seg.sections,
        segments=spec.segments,
        pipeflow_calls=pipeflow.pipeflow_calls() - calls0,
        seconds=time.perf_counter() - t0,
        limiting=limiting,
        end_pressure_bar=p_end,
    )


@functools.lru_cache(maxsize=4096)
def max_throughput(spec: PipeSpec) -> HydraulicResult:
    """Maximum throughput of ``spec`` (cached per spec; see module docstring for the method).

    Raises :class:`HydraulicsError` when pandapipes does not converge or no forward flow is
    possible.
    """
    return capacity_uncached(spec)


def _check_flow_value(flow) -> float:
    try:
        f = float(flow)
    except (TypeError, ValueError):
        raise HydraulicsError(f"flow must be a number (got {flow!r})") from None
    if not math.isfinite(f) or f < 0:
        raise HydraulicsError(f"flow must be a non-negative number (got {flow!r})")
    return f


def check_flow(spec: PipeSpec, flow: float) -> FlowCheck:
    """Compare ``flow`` (bcm/yr or Mt/yr) with the capacity of ``spec``."""
    f = _check_flow_value(flow)
    cap = max_throughput(spec)
    excess = f - cap.value
    return FlowCheck(feasible=f <= cap.value * (1 + FLOW_TOLERANCE), flow=f, capacity=cap.value,
                     excess=excess, unit=cap.unit, limiting=cap.limiting)


def pressure_profile(spec: PipeSpec, flow: float):
    """Absolute pressure along the line at ``flow`` (bcm/yr or Mt/yr), as a DataFrame.

    Columns: ``distance_km``, ``elevation_m``, ``pressure_bar`` (absolute), ``section``
    (segment between stations, 0-based), ``station`` (True on the suction and discharge
    points of an intermediate station; a station appears as two rows at the same distance).
    ``df.attrs`` holds flow, unit, capacity, limiting.  Raises :class:`HydraulicsError`
    when the flow exceeds the capacity (saying by how much).
    """
    chk = check_flow(spec, flow)
    if not chk.feasible:
        raise HydraulicsError(
            f"flow {chk.flow:.4g} {chk.unit} exceeds the capacity {chk.capacity:.4g} {chk.unit} by "
            f"{chk.excess:.3g} {chk.unit} ({100 * chk.excess / chk.capacity:.1f} %); limiting: {chk.limiting}")
    mdot = fluids.to_mass_flow(chk.flow, spec.commodity)
    df = pipeflow.line_profile(spec, max(mdot, 1e-6))
    df = df.rename(columns={"segment": "section"})
    last = df.groupby("section").tail(1).index
    at_station_suction = [i for i in last if df.at[i, "section"] < spec.stations]
    df.loc[at_station_suction, "station"] = True
    _verify(spec, df)
    df.attrs.update(flow=chk.flow, unit=chk.unit, capacity=chk.capacity, limiting=chk.limiting,
                    commodity=spec.commodity)
    return df


def _verify(spec: PipeSpec, df) -> None:
    """Post-check of a whole-line run: suction limits and station ratios."""
    tol = 1e-3  # bar; pandapipes solves to ~1e-6 relative
    ends = df.groupby("section").tail(1)
    for _, row in ends.iterrows():
        k = int(row["section"])
        p = float(row["pressure_bar"])
        need = spec.min_outlet_bar
        if spec.commodity == "gas" and k < spec.stations:
            need = spec.max_pressure_bar / spec.station_ratio
        if p < need - tol:
            raise HydraulicsError(f"whole-line check failed: pressure {p:.2f} bar at km {row['distance_km']:.0f} "
                                  f"is below {need:.2f} bar")
