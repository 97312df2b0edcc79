"""Declarative schema of every network input file.

One :class:`Table` per CSV file lists its columns (type, unit, required, allowed
values, description).  The same tables drive loading (dtypes), validation
(:mod:`flowmodel.validate`), ``flowmodel validate`` and the data-format tables of
the README (:func:`markdown_table`), so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .vocabulary import ARC_MODES, NODE_KINDS, POLICY_KINDS, STATUSES
from .vocabulary import COMMODITY_ORDER as COMMODITY_NAMES


@dataclass(frozen=True)
class Column:
    """One column of an input table.

    ``dtype`` is one of ``str``, ``float``, ``int``, ``enum``.  ``required`` means the
    column must exist and every row must have a value; ``unit`` is the unit of the
    values (``"per unit column"`` when the row's ``unit`` column says it).
    """

    name: str
    dtype: str
    description: str
    required: bool = False
    unit: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None


@dataclass(frozen=True)
class Table:
    """An input file: its name, its key and its columns."""

    name: str
    filename: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ("id",)
    optional_file: bool = False

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


_UNIT = "per `unit`"
_YEARS = (
    Column("start_year", "int", "First year the row applies (blank = always)", unit="year"),
    Column("end_year", "int", "Last year the row applies, inclusive (blank = open)", unit="year"),
)
_PROVENANCE = (
    Column("status", "enum", "What kind of figure this is", choices=STATUSES),
    Column("source", "str", "Publication, year and URL the figure comes from", required=True),
    Column("notes", "str", "Free text: assumptions, disagreements, derivations"),
)
_RANGE = (
    Column("capacity_low", "float", "Low end where sources disagree", unit=_UNIT, minimum=0),
    Column("capacity_high", "float", "High end where sources disagree", unit=_UNIT, minimum=0),
)

NODES = Table(
    "nodes",
    "nodes.csv",
    "Places where commodities are produced, pass, are liquefied, shipped or consumed. "
    "Several rows may share an `id` with non-overlapping years (capacity steps).",
    (
        Column("id", "str", "Node identifier (referenced by arcs and contracts)", required=True),
        Column("name", "str", "Human-readable name", required=True),
        Column("kind", "enum", "Role of the node in the model", required=True, choices=NODE_KINDS),
        Column("country", "str", "ISO country code (RU, CN, JP, KR, ...) or ROW for rest of world", required=True),
        Column("lat", "float", "Latitude", unit="degrees"),
        Column("lon", "float", "Longitude", unit="degrees"),
        Column("commodity", "enum", "Commodity handled (liquefaction: lng, its output)", required=True,
               choices=COMMODITY_NAMES),
        Column("capacity", "float",
               "supply: max output; terminal: max throughput; liquefaction: max LNG output; "
               "market: max absorption (blank = no limit); junction: blank = no limit",
               unit=_UNIT, minimum=0),
        *_RANGE,
        Column("unit", "str", "Mt/yr for crude and LNG, bcm/yr for gas"),
        *_YEARS,
        *_PROVENANCE,
    ),
)

HYDRAULIC_COLUMNS = (
    Column("hydraulic_length_km", "float", "Length of the section the hydraulic spec describes "
           "(blank = length_km)", unit="km", minimum=0),
    Column("inner_diameter_mm", "float", "Inner diameter for hydraulics", unit="mm", minimum=0),
    Column("roughness_mm", "float", "Wall roughness for hydraulics", unit="mm", minimum=0),
    Column("max_pressure_bar", "float", "Maximum operating pressure (absolute)", unit="bar", minimum=0),
    Column("min_outlet_bar", "float", "Minimum delivery/suction pressure (absolute)", unit="bar", minimum=0),
    Column("stations", "int", "Intermediate compressor/pump stations", unit="count", minimum=0),
    Column("max_station_ratio", "float", "Maximum compression ratio per gas station", minimum=1),
    Column("elevation_change_m", "float", "Outlet minus inlet elevation", unit="m"),
    Column("temperature_c", "float", "Flowing temperature", unit="degC"),
)

ARCS = Table(
    "arcs",
    "arcs.csv",
    "Directed links (pipelines, tanker and LNG-carrier routes, rail) between nodes.",
    (
        Column("id", "str", "Arc identifier", required=True),
        Column("from", "str", "Tail node id", required=True),
        Column("to", "str", "Head node id", required=True),
        Column("commodity", "enum", "Commodity carried", required=True, choices=COMMODITY_NAMES),
        Column("capacity", "float",
               "Max annual flow; required for pipeline and rail, blank = unlimited for "
               "tanker/lng_carrier routes (the port limits them)", unit=_UNIT, minimum=0),
        *_RANGE,
        Column("unit", "str", "Mt/yr for crude and LNG, bcm/yr for gas"),
        Column("mode", "enum", "Transport mode", required=True, choices=ARC_MODES),
        Column("length_km", "float", "Route length", unit="km", minimum=0),
        Column("diameter_mm", "float", "Outer pipe diameter", unit="mm", minimum=0),
        *HYDRAULIC_COLUMNS,
        *_YEARS,
        *_PROVENANCE,
    ),
)

CONTRACTS = Table(
    "contracts",
    "contracts.csv",
    "Long-term supply contracts: the seller's output delivered to the buyer per year.",
    (
        Column("id", "str", "Contract identifier", required=True),
        Column("seller", "str", "Supply or liquefaction node id(s) whose output the contract covers; "
               "several ids separated by ';'", required=True),
        Column("buyer", "str", "Market node id", required=True),
        Column("commodity", "enum", "Commodity delivered", required=True, choices=COMMODITY_NAMES),
        Column("min_volume", "float", "Volume that must be delivered (take-or-pay)", required=True,
               unit=_UNIT, minimum=0),
        Column("max_volume", "float", "Maximum volume (blank = no maximum)", unit=_UNIT, minimum=0),
        Column("unit", "str", "Mt/yr for crude and LNG, bcm/yr for gas", required=True),
        *_YEARS,
        *_PROVENANCE,
    ),
)

def _observed_volume(what: str) -> tuple[Column, ...]:
    """The volume columns shared by the observation tables (baseline, production)."""
    return (
        Column("commodity", "enum", "Commodity", required=True, choices=COMMODITY_NAMES),
        Column("volume", "float", what, required=True, unit=_UNIT, minimum=0),
        Column("volume_low", "float", "Low end where sources disagree", unit=_UNIT, minimum=0),
        Column("volume_high", "float", "High end where sources disagree", unit=_UNIT, minimum=0),
        Column("unit", "str", "Mt/yr for crude and LNG, bcm/yr for gas", required=True),
        *_PROVENANCE,
    )


BASELINE = Table(
    "baseline",
    "baseline.csv",
    "Observed deliveries from this network to each market country per year.",
    (
        Column("year", "int", "Calendar year", required=True, unit="year"),
        Column("market", "str", "Country code of the market nodes (CN, JP, KR, ROW, ...)", required=True),
        *_observed_volume("Delivered volume used by the model"),
    ),
    key=("year", "market", "commodity"),
)

PRODUCTION = Table(
    "production",
    "production.csv",
    "Observed output of supply and liquefaction nodes per year (used by `supply: baseline`).",
    (
        Column("year", "int", "Calendar year", required=True, unit="year"),
        Column("node", "str", "Supply or liquefaction node id", required=True),
        *_observed_volume("Output used by the model"),
    ),
    key=("year", "node"),
    optional_file=True,
)

CLAIMS = Table(
    "claims",
    "claims.csv",
    "Figures quoted by the published analyses, set beside the primary figure.",
    (
        Column("id", "str", "Claim identifier", required=True),
        Column("figure", "str", "What is quoted", required=True),
        Column("year", "int", "Year the figure refers to", unit="year"),
        Column("commodity", "enum", "Commodity", choices=COMMODITY_NAMES),
        Column("quoted_value", "float", "Value as quoted"),
        Column("quoted_source", "str", "Publication quoting it", required=True),
        Column("primary_value", "float", "Primary-source value (blank = not found)"),
        Column("primary_source", "str", "Primary publication"),
        Column("unit", "str", "Unit of both values"),
        Column("model_uses", "str", "Which value the data uses and why"),
        Column("source", "str", "Where the row's figures come from", required=True),
        Column("notes", "str", "Free text"),
    ),
    optional_file=True,
)

POLICIES = Table(
    "policies",
    "policies.csv",
    "Policy measures (embargoes, import bans, transshipment bans, sanctions) as caps on the flows they hit. "
    "A flow is hit when it matches every scope column given (origin, arc, buyer country) and its origin is "
    "not exempt; the hit flows of a year may total at most `max_volume` (0 = banned).",
    (
        Column("id", "str", "Policy identifier (a scenario's `policies:` list names these)", required=True),
        Column("name", "str", "Human-readable name", required=True),
        Column("kind", "enum", "Kind of measure", required=True, choices=POLICY_KINDS),
        Column("commodity", "enum", "Commodity hit", required=True, choices=COMMODITY_NAMES),
        Column("origin", "str", "Origin node id(s) whose product is hit, ';'-separated (blank = any)"),
        Column("arc", "str", "Arc id(s) whose flows are hit (routes, transshipment legs), ';'-separated "
               "(blank = any)"),
        Column("buyer_country", "str", "Market country code(s) whose imports are hit, ';'-separated (blank = any)"),
        Column("exempt_origin", "str", "Origin node id(s) exempt from the measure (e.g. Sakhalin-linked "
               "cargoes), ';'-separated"),
        Column("max_volume", "float", "Most the hit flows may total per year (blank = 0: banned)", unit=_UNIT,
               minimum=0),
        Column("unit", "str", "Mt/yr for crude and LNG, bcm/yr for gas", required=True),
        Column("start_year", "int", "First year in force", required=True, unit="year"),
        Column("end_year", "int", "Last year in force, inclusive (blank = open)", unit="year"),
        Column("start_month", "int", "Month it takes effect in its first year (1-12; blank = January): the "
               "months before are free, pro rata of the hit arcs' capacity or the hit origins' output (the smaller)",
               unit="month", minimum=1),
        *_PROVENANCE,
    ),
    optional_file=True,
)

TABLES: dict[str, Table] = {t.name: t for t in (NODES, ARCS, CONTRACTS, BASELINE, PRODUCTION, CLAIMS, POLICIES)}


def markdown_table(table: Table) -> str:
    """Render ``table`` as a Markdown table (used in the README's data format section)."""
    lines = [
        f"**`{table.filename}`** — {table.description}",
        "",
        "| column | type | unit | required | description |",
        "|---|---|---|---|---|",
    ]
    for c in table.columns:
        kind = c.dtype if not c.choices else " / ".join(c.choices)
        lines.append(f"| `{c.name}` | {kind} | {c.unit} | {'yes' if c.required else ''} | {c.description} |")
    return "\n".join(lines)


def markdown_all() -> str:
    """All tables rendered with :func:`markdown_table`, separated by blank lines."""
    return "\n\n".join(markdown_table(t) for t in TABLES.values())
