"""Independent closed-form pipeline equations (no pandapipes), used to validate the model.

References: E. S. Menon, *Gas Pipeline Hydraulics* (CRC, 2005), ch. 2-3 (general flow
equation, Weymouth, Panhandle A/B in USCS units; transmission factor, average pressure);
C. F. Colebrook, J. ICE 11 (1939) (friction factor); Papay (1968) compressibility as quoted
by Menon/Ahmed (independent of the DAK equation used in the pandapipes fluid).

All pressures are absolute.  Gas flows are returned as mass flow (kg/s) so that the unit
conversion is tested separately; crude flows likewise.
"""

from __future__ import annotations

import math

from flowmodel.hydraulics import fluids

G = 9.81


def colebrook(re: float, rel_roughness: float) -> float:
    """Darcy friction factor from Colebrook–White (fixed-point iteration), turbulent flow."""
    if re < 2300:
        return 64.0 / re
    x = -2.0 * math.log10(rel_roughness / 3.7 + 5.74 / re**0.9)  # Swamee-Jain start
    for _ in range(100):
        x_new = -2.0 * math.log10(rel_roughness / 3.7 + 2.51 * x / re)
        if abs(x_new - x) < 1e-12:
            break
        x = x_new
    return 1.0 / x**2


def z_papay(p_bar: float, t_k: float, sg: float = fluids.GAS_SPECIFIC_GRAVITY) -> float:
    """Papay (1968): Z = 1 − 3.52·pr/10^(0.9813·Tr) + 0.274·pr²/10^(0.8157·Tr)."""
    tpc, ppc = fluids.pseudo_critical(sg)
    pr, tr = p_bar / ppc, t_k / tpc
    return 1 - 3.52 * pr / 10 ** (0.9813 * tr) + 0.274 * pr**2 / 10 ** (0.8157 * tr)


def average_pressure(p1: float, p2: float) -> float:
    """Mean pressure of an isothermal gas pipe: 2/3·(p1 + p2 − p1·p2/(p1 + p2))."""
    return 2.0 / 3.0 * (p1 + p2 - p1 * p2 / (p1 + p2))


def gas_general_flow(d_m: float, l_m: float, p1_bar: float, p2_bar: float, t_k: float,
                     roughness_m: float, viscosity: float, sg: float = fluids.GAS_SPECIFIC_GRAVITY,
                     z_func=z_papay) -> float:
    """Mass flow (kg/s) from the isothermal general flow equation, horizontal pipe.

    p1² − p2² = 16·λ·L·Z·Rs·T·ṁ² / (π²·D⁵), λ from Colebrook at Re = 4ṁ/(π·D·μ), Z at the
    average pressure; kinetic-energy term neglected.
    """
    rs = fluids.R_UNIVERSAL / (fluids.gas_molar_mass(sg) / 1000)
    z = z_func(average_pressure(p1_bar, p2_bar), t_k)
    dp2 = (p1_bar**2 - p2_bar**2) * 1e10
    lam = 0.01
    mdot = 0.0
    for _ in range(100):
        mdot = math.sqrt(dp2 * math.pi**2 * d_m**5 / (16 * lam * l_m * z * rs * t_k))
        re = 4 * mdot / (math.pi * d_m * viscosity)
        lam_new = colebrook(re, roughness_m / d_m)
        if abs(lam_new - lam) < 1e-14:
            break
        lam = lam_new
    return mdot


def _uscs(d_m, l_m, p1_bar, p2_bar, t_k, z):
    return d_m / 0.0254, l_m / 1609.344, p1_bar * 14.5037738, p2_bar * 14.5037738, t_k * 1.8, z


def _scfd_to_kg_s(q_scfd: float, sg: float) -> float:
    # base conditions 60 °F, 14.73 psia (Menon); ideal gas at base
    rho_base = 14.73 * 6894.757 * fluids.gas_molar_mass(sg) / 1000 / (fluids.R_UNIVERSAL * 288.706)
    return q_scfd * 0.0283168466 / 86400 * rho_base


