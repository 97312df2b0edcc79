"""What a run prints: the headline in the project's one vocabulary, tables that fit the terminal.

The same names as the CSVs, README and report: ``max_to`` (the most the ``to`` markets
can receive with every contract honoured, and every chosen policy), ``max_to_physical``
(the same without policies), ``from`` (what the ``from`` markets give up, against a
reference that serves them first - last), ``limited_by``.  Tables take the console's
own width (rich detects the terminal); long explanations go to lines below a table,
where they wrap instead of squeezing columns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
from rich.console import Console
from rich.table import Table

from .units import pj_per_unit

REFERENCE_NOTE = ("reference = the flow closest to the observed deliveries (baseline) that the year's network "
                  "can carry; it differs from the baseline where the baseline is a range or does not fit.")


#: Columns whose cells are short words: never wrapped inside.
SHORT_COLUMNS = {"unit", "commodity", "country", "role", "year", "kind", "status", "max_to", "no policies", "from",
                 "effect", "split", "limited_by"}


def num(v, digits: int = 2) -> str:
    """A volume for display: fixed decimals, '–' for missing, no thousands separator."""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return "–"
    return f"{f:.{digits}f}"


def table(df: pd.DataFrame, title: str, columns: Iterable[str], numeric: Iterable[str] = (),
          headers: dict[str, str] | None = None) -> Table:
    """A rich table of ``columns`` of ``df`` (numbers right-aligned, text folding in its column)."""
    numeric = set(numeric)
    headers = headers or {}
    t = Table(title=title, title_justify="left", header_style="bold")
    for c in columns:
        short = c in numeric or c in SHORT_COLUMNS
        t.add_column(headers.get(c, c), justify="right" if c in numeric else "left", overflow="fold", no_wrap=short)
    for _, r in df.iterrows():
        t.add_row(*[num(r[c]) if c in numeric else str(r[c]) for c in columns])
    return t


def _range(a: float, b: float) -> str:
    if a != a or abs(a - b) < 0.005:
        return num(b)
    lo, hi = sorted((a, b))
    return f"{num(lo)}-{num(hi)}"


def _split(res, commodity: str, max_to: float) -> str:
    sp = res.splits
    if sp is None or max_to < 0.005:
        return "–"
    part = sp[sp["commodity"] == commodity]
    return "\n".join(f"{r.country} {_range(r.low, r.high)}" for r in part.itertuples()) or "–"


def headline(res) -> pd.DataFrame:
    """The headline figures of a result, one row per commodity, in display form."""
    r = res.redirect
    s = res.scenario
    rows = []
    for _, x in r.iterrows():
        rows.append({
            "commodity": x["commodity"], "unit": x["unit"], "max_to": num(x["max_to"]),
            "max_to_physical": num(x["max_to_physical"]), "max_to_own": num(x["max_to_own"]),
            "split": _split(res, x["commodity"], x["max_to"]),
            "from": _range(x["from_redirect_markets_low"], x["from_redirect_markets"]),
            "limited_by": x["limited_by"], "basis": f"{x['supply_basis']} / {x['reference_basis']}",
        })
    df = pd.DataFrame(rows)
    df.attrs["to"] = "+".join(s.redirect.to)
    df.attrs["from"] = "+".join(s.redirect.from_)
    return df


def print_result(out: Console, res) -> None:
    """Print one scenario year: headline, explanations, deliveries, binding constraints."""
    s = res.scenario
    y = res.manifest["year"]
    to, frm = "+".join(s.redirect.to), "+".join(s.redirect.from_)
    policies = s.policies if isinstance(s.policies, str) else ",".join(s.policies)
    out.print(f"[bold]{s.name}[/bold] — {y}: redirect {frm} -> {to}; supply={s.supply}, capacity={s.capacity}, "
              f"policies={policies}")
    h = headline(res)
    cols = ["commodity", "max_to", "max_to_physical", "split", "from", "limited_by", "unit"]
    if (h["max_to"] == h["max_to_physical"]).all():
        cols.remove("max_to_physical")
    out.print(table(h, f"Most {to} can receive with every contract honoured", cols,
                    headers={"max_to": "max_to", "max_to_physical": "no policies",
                             "split": "split (least-most)", "from": f"from {frm}"}))
    for _, x in res.redirect.iterrows():
        out.print(f"[bold]{x['commodity']}[/bold] limited by {x['limited_by']}: {x['limiting_factor']}",
                  highlight=False)
        if abs(x["max_to_own"] - x["max_to"]) > 0.005:
            out.print(f"  {x['commodity']} alone could reach {num(x['max_to_own'])} {x['unit']} "
                      f"(the joint optimum maximises energy over all commodities)", highlight=False)
        if x["supply_basis"] != "observed" or x["reference_basis"] != "observed":
            out.print(f"  basis: output {x['supply_basis']}, reference {x['reference_basis']}", highlight=False)
    out.print(table(res.summary, "Deliveries by market",
                    ["commodity", "country", "role", "baseline", "reference", "contracted", "optimized", "change",
                     "unit"], {"baseline", "reference", "contracted", "optimized", "change"}))
    out.print(f"[dim]{REFERENCE_NOTE}[/dim]")
    total = res.redirect["redirected_pj"].sum()
    from_pj = sum(v * pj_per_unit(c) for c, v in zip(res.redirect["commodity"], res.redirect["from_redirect_markets"]))
    out.print(f"Redirected to {to}: {total:.1f} PJ/yr (from {frm}: {from_pj:.1f} PJ/yr)", highlight=False)
    top = res.constraints.head(8)
    if len(top):
        out.print(table(top, f"Binding constraints (marginal: more to {to} per unit more limit, energy-equivalent)",
                        ["description", "limit", "unit", "marginal"], {"limit", "marginal"}))


def print_compare(out: Console, df: pd.DataFrame) -> None:
    """The comparison, one block per scenario (a title row, then one row per commodity), so it
    fits 80 columns."""
    rows, notes = [], []
    for name, g in df.groupby("scenario", sort=False):
        year = str(g["year"].iloc[0])
        if (g["status"] == "infeasible").any():
            notes.append(f"{name}: {g['limiting_factor'].iloc[0]}")
            rows.append({"what": f"{name} ({year}): infeasible*"})
            continue
        base_bad = str(g["base_status"].iloc[0]).startswith("infeasible")
        if base_bad:
            notes.append(f"{name} without its changes: {g['base_status'].iloc[0][len('infeasible: '):]}")
        rows.append({"what": f"{name} ({year})"})
        for _, x in g.iterrows():
            rows.append({
                "what": f"  {x['commodity']}", "max_to": num(x["max_to"]),
                "no policies": "" if abs(x["max_to_physical"] - x["max_to"]) < 0.005 else num(x["max_to_physical"]),
                "from": _range(x["from_redirect_markets_low"], x["from_redirect_markets"]),
                "effect": "n/a*" if base_bad else ("" if x["effect"] != x["effect"] else f"{x['effect']:+.2f}"),
                "limited_by": x["limited_by"]})
    t = pd.DataFrame(rows).fillna("")
    out.print(table(t, "Headline results (crude and LNG Mt/yr, gas bcm/yr): max_to = most the `to` markets can "
                    "receive (physical: without policies, where they bind); from = what the `from` markets give "
                    "up (reference serving them last-first); effect = change of max_to against the scenario "
                    "without its changes",
                    ["what", "max_to", "no policies", "from", "effect", "limited_by"],
                    headers={"what": "scenario / commodity", "no policies": "physical"}))
    for n in notes:
        out.print(f"* {n}", markup=False, highlight=False)
