"""pandapipes models of a pipeline: one segment between stations, and the whole line.

Everything here imports pandapipes lazily (inside functions).  Pressures passed in and
returned are **absolute** bar; pandapipes works in gauge bar relative to the ambient
pressure at each junction's height, converted here with pandapipes' own barometric formula.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from flowmodel.errors import HydraulicsError
from flowmodel.hydraulics.fluids import pandapipes_fluid
from flowmodel.hydraulics.spec import PipeSpec

#: Target length of one pandapipes pipe section, km.  Each segment between stations gets
#: ``max(MIN_SECTIONS, ceil(segment_km / SECTION_KM))`` sections.  Halving SECTION_KM
#: changes capacity by < 0.1 % (tests/test_hydraulics.py::test_section_convergence).
SECTION_KM = 10.0
MIN_SECTIONS = 4
FRICTION_MODEL = "colebrook"
MAX_ITER = 200

_calls = 0


def pipeflow_calls() -> int:
    """Number of pandapipes pipeflow runs made by this process so far."""
    return _calls


def sections_for(segment_km: float, section_km: float = SECTION_KM) -> int:
    return max(MIN_SECTIONS, math.ceil(segment_km / section_km))


def _p_amb(height_m: float) -> float:
    from pandapipes.component_models.component_toolbox import p_correction_height_air

    return float(p_correction_height_air(np.asarray([height_m], dtype=float))[0])


def _run(net) -> None:
    global _calls
    import pandapipes as pp
    from pandapipes.pf.pipeflow_setup import PipeflowNotConverged

    _calls += 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pp.pipeflow(net, mode="hydraulics", friction_model=FRICTION_MODEL, max_iter_hyd=MAX_ITER,
                        tol_p=1e-6, tol_m=1e-6)
    except PipeflowNotConverged:
        raise HydraulicsError("pandapipes pipeflow did not converge") from None


def _net(spec: PipeSpec):
    import pandapipes as pp

    p_low = min(spec.min_outlet_bar, spec.max_pressure_bar / spec.station_ratio)
    fluid = pandapipes_fluid(spec.commodity, spec.temperature_c + 273.15, p_low, spec.max_pressure_bar)
    return pp.create_empty_network(fluid=fluid, add_stdtypes=False)


@dataclass(frozen=True)
class SegmentFlow:
    mass_flow_kg_s: float
    sections: int


def segment_flow(spec: PipeSpec, p_in_bar: float, p_out_bar: float, section_km: float = SECTION_KM) -> SegmentFlow:
    """Mass flow through one inter-station segment with both end pressures fixed (1 pipeflow).

    Two pressure ext_grids make the flow the result.  The segment is ``spec.segment_km`` long
    and rises ``elevation_change_m / segments``.
    """
    import pandapipes as pp

    t_k = spec.temperature_c + 273.15
    dz = spec.elevation_change_m / spec.segments
    n = sections_for(spec.segment_km, section_km)
    net = _net(spec)
    g_in, g_out = p_in_bar - _p_amb(0.0), p_out_bar - _p_amb(dz)
    j0 = pp.create_junction(net, g_in, t_k, height_m=0.0)
    j1 = pp.create_junction(net, g_out, t_k, height_m=dz)
    pp.create_pipe_from_parameters(net, j0, j1, spec.segment_km, spec.inner_diameter_mm,
                                   k_mm=spec.roughness_mm, sections=n)
    pp.create_ext_grid(net, j0, p_bar=g_in, t_k=t_k, type="pt")
    pp.create_ext_grid(net, j1, p_bar=g_out, t_k=t_k, type="pt")
    _run(net)
    mdot = float(net.res_pipe.mdot_from_kg_per_s.iloc[0])
    if not math.isfinite(mdot):
        raise HydraulicsError("pandapipes returned no flow for the segment")
    return SegmentFlow(mdot, n)


def line_profile(spec: PipeSpec, mdot: float, section_km: float = SECTION_KM):
    """Pressure along the whole line at mass flow ``mdot`` (1 pipeflow).

    Inlet ext_grid at max pressure; each station is a ``pressure_control`` holding its
    discharge at max pressure (ideal compressor/pump station); a sink takes ``mdot`` at the
    end.  Returns a DataFrame with one row per pandapipes node (section boundaries included):
    distance_km, elevation_m, pressure_bar (absolute), segment, station.
    """
    import pandapipes as pp
    import pandas as pd

    t_k = spec.temperature_c + 273.15
    seg_km = spec.segment_km
    dz = spec.elevation_change_m / spec.segments
    n = sections_for(seg_km, section_km)
    net = _net(spec)
    pmax = spec.max_pressure_bar
    ends = []  # (discharge junction, suction junction) per segment
    start = pp.create_junction(net, pmax - _p_amb(0.0), t_k, height_m=0.0)
    pp.create_ext_grid(net, start, p_bar=pmax - _p_amb(0.0), t_k=t_k, type="pt")
    for k in range(spec.segments):
        h1 = (k + 1) * dz
        end = pp.create_junction(net, spec.min_outlet_bar - _p_amb(h1), t_k, height_m=h1)
        pp.create_pipe_from_parameters(net, start, end, seg_km, spec.inner_diameter_mm,
                                       k_mm=spec.roughness_mm, sections=n, index=k)
        ends.append((start, end))
        if k < spec.stations:
            disch = pp.create_junction(net, pmax - _p_amb(h1), t_k, height_m=h1)
            pp.create_pressure_control(net, end, disch, disch, pmax - _p_amb(h1))
            start = disch
    pp.create_sink(net, ends[-1][1], mdot_kg_per_s=mdot)
    _run(net)

    rows = []
    internal = _section_pressures(net, n)
    for k, (a, b) in enumerate(ends):
        h0 = k * dz
        pres = internal.get(k)
        if pres is None:  # fallback: ends only
            pres = [float(net.res_junction.p_bar[a]), float(net.res_junction.p_bar[b])]
        m = len(pres) - 1
        for i, pg in enumerate(pres):
            frac = i / m
            h = h0 + frac * dz
            rows.append({
                "distance_km": (k + frac) * seg_km,
                "elevation_m": h,
                "pressure_bar": float(pg) + _p_amb(h),
                "segment": k,
                "station": (i == 0 and k > 0),
            })
    df = pd.DataFrame(rows)
    return df


def _section_pressures(net, n: int) -> dict[int, list[float]]:
    """Gauge pressures at every section boundary of each pipe: {pipe index: [from, ..., to]}."""
    from pandapipes.component_models import Pipe

    pipes = np.asarray(net.pipe.index, dtype=int)
    out: dict[int, list[float]] = {}
    if n < 2:
        return out
    for k in pipes:  # one pipe per call: pandapipes 0.16 mis-shapes gas results for several
        res = Pipe.get_internal_results(net, np.asarray([k]))["PINIT"]
        inner = res[:, 1].tolist()
        a, b = net.pipe.from_junction[k], net.pipe.to_junction[k]
        out[int(k)] = [float(net.res_junction.p_bar[a]), *inner, float(net.res_junction.p_bar[b])]
    return out
