"""Named checks on the network tables.

Every check is a small function taking the typed tables and returning a list of
messages of the form ``"<file> row <n>, field '<field>': <what is wrong>"`` (row =
line number in the CSV file, header = line 1).  :func:`check_network` runs them all
in order, before any model is built; :class:`~flowmodel.errors.DataError` carries the
first message (``flowmodel validate`` prints all of them).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable

import pandas as pd

from .errors import DataError
from .vocabulary import ORIGIN_KINDS, is_blank
from .schema import TABLES, Table
from .units import COMMODITIES, canonical_unit

Frames = dict[str, pd.DataFrame]


def where(df: pd.DataFrame, i, field: str) -> str:
    """``"<file> row <line>, field '<field>'"`` for row label ``i`` of a loaded table."""
    return f"{df.attrs.get('file', '?')} row {int(df.at[i, '_line'])}, field '{field}'"


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _blank(v) -> bool:
    return is_blank(v)


#: A number as a CSV cell may spell it: ASCII digits, optional sign, decimals, exponent.
#: Python's float() also takes '4_5.6', Arabic-Indic digits, 'inf' and 'nan': refused here.
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
YEAR_RANGE = (1900, 2100)


def _number(v) -> float | None:
    """The value as a finite float, or None if it is not a number a CSV may hold."""
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        x = float(v)
    elif isinstance(v, str) and NUMBER.fullmatch(v) and v.isascii():
        x = float(v)
    else:
        try:
            import numpy as np
            if isinstance(v, (np.integer, np.floating)):
                x = float(v)
            else:
                return None
        except ImportError:  # pragma: no cover
            return None
    return x if math.isfinite(x) else None


# --------------------------------------------------------------------------- typing
def coerce_table(table: Table, raw: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[str]]:
    """Convert the all-string frame ``raw`` to the dtypes of ``table``.

    Returns the typed frame and the messages for missing columns, unparsable numbers,
    missing required values, values outside the allowed choices or below the minimum.
    """
    errors: list[str] = []
    df = raw.copy()
    df.attrs["file"] = file
    cols = set(df.columns)
    for c in table.columns:
        if c.required and c.name not in cols:
            errors.append(f"{file}: missing required column '{c.name}'")
    if errors:
        return df, errors
    for c in table.columns:
        if c.name not in cols:
            df[c.name] = None if c.dtype in ("str", "enum") else float("nan")
            continue
        s = df[c.name].map(lambda v: v.strip() if isinstance(v, str) else v)
        if c.dtype in ("float", "int"):
            vals = []
            for i, v in s.items():
                if _blank(v):
                    vals.append(float("nan"))
                    continue
                x = _number(v)
                if x is None:
                    errors.append(f"{where(df, i, c.name)}: '{v}' is not a number (finite, plain digits, "
                                  "e.g. 12.5)")
                    vals.append(float("nan"))
                    continue
                if c.dtype == "int" and x != int(x):
                    errors.append(f"{where(df, i, c.name)}: '{v}' is not a whole number")
                elif c.minimum is not None and x < c.minimum:
                    errors.append(f"{where(df, i, c.name)}: {v} is below the minimum {c.minimum:g}")
                elif c.unit == "year" and not YEAR_RANGE[0] <= x <= YEAR_RANGE[1]:
                    errors.append(f"{where(df, i, c.name)}: {v} is not a year between {YEAR_RANGE[0]} and "
                                  f"{YEAR_RANGE[1]}")
                vals.append(x)
            df[c.name] = pd.Series(vals, index=df.index, dtype="float64")
        else:
            bad = s.map(lambda v: not _blank(v) and not isinstance(v, (str, int, float)))
            for i in s.index[bad.to_numpy(dtype=bool)]:
                errors.append(f"{where(df, i, c.name)}: expected text, got {type(s[i]).__name__}")
            s = s.map(lambda v: None if _blank(v) or not isinstance(v, (str, int, float)) else str(v))
            if c.choices:
                for i, v in s.items():
                    if v is not None and v not in c.choices:
                        errors.append(
                            f"{where(df, i, c.name)}: '{v}' is not one of {', '.join(c.choices)}"
                            + _suggest(v, c.choices)
                        )
            df[c.name] = s
        if c.required:
            for i in df.index[df[c.name].isna()]:
                errors.append(f"{where(df, i, c.name)}: required value is missing")
    return df, errors


# --------------------------------------------------------------------------- named checks
def _rows(df: pd.DataFrame, mask) -> pd.DataFrame:
    """The offending rows only: checks build masks vectorised, then loop over these."""
    return df[mask.fillna(False).astype(bool)] if len(df) else df


def check_units(t: Frames) -> list[str]:
    """The ``unit`` of every row with a volume is the canonical unit of its commodity."""
    out = []
    volume_cols = {"nodes": "capacity", "arcs": "capacity", "contracts": "min_volume",
                   "baseline": "volume", "production": "volume", "policies": "max_volume"}
    expected_of = {c: COMMODITIES[c].unit for c in COMMODITIES}
    for name, vcol in volume_cols.items():
        df = t.get(name)
        if df is None or not len(df):
            continue
        has_value = df[vcol].notna()
        for k in ("capacity_low", "capacity_high", "max_volume"):
            if k in df:
                has_value |= df[k].notna()
        expected = df["commodity"].map(expected_of)
        unit = df["unit"]
        canon = unit.map(lambda u: None if _blank(u) else canonical_unit(u))
        bad = has_value & expected.notna() & (canon != expected)
        for i, r in _rows(df, bad).iterrows():
            com = r["commodity"]
            if _blank(r["unit"]):
                out.append(f"{where(df, i, 'unit')}: missing unit (expected {expected_of[com]} for {com})")
            else:
                out.append(f"{where(df, i, 'unit')}: unit '{r['unit']}' does not match commodity "
                           f"'{com}' (expected {expected_of[com]})")
    return out


def check_capacities(t: Frames) -> list[str]:
    """Supply, terminal and liquefaction nodes and pipeline/rail arcs need a capacity."""
    out = []
    nodes, arcs = t["nodes"], t["arcs"]
    need = nodes["kind"].isin(["supply", "terminal", "liquefaction"]) & nodes["capacity"].isna()
    for i, r in _rows(nodes, need).iterrows():
        out.append(f"{where(nodes, i, 'capacity')}: {r['kind']} node '{r['id']}' needs a capacity")
    need = arcs["mode"].isin(["pipeline", "rail"]) & arcs["capacity"].isna()
    for i, r in _rows(arcs, need).iterrows():
        out.append(f"{where(arcs, i, 'capacity')}: {r['mode']} arc '{r['id']}' needs a capacity")
    for df in (nodes, arcs):
        for i, r in _rows(df, df["capacity_low"] > df["capacity_high"]).iterrows():
            out.append(f"{where(df, i, 'capacity_low')}: low {r['capacity_low']:g} is above high "
                       f"{r['capacity_high']:g}")
    c = t["contracts"]
    for i, r in _rows(c, c["max_volume"] < c["min_volume"]).iterrows():
        out.append(f"{where(c, i, 'max_volume')}: {r['max_volume']:g} is below min_volume {r['min_volume']:g}")
    for name in ("baseline", "production"):
        df = t.get(name)
        if df is None or not len(df):
            continue
        for i, r in _rows(df, df["volume_low"] > df["volume_high"]).iterrows():
            out.append(f"{where(df, i, 'volume_low')}: low {r['volume_low']:g} is above high {r['volume_high']:g}")
    return out


def check_years(t: Frames) -> list[str]:
    """start_year <= end_year, and rows sharing an id do not overlap in time."""
    out = []
    for name in ("nodes", "arcs", "contracts"):
        df = t[name]
        for i, r in _rows(df, df["start_year"] > df["end_year"]).iterrows():
            out.append(f"{where(df, i, 'end_year')}: end_year {int(r['end_year'])} is before "
                       f"start_year {int(r['start_year'])}")
        multi = df[df["id"].duplicated(keep=False)]
        if not len(multi):
            continue
        spans = pd.DataFrame({"id": multi["id"], "s": multi["start_year"].fillna(-math.inf),
                              "e": multi["end_year"].fillna(math.inf), "row": multi.index})
        spans = spans.sort_values(["id", "s", "e"], kind="stable")
        prev_e = spans.groupby("id", sort=False)["e"].shift()
        prev_row = spans.groupby("id", sort=False)["row"].shift()
        for (_, sp), pe, pr in zip(spans.iterrows(), prev_e, prev_row):
            if pe == pe and sp["s"] <= pe:
                out.append(f"{where(df, sp['row'], 'start_year')}: rows of id '{sp['id']}' overlap in time "
                           f"(line {int(df.at[int(pr), '_line'])} runs to "
                           f"{'open end' if math.isinf(pe) else int(pe)})")
    return out


def check_constant_fields(t: Frames) -> list[str]:
    """Fields that define topology do not change between rows of one id."""
    out = []
    fixed = {"nodes": ("kind", "commodity", "country"), "arcs": ("from", "to", "commodity"),
             "contracts": ("seller", "buyer", "commodity")}
    for name, fields in fixed.items():
        df = t[name]
        multi = df[df["id"].duplicated(keep=False)]
        for f in fields:
            vals = multi[f].fillna("\0")
            first = vals.groupby(multi["id"], sort=False).transform("first")
            for i in multi.index[(vals != first).to_numpy()]:
                key = df.at[i, "id"]
                ref = df.loc[df["id"] == key, f].iloc[0]
                out.append(f"{where(df, i, f)}: '{df.at[i, f]}' differs from '{ref}' in another row of id '{key}'")
    return out


def check_references(t: Frames) -> list[str]:
    """Arcs, contracts, baseline and production rows refer to existing, compatible nodes."""
    out = []
    nodes, arcs, con = t["nodes"], t["arcs"], t["contracts"]
    first = nodes.drop_duplicates("id").set_index("id")
    ids = set(first.index)
    kind_of, com_of = first["kind"].to_dict(), first["commodity"].to_dict()
    for i, r in _rows(nodes, (nodes["kind"] == "liquefaction") & (nodes["commodity"] != "lng")).iterrows():
        out.append(f"{where(nodes, i, 'commodity')}: liquefaction node '{r['id']}' must produce lng (gas in, "
                   f"LNG out), not {r['commodity']}")
    for i, aid, fr, to, com in zip(arcs.index, arcs["id"], arcs["from"], arcs["to"], arcs["commodity"]):
        if fr == to:
            out.append(f"{where(arcs, i, 'to')}: arc '{aid}' starts and ends at '{fr}' (a loop)")
            continue
        for end, n in (("from", fr), ("to", to)):
            if n not in ids:
                out.append(f"{where(arcs, i, end)}: unknown node '{n}'{_suggest(n, ids)}")
        if fr not in ids or to not in ids:
            continue
        if kind_of[fr] == "market":
            out.append(f"{where(arcs, i, 'from')}: arc '{aid}' leaves market node '{fr}'")
        if com_of[fr] != com:
            out.append(f"{where(arcs, i, 'commodity')}: arc '{aid}' carries {com} but node "
                       f"'{fr}' handles {com_of[fr]}")
        if kind_of[to] == "liquefaction":
            if com != "gas":
                out.append(f"{where(arcs, i, 'commodity')}: arc '{aid}' into liquefaction node "
                           f"'{to}' must carry gas, not {com}")
        elif com_of[to] != com:
            out.append(f"{where(arcs, i, 'commodity')}: arc '{aid}' carries {com} but node "
                       f"'{to}' handles {com_of[to]}")
        if kind_of[to] == "supply":
            out.append(f"{where(arcs, i, 'to')}: arc '{aid}' enters supply node '{to}'; "
                       "route it to a junction instead")
    for i, r in con.iterrows():
        for s in str(r["seller"]).split(";"):
            s = s.strip()
            if s not in ids:
                out.append(f"{where(con, i, 'seller')}: unknown node '{s}'{_suggest(s, ids)}")
            elif first.at[s, "kind"] not in ORIGIN_KINDS:
                out.append(f"{where(con, i, 'seller')}: '{s}' is a {first.at[s, 'kind']} node; a seller "
                           "must be a supply or liquefaction node")
            elif first.at[s, "commodity"] != r["commodity"]:
                out.append(f"{where(con, i, 'commodity')}: contract '{r['id']}' is for {r['commodity']} "
                           f"but seller '{s}' produces {first.at[s, 'commodity']}")
        b = r["buyer"]
        if b not in ids:
            out.append(f"{where(con, i, 'buyer')}: unknown node '{b}'{_suggest(b, ids)}")
        elif first.at[b, "kind"] != "market":
            out.append(f"{where(con, i, 'buyer')}: '{b}' is a {first.at[b, 'kind']} node; a buyer must be a market")
        elif first.at[b, "commodity"] != r["commodity"]:
            out.append(f"{where(con, i, 'commodity')}: contract '{r['id']}' is for {r['commodity']} "
                       f"but market '{b}' takes {first.at[b, 'commodity']}")
    markets = first[first["kind"] == "market"]
    pairs = set(zip(markets["country"], markets["commodity"]))
    countries = sorted(set(markets["country"]))
    if "baseline" in t:
        b = t["baseline"]
        for i, r in b.iterrows():
            if (r["market"], r["commodity"]) not in pairs:
                out.append(f"{where(b, i, 'market')}: no {r['commodity']} market node in country "
                           f"'{r['market']}'{_suggest(r['market'], countries)}")
        out += _duplicate_keys(b, ("year", "market", "commodity"))
    if "production" in t:
        p = t["production"]
        for i, r in p.iterrows():
            n = r["node"]
            if n not in ids:
                out.append(f"{where(p, i, 'node')}: unknown node '{n}'{_suggest(n, ids)}")
            elif first.at[n, "kind"] not in ORIGIN_KINDS:
                out.append(f"{where(p, i, 'node')}: '{n}' is a {first.at[n, 'kind']} node, not supply/liquefaction")
            elif first.at[n, "commodity"] != r["commodity"]:
                out.append(f"{where(p, i, 'commodity')}: node '{n}' produces {first.at[n, 'commodity']}, "
                           f"not {r['commodity']}")
        out += _duplicate_keys(p, ("year", "node"))
    return out


def _ids(v) -> list[str]:
    return [] if _blank(v) else [x.strip() for x in str(v).split(";") if x.strip()]


def check_policies(t: Frames) -> list[str]:
    """Every node, arc and country a policy names exists and fits its commodity; a policy
    names at least one scope (origin, arc or buyer country); ``start_month`` is 1-12."""
    pol = t.get("policies")
    if pol is None or not len(pol):
        return []
    first = t["nodes"].drop_duplicates("id").set_index("id")
    arcs = t["arcs"].drop_duplicates("id").set_index("id")
    markets = first[first["kind"] == "market"]
    out = []
    for i, r in pol.iterrows():
        com = r["commodity"]
        if not (_ids(r["origin"]) or _ids(r["arc"]) or _ids(r["buyer_country"])):
            out.append(f"{where(pol, i, 'origin')}: policy '{r['id']}' names no origin, arc or buyer country "
                       "(it would hit every flow)")
        for field in ("origin", "exempt_origin"):
            for n in _ids(r[field]):
                if n not in first.index:
                    out.append(f"{where(pol, i, field)}: unknown node '{n}'{_suggest(n, first.index)}")
                elif first.at[n, "kind"] not in ORIGIN_KINDS:
                    out.append(f"{where(pol, i, field)}: '{n}' is a {first.at[n, 'kind']} node, not an origin")
        for a in _ids(r["arc"]):
            if a not in arcs.index:
                out.append(f"{where(pol, i, 'arc')}: unknown arc '{a}'{_suggest(a, arcs.index)}")
            elif arcs.at[a, "commodity"] != com:
                out.append(f"{where(pol, i, 'arc')}: arc '{a}' carries {arcs.at[a, 'commodity']}, not {com}")
        countries = set(markets.loc[markets["commodity"] == com, "country"])
        for c in _ids(r["buyer_country"]):
            if c not in countries:
                out.append(f"{where(pol, i, 'buyer_country')}: no {com} market in country '{c}'"
                           f"{_suggest(c, countries)}")
        m = r["start_month"]
        if not _blank(m) and not 1 <= m <= 12:
            out.append(f"{where(pol, i, 'start_month')}: {m:g} is not a month (1-12)")
    return out + _duplicate_keys(pol, ("id",))


def _duplicate_keys(df: pd.DataFrame, key: tuple[str, ...]) -> list[str]:
    dup = df[df.duplicated(list(key), keep="first")]
    def fmt(v):
        return str(int(v)) if isinstance(v, float) and v == int(v) else str(v)
    return [f"{where(df, i, key[-1])}: duplicate row for " + ", ".join(f"{k}={fmt(r[k])}" for k in key)
            for i, r in dup.iterrows()]


CHECKS: tuple[Callable[[Frames], list[str]], ...] = (
    check_units,
    check_capacities,
    check_years,
    check_constant_fields,
    check_references,
    check_policies,
)


def check_network(tables: Frames) -> list[str]:
    """Run every named check; return all messages (empty list = valid)."""
    msgs: list[str] = []
    for check in CHECKS:
        msgs += check(tables)
    return msgs


def raise_first(messages: list[str], exc: type[Exception] = DataError) -> None:
    """Raise ``exc`` with the first message (and a count of the rest) if there are any."""
    if messages:
        more = f" (and {len(messages) - 1} more problem{'s' if len(messages) > 2 else ''})" if len(messages) > 1 else ""
        err = exc(messages[0] + more)
        err.messages = messages  # type: ignore[attr-defined]
        raise err


__all__ = ["CHECKS", "check_network", "coerce_table", "raise_first", "TABLES"]
