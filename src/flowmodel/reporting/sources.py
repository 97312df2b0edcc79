"""The input rows behind a result year, each with an anchor the report's numbers link to.

A row is named by its file and CSV line (``arcs.csv:12``); rows a scenario adds are
named by the scenario file and their position in its ``add`` list.  Fields a scenario
overrides are listed with the row, since the CSV's ``source`` no longer covers them.
"""

from __future__ import annotations

import math

import pandas as pd

from ..network import Network, active_mask

SOURCE_COLUMNS = ["ref", "anchor", "file", "line", "table", "key", "what", "value", "unit", "status", "source",
                  "notes", "changed_by_scenario"]

_VALUE = {"nodes": "capacity", "arcs": "capacity", "contracts": "min_volume", "baseline": "volume",
          "production": "volume"}


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or v == ""


def _fmt(v) -> str:
    if _blank(v):
        return ""
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


class Sources:
    """Input rows of ``net`` in force in ``year`` and the lookup of a row's anchor.

    ``table`` : DataFrame with :data:`SOURCE_COLUMNS` (one row per input row).
    """

    def __init__(self, net: Network, year: int, scenario=None, prefix: str = "src"):
        self.year = year
        self.prefix = prefix
        added = {t: set(str(r.get("id", "")) for r in rows) for t, rows in (getattr(scenario, "add", None) or {}).items()}
        overrides = getattr(scenario, "overrides", None) or {}
        origin = scenario.path.name if getattr(scenario, "path", None) is not None else "scenario"
        rows = []
        self._by_key: dict[tuple[str, str], str] = {}
        for tname in ("nodes", "arcs", "contracts", "baseline", "production"):
            df = net.tables[tname]
            if tname in ("nodes", "arcs", "contracts"):
                df = df[active_mask(df, year)]
            else:
                df = df[df["year"] == year]
            filename = f"{tname}.csv"
            for i, (_, r) in enumerate(df.iterrows()):
                key = str(r["id"]) if "id" in df.columns else \
                    f"{r.get('market', r.get('node'))}/{r['commodity']}"
                is_added = tname in added and key in added[tname]
                if is_added:
                    file, line = origin, f"add.{tname}[{int(r['_line'])}]"
                    anchor = f"{prefix}-{tname}-add-{int(r['_line'])}"
                else:
                    file, line = filename, str(int(r["_line"]))
                    anchor = f"{prefix}-{tname}-{int(r['_line'])}"
                changed = overrides.get(tname, {}).get(key, {})
                what = r.get("name", "") if tname == "nodes" else \
                    f"{r['from']} -> {r['to']} ({r['mode']})" if tname == "arcs" else \
                    f"{r['seller']} -> {r['buyer']}" if tname == "contracts" else \
                    f"observed deliveries to {r['market']}" if tname == "baseline" else \
                    f"observed output of {r['node']}"
                rows.append({
                    "ref": f"{file}:{line}", "anchor": anchor, "file": file, "line": line, "table": tname,
                    "key": key, "what": str(what), "value": _fmt(r.get(_VALUE[tname])),
                    "unit": _fmt(r.get("unit")), "status": _fmt(r.get("status")), "source": _fmt(r.get("source")),
                    "notes": _fmt(r.get("notes")),
                    "changed_by_scenario": "; ".join(f"{k} = {_fmt(v)}" for k, v in sorted(changed.items())),
                })
                self._by_key.setdefault((tname, key), anchor)
        self.table = pd.DataFrame(rows, columns=SOURCE_COLUMNS)
        self._row = {a: r for a, r in zip(self.table["anchor"], self.table.to_dict("records"))}

    def anchor(self, table: str, key: str) -> str | None:
        """Anchor of the row of ``table`` with id ``key`` in force (baseline: ``country/commodity``;
        production: ``node/commodity``), or ``None``."""
        return self._by_key.get((table, str(key)))

    def row(self, anchor: str | None) -> dict | None:
        return self._row.get(anchor) if anchor else None

    def cite(self, anchor: str | None, limit: int = 0) -> str:
        """``file:line: source`` of an anchor (shortened to ``limit`` characters when > 0)."""
        r = self.row(anchor)
        if r is None:
            return ""
        text = f"{r['ref']}: {r['source']}"
        return text if not limit or len(text) <= limit else text[: limit - 1] + "…"
