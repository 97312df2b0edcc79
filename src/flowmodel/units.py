"""Commodities, their canonical units and sourced conversion factors.

One canonical unit per commodity (crude Mt/yr, pipeline gas bcm/yr, LNG Mt/yr).
Every factor carries the publication it comes from; nothing else in the package
hard-codes a conversion.
"""

from __future__ import annotations

from dataclasses import dataclass

BP_FACTORS = (
    "BP Statistical Review of World Energy, 'Approximate conversion factors' (2021), "
    "https://www.bp.com/en/global/corporate/energy-economics/statistical-review-of-world-energy/"
    "using-the-review/definitions-and-explanatory-notes.html"
)


@dataclass(frozen=True)
class Commodity:
    """A commodity moved through the network.

    Attributes
    ----------
    name : str
        Identifier used in the CSV files (``crude``, ``gas``, ``lng``).
    unit : str
        Canonical annual unit; every row of this commodity must use it.
    pj_per_unit : float
        Energy content, PJ per one ``unit`` (per Mt or per bcm).
    pj_source : str
        Publication of ``pj_per_unit``.
    """

    name: str
    unit: str
    pj_per_unit: float
    pj_source: str


COMMODITIES: dict[str, Commodity] = {
    # 1 t crude = 1 toe = 41.868 GJ by definition of the tonne of oil equivalent.
    "crude": Commodity("crude", "Mt/yr", 41.868, BP_FACTORS + " (1 toe = 41.868 GJ; 1 t crude ~ 1 toe)"),
    # 1 bcm natural gas = 36.0 PJ.
    "gas": Commodity("gas", "bcm/yr", 36.0, BP_FACTORS + " (1 bcm natural gas = 36.0 PJ)"),
    # 1 Mt LNG = 1.36 bcm of gas = 48.96 PJ; BP's direct PJ figure differs slightly (48.747),
    # we derive it from the volumetric factor so that liquefaction conserves energy.
    "lng": Commodity("lng", "Mt/yr", 1.36 * 36.0, BP_FACTORS + " (1 Mt LNG = 1.36 bcm x 36.0 PJ/bcm)"),
}

#: Mt of LNG produced per bcm of pipeline gas fed to a liquefaction plant (BP: 1 bcm = 0.735 Mt LNG).
LNG_MT_PER_BCM: float = 0.735
LNG_MT_PER_BCM_SOURCE: str = BP_FACTORS + " (1 bcm natural gas = 0.735 Mt LNG)"

#: Barrels per tonne of crude (world average gravity), used only for display of kb/d.
BARRELS_PER_TONNE: float = 7.33

UNIT_ALIASES: dict[str, str] = {
    "mt/yr": "Mt/yr",
    "mtpa": "Mt/yr",
    "mt/a": "Mt/yr",
    "bcm/yr": "bcm/yr",
    "bcm/a": "bcm/yr",
    "bcma": "bcm/yr",
}


def canonical_unit(unit: str) -> str | None:
    """Return the canonical spelling of ``unit`` or ``None`` when it is unknown."""
    return UNIT_ALIASES.get(str(unit).strip().lower())


def unit_of(commodity: str) -> str:
    """Canonical unit of ``commodity`` (``'Mt/yr'`` or ``'bcm/yr'``)."""
    return COMMODITIES[commodity].unit


def pj_per_unit(commodity: str) -> float:
    """Energy content of one canonical unit of ``commodity``, in PJ."""
    return COMMODITIES[commodity].pj_per_unit