def weymouth(d_m, l_m, p1_bar, p2_bar, t_k, z, sg=fluids.GAS_SPECIFIC_GRAVITY, efficiency=1.0) -> float:
    """Weymouth (USCS, Menon eq. 2.87) mass flow, kg/s: Q = 433.5·E·(Tb/Pb)·√((P1²−P2²)/(G·T·L·Z))·D^2.667."""
    d, l, p1, p2, t, z = _uscs(d_m, l_m, p1_bar, p2_bar, t_k, z)
    q = 433.5 * efficiency * (519.67 / 14.73) * math.sqrt((p1**2 - p2**2) / (sg * t * l * z)) * d**2.667
    return _scfd_to_kg_s(q, sg)


def panhandle_a(d_m, l_m, p1_bar, p2_bar, t_k, z, sg=fluids.GAS_SPECIFIC_GRAVITY, efficiency=1.0) -> float:
    """Panhandle A (USCS, Menon eq. 2.78) mass flow, kg/s."""
    d, l, p1, p2, t, z = _uscs(d_m, l_m, p1_bar, p2_bar, t_k, z)
    q = (435.87 * efficiency * (519.67 / 14.73) ** 1.0788
         * ((p1**2 - p2**2) / (sg**0.8539 * t * l * z)) ** 0.5394 * d**2.6182)
    return _scfd_to_kg_s(q, sg)


def panhandle_b(d_m, l_m, p1_bar, p2_bar, t_k, z, sg=fluids.GAS_SPECIFIC_GRAVITY, efficiency=1.0) -> float:
    """Panhandle B (USCS, Menon eq. 2.80) mass flow, kg/s."""
    d, l, p1, p2, t, z = _uscs(d_m, l_m, p1_bar, p2_bar, t_k, z)
    q = (737.0 * efficiency * (519.67 / 14.73) ** 1.02
         * ((p1**2 - p2**2) / (sg**0.961 * t * l * z)) ** 0.51 * d**2.53)
    return _scfd_to_kg_s(q, sg)


def liquid_flow(d_m: float, l_m: float, p1_bar: float, p2_bar: float, dz_m: float, density: float,
                viscosity: float, roughness_m: float) -> float:
    """Mass flow (kg/s) from Darcy–Weisbach with Colebrook: Δp − ρ·g·Δz = λ·(L/D)·ρ·v²/2."""
    dp = (p1_bar - p2_bar) * 1e5 - density * G * dz_m
    if dp <= 0:
        return 0.0
    area = math.pi * d_m**2 / 4
    lam = 0.015
    v = 0.0
    for _ in range(100):
        v = math.sqrt(2 * dp * d_m / (lam * l_m * density))
        lam_new = colebrook(density * v * d_m / viscosity, roughness_m / d_m)
        if abs(lam_new - lam) < 1e-14:
            break
        lam = lam_new
    return density * v * area


def line_capacity(spec) -> float:
    """Textbook capacity of a :class:`PipeSpec` in its unit (same segment logic as the model)."""
    from flowmodel.hydraulics.capacity import _binding

    p_end, _ = _binding(spec)
    d, l_seg = spec.inner_diameter_mm / 1000, spec.segment_km * 1000
    t_k = spec.temperature_c + 273.15
    if spec.commodity == "gas":
        mu = fluids.gas_viscosity(0.5 * (spec.max_pressure_bar + p_end), t_k)
        mdot = gas_general_flow(d, l_seg, spec.max_pressure_bar, p_end, t_k, spec.roughness_mm / 1000, mu)
    else:
        mdot = liquid_flow(d, l_seg, spec.max_pressure_bar, p_end, spec.elevation_change_m / spec.segments,
                           fluids.CRUDE_DENSITY, fluids.CRUDE_DYNAMIC_VISCOSITY, spec.roughness_mm / 1000)
    return fluids.to_value(mdot, spec.commodity)
