"""Fluid models: real-gas natural gas and ESPO crude, plus flow-unit conversions.

No pandapipes import at module level; :func:`pandapipes_fluid` imports it lazily.

Natural gas
    Specific gravity :data:`GAS_SPECIFIC_GRAVITY` = 0.60 (air = 1; molar mass 17.4 g/mol):
    assumption for a dry, mostly-methane pipeline gas (Chayanda gas before helium/ethane
    extraction is somewhat heavier).  Compressibility Z(p, T) from the Dranchuk–Abou-Kassem
    equation of state (Dranchuk & Abou-Kassem, "Calculation of Z factors for natural gases
    using equations of state", J. Can. Petrol. Technol. 14(3), 1975), an 11-constant fit of
    the Standing–Katz chart (average error ~0.5 %), with Sutton's pseudo-critical properties
    (Sutton, SPE 14265, 1985).  Viscosity from Lee, Gonzalez & Eakin (J. Petrol. Technol.
    18(8), 1966).  pandapipes' built-in gases use Z = 1 − 0.0022·p[bar], off by >10 % above
    ~150 bar; it is therefore not used.

Crude (ESPO blend)
    Density :data:`CRUDE_DENSITY` = 850 kg/m³ (ESPO blend ~34.5–35 °API, i.e. 0.850–0.852);
    kinematic viscosity :data:`CRUDE_KINEMATIC_VISCOSITY` = 8 mm²/s at the flowing
    temperature.  Assumption: light-crude assays give ~5–6 mm²/s at 20 °C; East-Siberian
    lines run at ~0–10 °C, where viscosity is higher.  Capacity scales ~ν^(−0.1) in this
    regime (Re ~ 3·10⁵): ±25 % in ν moves it ∓2–3 %.

Units
    Russian gas volumes (Gazprom, bcm) are at **20 °C and 101.325 kPa** (GOST 2939-63);
    pandapipes' normal volumes are at 0 °C.  Mass flow is converted to bcm here, explicitly.
"""

from __future__ import annotations

import math

import numpy as np

R_UNIVERSAL = 8.314462618  # J/(mol K)
MOLAR_MASS_AIR = 28.9647  # g/mol
P_ATM_BAR = 1.01325
T_STANDARD_RU_K = 293.15  # Russian standard conditions: 20 °C, 1 atm (GOST 2939-63)
T_NORMAL_K = 273.15  # pandapipes' normal temperature
SECONDS_PER_YEAR = 365.0 * 86400.0  # capacity is quoted at 8,760 h/yr (load factor 1)

GAS_SPECIFIC_GRAVITY = 0.60
CRUDE_DENSITY = 850.0  # kg/m³
CRUDE_KINEMATIC_VISCOSITY = 8.0e-6  # m²/s
CRUDE_DYNAMIC_VISCOSITY = CRUDE_DENSITY * CRUDE_KINEMATIC_VISCOSITY  # Pa s


def gas_molar_mass(sg: float = GAS_SPECIFIC_GRAVITY) -> float:
    """Molar mass, g/mol."""
    return sg * MOLAR_MASS_AIR


def pseudo_critical(sg: float = GAS_SPECIFIC_GRAVITY) -> tuple[float, float]:
    """Sutton (1985) pseudo-critical temperature (K) and pressure (bar abs) for gravity ``sg``."""
    tpc_r = 169.2 + 349.5 * sg - 74.0 * sg**2
    ppc_psia = 756.8 - 131.0 * sg - 3.6 * sg**2
    return tpc_r / 1.8, ppc_psia * 0.0689475729


_DAK = (0.3265, -1.0700, -0.5339, 0.01569, -0.05165, 0.5475, -0.7361, 0.1844, 0.1056, 0.6134, 0.7210)


def z_dak(p_bar, t_k: float, sg: float = GAS_SPECIFIC_GRAVITY) -> np.ndarray:
    """Compressibility factor by Dranchuk–Abou-Kassem (1975); ``p_bar`` absolute (array ok)."""
    a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11 = _DAK
    tpc, ppc = pseudo_critical(sg)
    pr = np.atleast_1d(np.asarray(p_bar, dtype=float)) / ppc
    tr = float(t_k) / tpc
    c1 = a1 + a2 / tr + a3 / tr**3 + a4 / tr**4 + a5 / tr**5
    c2 = a6 + a7 / tr + a8 / tr**2
    c3 = a9 * (a7 / tr + a8 / tr**2)

    def z_of(rho):
        return (1 + c1 * rho + c2 * rho**2 - c3 * rho**5
                + a10 * (1 + a11 * rho**2) * rho**2 / tr**3 * np.exp(-a11 * rho**2))

    rho = 0.27 * pr / tr  # ideal-gas start
    for _ in range(50):  # Newton on F(rho) = Z(rho)·rho·Tr − 0.27·pr
        f = z_of(rho) * rho * tr - 0.27 * pr
        h = 1e-7 * np.maximum(rho, 1e-6)
        df = (z_of(rho + h) * (rho + h) * tr - 0.27 * pr - f) / h
        step = f / df
        rho = np.maximum(rho - step, 1e-12)
        if np.all(np.abs(step) < 1e-12 * np.maximum(rho, 1e-6)):
            break
    return 0.27 * pr / (rho * tr)


