"""Network data: CSV folder -> typed, validated tidy DataFrames.

A :class:`Network` holds every row of every input table (several rows per asset id
when its capacity changes over time).  :func:`active_mask` selects the rows of one
year, :func:`apply_changes` applies a scenario's overrides,
additions, removals and contract scaling.  Loading runs every check of
:mod:`flowmodel.validate`; errors name file, row (CSV line) and field.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from .errors import DataError
from .schema import TABLES, Table
from .validate import check_network, coerce_table, raise_first

MAX_CSV_BYTES = 200_000_000
TABLE_ORDER = ("nodes", "arcs", "contracts", "baseline", "production", "claims", "policies")
ASSET_TABLES = ("nodes", "arcs", "contracts")


@dataclass
class Network:
    """All rows of a network's tables.

    Attributes
    ----------
    name : str
        Folder name (e.g. ``east_asia``) or a name given in code.
    tables : dict[str, pandas.DataFrame]
        ``nodes``, ``arcs``, ``contracts``, ``baseline``, ``production``, ``claims``;
        typed per :mod:`flowmodel.schema`; column ``_line`` holds the CSV line.
    path : Path or None
        Folder the network was read from.
    hashes : dict[str, str]
        SHA-256 of each input file (for the run manifest).
    table_sha256 : dict[str, str]
        SHA-256 of each typed table as loaded (to see later whether code changed it).
    modified : tuple of str
        Tables changed in code after loading (set by :func:`revalidate`).
    """

    name: str
    tables: dict[str, pd.DataFrame]
    path: Path | None = None
    hashes: dict[str, str] = field(default_factory=dict)
    table_sha256: dict[str, str] = field(default_factory=dict)
    modified: tuple[str, ...] = ()

    @property
    def nodes(self) -> pd.DataFrame:
        return self.tables["nodes"]

    @property
    def arcs(self) -> pd.DataFrame:
        return self.tables["arcs"]

    @property
    def contracts(self) -> pd.DataFrame:
        return self.tables["contracts"]

    @property
    def baseline(self) -> pd.DataFrame:
        return self.tables["baseline"]

    @property
    def production(self) -> pd.DataFrame:
        return self.tables["production"]

    @property
    def policies(self) -> pd.DataFrame:
        return self.tables["policies"]

    def years(self) -> tuple[int, int]:
        """First and last year mentioned by any asset row or observation."""
        ys: list[float] = []
        for name in ASSET_TABLES:
            ys += [y for y in self.tables[name][["start_year", "end_year"]].to_numpy().ravel() if not math.isnan(y)]
        for name in ("baseline", "production"):
            ys += list(self.tables[name]["year"])
        return (int(min(ys)), int(max(ys))) if ys else (0, 0)


def active_mask(df: pd.DataFrame, year: int) -> pd.Series:
    """Rows whose ``[start_year, end_year]`` span (blank = open) contains ``year``."""
    s = df["start_year"].fillna(-math.inf)
    e = df["end_year"].fillna(math.inf)
    return (s <= year) & (year <= e)


# --------------------------------------------------------------------------- reading
def _read_csv(path: Path, table: Table) -> pd.DataFrame:
    """Read ``path`` as strings, keeping each row's line number in ``_line``."""
    try:
        if path.stat().st_size > MAX_CSV_BYTES:
            raise DataError(f"{path.name}: larger than {MAX_CSV_BYTES // 1_000_000} MB; not a network table")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataError(f"{path.name}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    except IsADirectoryError:
        raise DataError(f"{path.name}: is a folder, not a CSV file") from None
    except OSError as e:
        raise DataError(f"{path.name}: cannot be read ({e.strerror or e})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(f"{path.name}: file is empty (expected a header row)") from None
    except csv.Error as e:
        raise DataError(f"{path.name} row 1: malformed CSV ({e})") from None
    header = [h.strip() for h in header]
    dup = {h for h in header if header.count(h) > 1}
    if dup:
        raise DataError(f"{path.name} row 1: duplicate column '{sorted(dup)[0]}'")
    rows, lines = [], []
    try:
        for rec in reader:
            if not any(c.strip() for c in rec):
                continue
            if len(rec) != len(header):
                raise DataError(f"{path.name} row {reader.line_num}: expected {len(header)} fields, "
                                f"found {len(rec)} (check quoting of commas)")
            rows.append(rec)
            lines.append(reader.line_num)
    except csv.Error as e:
        raise DataError(f"{path.name} row {reader.line_num}: malformed CSV ({e})") from None
    df = pd.DataFrame(rows, columns=header, dtype=object)
    df["_line"] = lines
    return df


def _empty(table: Table) -> pd.DataFrame:
    df = pd.DataFrame({c: pd.Series(dtype=object) for c in table.names})
    df["_line"] = pd.Series(dtype="int64")
    return df


def read_network(folder: str | Path) -> Network:
    """Load and validate a network folder.

    Parameters
    ----------
    folder : path
        Directory holding ``nodes.csv``, ``arcs.csv``, ``contracts.csv``,
        ``baseline.csv`` and optionally ``production.csv`` and ``claims.csv``.

    Raises
    ------
    DataError
        On the first problem found (the exception's ``messages`` lists all).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: network folder not found")
    raw: dict[str, pd.DataFrame] = {}
    hashes: dict[str, str] = {}
    for name in TABLE_ORDER:
        table = TABLES[name]
        path = folder / table.filename
        if not path.exists():
            if table.optional_file:
                raw[name] = _empty(table)
                continue
            raise DataError(f"{folder / table.filename}: required file is missing")
        raw[name] = _read_csv(path, table)  # refuses folders and unreadable files first
        hashes[table.filename] = file_hash(path)
    return from_frames(raw, name=folder.name, path=folder, hashes=hashes)


def from_frames(frames: Mapping[str, pd.DataFrame], name: str = "network", path: Path | None = None,
                hashes: Mapping[str, str] | None = None) -> Network:
    """Build a validated :class:`Network` from DataFrames (e.g. built or edited in pandas).

    Missing optional tables (``baseline``, ``production``, ``claims``) are empty.
    Values may be strings or numbers; they are typed per :mod:`flowmodel.schema`.
    """
    tables: dict[str, pd.DataFrame] = {}
    errors: list[str] = []
    for tname in TABLE_ORDER:
        table = TABLES[tname]
        df = frames.get(tname)
        if df is None:
            if tname in ("nodes", "arcs"):
                raise DataError(f"{table.filename}: table is missing")
            df = _empty(table)
        df = df.reset_index(drop=True).copy()
        if "_line" not in df:
            df["_line"] = range(2, len(df) + 2)
        df = df.astype({c: object for c in df.columns if c != "_line"})
        typed, errs = coerce_table(table, df, table.filename)
        tables[tname] = typed
        errors += errs
    raise_first(errors)
    raise_first(check_network(tables))
    return Network(name=name, tables=tables, path=path, hashes=dict(hashes or {}),
                   table_sha256={k: table_hash(v) for k, v in tables.items()})


def file_hash(path: Path) -> str:
    """SHA-256 of an input file's bytes (the ``input_sha256`` of a run's manifest)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def table_hash(df: pd.DataFrame) -> str:
    """SHA-256 of a typed table's content (CSV text of its columns, without line numbers)."""
    text = df.drop(columns="_line", errors="ignore").to_csv(index=False, float_format="%.12g", lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def revalidate(net: Network) -> Network:
    """Type and check a network's tables again (after edits in pandas): the same schema
    and named checks as a CSV folder; raises :class:`DataError` naming table, row and field.
    The result records which tables differ from what was loaded (``modified``)."""
    if not isinstance(net, Network):
        raise DataError(f"network=: expected a flowmodel Network (fm.load_network), got {type(net).__name__}")
    frames = {}
    for name, df in net.tables.items():
        if not isinstance(df, pd.DataFrame):
            raise DataError(f"{name}: expected a DataFrame, got {type(df).__name__}")
        frames[name] = df
    checked = from_frames(frames, name=net.name, path=net.path, hashes=net.hashes)
    original = net.table_sha256 or checked.table_sha256
    modified = tuple(k for k, h in checked.table_sha256.items() if original.get(k) != h)
    return replace(checked, table_sha256=dict(original), modified=tuple(sorted(set(net.modified) | set(modified))))


# --------------------------------------------------------------------------- scenario changes
def apply_changes(net: Network, *, overrides: Mapping | None = None, add: Mapping | None = None,
                  remove: Mapping | None = None, contract_scale: Mapping[str, float] | None = None,
                  origin: str = "scenario") -> Network:
    """Return a copy of ``net`` with a scenario's changes applied and re-validated.

    Parameters
    ----------
    overrides : {table: {id: {field: value}}}
        New values for fields of every row with that id.
    add : {table: [row dict, ...]}
        New rows (same columns as the CSV; ``source`` required).
    remove : {table: [id, ...]}
        Ids whose rows are dropped (arcs of removed nodes must be removed too).
    contract_scale : {country: factor}
        Multiply ``min_volume`` of contracts whose buyer is a market node in that
        country (a renegotiated obligation; ``max_volume`` is kept).
    origin : str
        Scenario file name used in error messages.
    """
    from .errors import ScenarioError

    t = {k: v.copy() for k, v in net.tables.items()}
    for tname, ids in (remove or {}).items():
        df = t[tname]
        for i in ids:
            if i not in set(df["id"]):
                raise ScenarioError(f"{origin}, field 'remove.{tname}': unknown id '{i}'")
        t[tname] = df[~df["id"].isin(list(ids))]
    for tname, rows in (add or {}).items():
        table = TABLES[tname]
        new = pd.DataFrame([{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows], dtype=object)
        unknown = [c for c in new.columns if c not in table.names]
        if unknown:
            raise ScenarioError(f"{origin}, field 'add.{tname}': unknown column '{unknown[0]}'")
        new["_line"] = list(range(1, len(new) + 1))
        typed, errs = coerce_table(table, new, f"{origin} add.{tname}[item")
        if errs:
            raise ScenarioError(errs[0].replace(" row ", " ").replace(", field", "], field", 1))
        clash = set(typed["id"]) & set(t[tname]["id"])
        if clash:
            raise ScenarioError(f"{origin}, field 'add.{tname}': id '{sorted(clash)[0]}' already exists; "
                                "use overrides to change it")
        t[tname] = pd.concat([t[tname], typed], ignore_index=True)
    for tname, by_id in (overrides or {}).items():
        table = TABLES[tname]
        df = t[tname]
        for i, fields in by_id.items():
            mask = df["id"] == i
            if not mask.any():
                ids = sorted(set(df["id"]))
                from .validate import _suggest
                raise ScenarioError(f"{origin}, field 'overrides.{tname}.{i}': unknown id '{i}'{_suggest(i, ids)}")
            for f, v in fields.items():
                if f not in table.names or f == "id":
                    raise ScenarioError(f"{origin}, field 'overrides.{tname}.{i}.{f}': "
                                        f"not a changeable column of {table.filename}")
                df.loc[mask, f] = _override_value(table, f, v, f"{origin}, field 'overrides.{tname}.{i}.{f}'")
    if contract_scale:
        nodes = t["nodes"].drop_duplicates("id").set_index("id")
        df = t["contracts"]
        countries = set(nodes.loc[nodes["kind"] == "market", "country"])
        for country, factor in contract_scale.items():
            if country not in countries:
                raise ScenarioError(f"{origin}, field 'contract_scale.{country}': no market node in that country")
            if factor < 0:
                raise ScenarioError(f"{origin}, field 'contract_scale.{country}': factor must be >= 0")
            mask = df["buyer"].map(lambda b: nodes.at[b, "country"] if b in nodes.index else None) == country
            df.loc[mask, "min_volume"] = df.loc[mask, "min_volume"] * factor
    msgs = check_network(t)
    if msgs:
        raise ScenarioError(f"{origin}: after applying its changes, {msgs[0]}")
    return replace(net, tables=t)


def _override_value(table: Table, field: str, v, where: str):
    """A scenario's override value, typed and checked like a CSV cell of that column."""
    from .errors import ScenarioError
    from .validate import YEAR_RANGE, _number, _suggest

    col = table.column(field)
    blank = v is None or (isinstance(v, str) and not v.strip())
    if blank:
        if col.required:
            raise ScenarioError(f"{where}: a value is required")
        return float("nan") if col.dtype in ("float", "int") else None
    if col.dtype in ("float", "int"):
        x = _number(v.strip() if isinstance(v, str) else v)
        if x is None:
            raise ScenarioError(f"{where}: '{v}' is not a finite number")
        if col.dtype == "int" and x != int(x):
            raise ScenarioError(f"{where}: '{v}' is not a whole number")
        if col.minimum is not None and x < col.minimum:
            raise ScenarioError(f"{where}: {x:g} is below the minimum {col.minimum:g}")
        if col.unit == "year" and not YEAR_RANGE[0] <= x <= YEAR_RANGE[1]:
            raise ScenarioError(f"{where}: {x:g} is not a year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}")
        return x
    if not isinstance(v, (str, int, float)) or isinstance(v, bool):
        raise ScenarioError(f"{where}: expected text, got {type(v).__name__}")
    text = str(v).strip()
    if col.choices and text not in col.choices:
        raise ScenarioError(f"{where}: '{text}' is not one of {', '.join(col.choices)}{_suggest(text, col.choices)}")
    return text


def range_end(net: Network, end: str) -> Network:
    """Copy of ``net`` with capacities (nodes, arcs) and observed outputs (production)
    replaced by the ``low`` or ``high`` end of their sourced range where one is given."""
    t = dict(net.tables)
    for name, col in (("nodes", "capacity"), ("arcs", "capacity"), ("production", "volume")):
        df = t[name].copy()
        alt = df[f"{col}_{end}"]
        has = alt.notna() & df[col].notna()
        df.loc[has, col] = alt[has]
        t[name] = df
    return replace(net, tables=t)
