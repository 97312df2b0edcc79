"""The words of the model in one place: commodities, node roles, statuses, blank values.

Every module that needs to know which node kinds are origins, which statuses are
plans, or whether a cell is blank imports it from here.
"""

from __future__ import annotations

import math

from .units import COMMODITIES

#: Commodities in display order (crude, pipeline gas, LNG).
COMMODITY_ORDER: tuple[str, ...] = tuple(COMMODITIES)

#: Node kinds (``nodes.csv`` ``kind``).
NODE_KINDS = ("supply", "junction", "terminal", "liquefaction", "market")
#: Kinds whose output is tracked as an origin of flow: fields and liquefaction plants.
ORIGIN_KINDS = frozenset({"supply", "liquefaction"})
#: Kinds where flow ends (no balance row, no onward arcs for reachability).
SINK_KINDS = frozenset({"market"})
MARKET = "market"
LIQUEFACTION = "liquefaction"

#: Arc modes (``arcs.csv`` ``mode``).
ARC_MODES = ("pipeline", "tanker", "lng_carrier", "rail")

#: Kinds of policy measure (``policies.csv`` ``kind``).
POLICY_KINDS = ("embargo", "import_ban", "transshipment_ban", "sanctions_asset", "sanctions_buyer",
                "voluntary_halt")

#: Row statuses; plans and projections never count as observations.
STATUSES = ("operating", "historical", "observed", "plan", "projection", "estimate", "proposal", "counterfactual")
FORWARD_STATUSES = frozenset({"plan", "projection", "proposal", "counterfactual"})


def is_blank(v: object) -> bool:
    """True for ``None``, NaN and empty/whitespace strings: the one blank test of the package."""
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if isinstance(v, str):
        return not v.strip()
    if type(v).__name__ in ("NAType", "NaTType"):  # pandas' missing-value scalars
        return True
    try:
        return bool(v != v)  # numpy nan scalars
    except (TypeError, ValueError):
        return False
