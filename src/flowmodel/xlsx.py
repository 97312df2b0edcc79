"""All tables of a run in one Excel workbook (XlsxWriter): one sheet per table, the unit in
every numeric column's header, a sources sheet and the manifest.

Deterministic: fixed document properties (creation date 2000-01-01) and XlsxWriter's fixed
ZIP timestamps, so the same result gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math

import pandas as pd

FIXED_DATE = dt.datetime(2000, 1, 1)

# unit of a column: a fixed unit, or PER_ROW when the row's `unit` column says it
PER_ROW = "unit col."
UNITS = {
    "baseline": PER_ROW, "reference": PER_ROW, "contracted": PER_ROW, "optimized": PER_ROW, "change": PER_ROW,
    "optimized_pj": "PJ/yr", "change_pj": "PJ/yr", "to_reference": PER_ROW, "to_optimized": PER_ROW,
    "max_to": PER_ROW, "redirected": PER_ROW, "redirectable": PER_ROW, "from_redirect_markets": PER_ROW,
    "from_cn": PER_ROW, "from_other_markets": PER_ROW, "from_spare_supply": PER_ROW, "redirected_pj": "PJ/yr",
    "redirectable_pj": "PJ/yr", "max_flow_bound": PER_ROW, "flow": PER_ROW, "reference_flow": PER_ROW,
    "capacity": PER_ROW, "utilization": "fraction", "limit": PER_ROW, "activity": PER_ROW,
    "marginal_pj": "PJ/yr per unit of limit", "marginal": "unit col. per unit col.", "effect": PER_ROW,
    "base_to_optimized": PER_ROW, "from_optimized": PER_ROW, "effect_from": PER_ROW, "year": "year",
    "hydraulic_capacity": PER_ROW, "excess": PER_ROW, "max_to_physical": PER_ROW, "max_to_own": PER_ROW,
    "from_redirect_markets_low": PER_ROW, "base_max_to": PER_ROW, "low": PER_ROW, "high": PER_ROW,
}


def header(column: str, has_unit_column: bool) -> str:
    """``column [unit]``; ``[unit col.]`` = the unit given in the row's ``unit`` column."""
    u = UNITS.get(column)
    if u is None or (PER_ROW in u and not has_unit_column):
        return column
    return f"{column} [{u}]"


def _cell(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, (bool,)):
        return str(v)
    if hasattr(v, "item"):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    return v


def workbook_bytes(tables: dict[str, pd.DataFrame], manifest: dict | None = None, title: str = "flowmodel") -> bytes:
    """One sheet per table (in the given order), then ``manifest`` as key/value rows."""
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_urls": False, "strings_to_formulas": False,
                                   "nan_inf_to_errors": False})
    wb.set_properties({"title": title, "author": "flowmodel", "created": FIXED_DATE, "comments":
                       "Written by flowmodel; units in the headers ([unit col.] = see the row's unit column)."})
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F3F3F3", "border": 1})
    for name, df in tables.items():
        ws = wb.add_worksheet(name[:31])
        has_unit = "unit" in df.columns
        cols = [c for c in df.columns if not str(c).startswith("_")]
        for j, c in enumerate(cols):
            ws.write_string(0, j, header(str(c), has_unit), bold)
            width = max([len(header(str(c), has_unit))] + [len(str(v)) for v in df[c].head(200)])
            ws.set_column(j, j, min(60, max(8, width + 1)))
        for i, row in enumerate(df[cols].itertuples(index=False), start=1):
            for j, v in enumerate(row):
                v = _cell(v)
                if v is None:
                    continue
                if isinstance(v, (int, float)):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(v))
        ws.freeze_panes(1, 0)
        if len(df):
            ws.autofilter(0, 0, len(df), max(0, len(cols) - 1))
    if manifest is not None:
        ws = wb.add_worksheet("manifest")
        ws.write_string(0, 0, "key", bold)
        ws.write_string(0, 1, "value", bold)
        flat = _flatten(manifest)
        for i, (k, v) in enumerate(flat, start=1):
            ws.write_string(i, 0, k)
            ws.write_string(i, 1, v)
        ws.set_column(0, 0, 40)
        ws.set_column(1, 1, 100)
    wb.close()
    return buf.getvalue()


def _flatten(d: dict, prefix: str = "") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for k in sorted(d):
        v = d[k]
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v:
            out += _flatten(v, key + ".")
        else:
            out.append((key, v if isinstance(v, str) else json.dumps(v, sort_keys=True, default=str)))
    return out


def result_tables(res) -> dict[str, pd.DataFrame]:
    """The tables of a :class:`~flowmodel.api.Result` by sheet name, sources last."""
    from .reporting.build import network_of
    from .reporting.sources import Sources

    tables = {"redirect": res.redirect, "summary": res.summary, "flows": res.flows, "constraints": res.constraints}
    for name, df in sorted(vars(res).items()):
        if name not in tables and not name.startswith("_") and isinstance(df, pd.DataFrame):
            tables[name] = df
    src = Sources(network_of(res), int(res.manifest["year"]), res.scenario).table
    tables["sources"] = src.drop(columns=["anchor"])
    return tables


def result_workbook(res) -> bytes:
    """Workbook bytes of one result."""
    return workbook_bytes(result_tables(res), res.manifest, title=f"flowmodel: {res.scenario.name}")