def gas_viscosity(p_bar: float, t_k: float, sg: float = GAS_SPECIFIC_GRAVITY) -> float:
    """Dynamic viscosity, Pa·s, by Lee–Gonzalez–Eakin (1966)."""
    m = gas_molar_mass(sg)
    t_r = t_k * 1.8
    rho_gcc = p_bar * 1e5 * m / 1000 / (float(z_dak(p_bar, t_k, sg)[0]) * R_UNIVERSAL * t_k) / 1000
    k = (9.4 + 0.02 * m) * t_r**1.5 / (209.0 + 19.0 * m + t_r)
    x = 3.5 + 986.0 / t_r + 0.01 * m
    y = 2.4 - 0.2 * x
    return 1e-4 * k * math.exp(x * rho_gcc**y) * 1e-3  # cP -> Pa s


def gas_density(p_bar: float, t_k: float, sg: float = GAS_SPECIFIC_GRAVITY) -> float:
    """Real-gas density, kg/m³ (p absolute)."""
    m = gas_molar_mass(sg) / 1000
    return p_bar * 1e5 * m / (float(z_dak(p_bar, t_k, sg)[0]) * R_UNIVERSAL * t_k)


def standard_density_ru(sg: float = GAS_SPECIFIC_GRAVITY) -> float:
    """Density at Russian standard conditions (20 °C, 101.325 kPa), kg/m³."""
    return gas_density(P_ATM_BAR, T_STANDARD_RU_K, sg)


def normal_density(sg: float = GAS_SPECIFIC_GRAVITY) -> float:
    """Density at 0 °C, 101.325 kPa (pandapipes' / European 'normal' m³), kg/m³."""
    return gas_density(P_ATM_BAR, T_NORMAL_K, sg)


def ru_to_normal_volume_ratio(sg: float = GAS_SPECIFIC_GRAVITY) -> float:
    """Volume at 20 °C divided by volume at 0 °C for the same mass (≈ 1.073)."""
    return normal_density(sg) / standard_density_ru(sg)


def kg_s_to_bcm_yr(mdot: float, sg: float = GAS_SPECIFIC_GRAVITY) -> float:
    """Gas mass flow (kg/s) to bcm/yr at 20 °C, 1 atm, 8,760 h/yr."""
    return mdot * SECONDS_PER_YEAR / standard_density_ru(sg) / 1e9


def bcm_yr_to_kg_s(q: float, sg: float = GAS_SPECIFIC_GRAVITY) -> float:
    return q * 1e9 * standard_density_ru(sg) / SECONDS_PER_YEAR


def kg_s_to_mt_yr(mdot: float) -> float:
    """Crude mass flow (kg/s) to Mt/yr at 8,760 h/yr."""
    return mdot * SECONDS_PER_YEAR / 1e9


def mt_yr_to_kg_s(q: float) -> float:
    return q * 1e9 / SECONDS_PER_YEAR


def to_value(mdot: float, commodity: str) -> float:
    """Mass flow (kg/s) to the commodity's canonical unit."""
    return kg_s_to_bcm_yr(mdot) if commodity == "gas" else kg_s_to_mt_yr(mdot)


def to_mass_flow(value: float, commodity: str) -> float:
    """Canonical unit (bcm/yr or Mt/yr) to mass flow, kg/s."""
    return bcm_yr_to_kg_s(value) if commodity == "gas" else mt_yr_to_kg_s(value)


def pandapipes_fluid(commodity: str, t_k: float, p_low_bar: float, p_high_bar: float):
    """A pandapipes ``Fluid`` for ``commodity`` at temperature ``t_k`` (imports pandapipes).

    Gas: compressibility is a DAK table over absolute pressure at ``t_k`` (interpolated by
    pandapipes), its derivative a constant secant slope over [p_low, p_high] (the derivative
    only enters the Newton Jacobian, not the solution); the 'density' property is the
    ideal-gas density at 0 °C, 1.01325 bar, so pandapipes' ρ = ρn·Tn·p/(T·pn·Z) is the
    real-gas density.  Viscosity is LGE at the mean pressure, held constant.
    """
    from pandapipes.properties.fluids import (
        Fluid,
        FluidPropertyConstant,
        FluidPropertyInterExtra,
        create_constant_fluid,
    )

    if commodity == "crude":
        return create_constant_fluid(
            "espo_crude", "liquid", density=CRUDE_DENSITY, viscosity=CRUDE_DYNAMIC_VISCOSITY,
            heat_capacity=2000.0, compressibility=1.0, der_compressibility=0.0, molar_mass=250.0)
    m = gas_molar_mass()
    grid = np.linspace(0.5, max(1.5 * p_high_bar, 10.0), 400)
    z = z_dak(grid, t_k)
    z_hi, z_lo = z_dak([p_high_bar, p_low_bar], t_k)
    slope = (z_hi - z_lo) / (p_high_bar - p_low_bar) if p_high_bar > p_low_bar else 0.0
    rho_n_ideal = P_ATM_BAR * 1e5 * m / 1000 / (R_UNIVERSAL * T_NORMAL_K)
    return Fluid(
        "natural_gas_dak", "gas",
        density=FluidPropertyConstant(rho_n_ideal),
        viscosity=FluidPropertyConstant(gas_viscosity(0.5 * (p_low_bar + p_high_bar), t_k)),
        heat_capacity=FluidPropertyConstant(2200.0),
        molar_mass=FluidPropertyConstant(m),
        compressibility=FluidPropertyInterExtra(grid, z),
        der_compressibility=FluidPropertyConstant(float(slope)),
    )
