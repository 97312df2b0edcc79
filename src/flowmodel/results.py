"""Result tables of a solved year: summary, redirect decomposition, flows, constraints.

Every figure is read from the solution by family and key
(:meth:`~flowmodel.formulation.Formulation.var`, ``.row``), never by column position.

Decomposition (per commodity, volumes against the reference flow):
``redirected = from_redirect_markets + from_other_markets + from_spare_supply`` where
``from_redirect_markets`` = fall in deliveries to the ``from`` markets,
``from_other_markets`` = fall in deliveries to every other market, and
``from_spare_supply`` = rise in total deliveries of the commodity.  The identity is
exact because every delivery belongs to exactly one of the three groups.

The limiting factor is found independently of the LP duals by :mod:`flowmodel.limits`
(a max-flow/min-cut on the year's capacities, no contracts).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .formulation import Formulation, YearBounds
from .formulation.year_data import SUPPLY_BASES
from .limits import chain_contracts, describe, max_flow_bound
from .question import Redirect
from .solve import YearSolution
from .units import pj_per_unit, unit_of
from .vocabulary import COMMODITY_ORDER, ORIGIN_KINDS

TOL = 1e-6


def _clean(v: float) -> float:
    """The one precision rule of exported figures: 8 significant digits, and 0 below 1e-7
    (HiGHS's feasibility tolerance: differences of solver noise are not figures). A small
    optimum such as 1.55e-6 keeps its digits."""
    v = float(v)
    if not math.isfinite(v):
        return v
    if abs(v) < 1e-7:
        return 0.0
    return float(f"{v:.8g}") + 0.0


def _pj(volume: float, commodity: str) -> float:
    """PJ of a (cleaned) volume, rounded to 4 decimals."""
    return round(_clean(volume) * pj_per_unit(commodity), 4) + 0.0


def supply_basis(form: Formulation, b: YearBounds) -> dict[str, str]:
    """Per commodity, what the origins' output caps rest on: ``observed``, ``estimate``,
    ``projection`` or ``capacity``, joined with ``+`` when origins differ."""
    basis = b.data.supply_basis
    com = form.sets.nodes["commodity"]
    out = {}
    for c in COMMODITY_ORDER:
        vals = set(basis[com.reindex(basis.index).to_numpy() == c])
        out[c] = "+".join(v for v in SUPPLY_BASES if v in vals) or "none"
    return out


def reference_basis(form: Formulation, b: YearBounds) -> dict[str, str]:
    """Per commodity, what the reference flow is fitted to: ``observed`` deliveries (every
    market of the commodity), ``partial`` (some markets observed), ``projection`` (a
    projected row among them) or ``none`` (no observation: the reference serves the
    ``from`` markets first, so ``from_redirect_markets`` is an upper bound)."""
    d = b.data
    keys = form.sets.delivery_keys
    out = {}
    for c in COMMODITY_ORDER:
        idx = [i for i, k in enumerate(keys) if k[1] == c]
        seen = ~np.isnan(d.obs_volume[idx])
        if not idx or not seen.any():
            out[c] = "none"
        elif d.obs_projected[idx][seen].any():
            out[c] = "projection"
        else:
            out[c] = "observed" if seen.all() else "partial"
    return out


def contracted(form: Formulation, b: YearBounds) -> dict[tuple[str, str], float]:
    """Sum of active contract minimums per (buyer country, commodity)."""
    mins = form.row("contract_min", b.row_lower)
    con = form.sets.contracts
    country = con["buyer"].map(form.sets.nodes["country"])
    out: dict[tuple[str, str], float] = {}
    for c, lo in mins.items():
        if lo > 0 and not math.isinf(lo):
            key = (country[c], con.at[c, "commodity"])
            out[key] = out.get(key, 0.0) + lo
    return out


def _ordered_keys(form: Formulation) -> list[tuple[str, str]]:
    return sorted(form.sets.delivery_keys, key=lambda k: (COMMODITY_ORDER.index(k[1]), k[0]))


def summary_table(form: Formulation, sol: YearSolution, redirect: Redirect) -> pd.DataFrame:
    """One row per commodity and market country."""
    ref = form.deliveries(sol.reference.x)
    opt = form.deliveries(sol.optimum.x)
    con = contracted(form, sol.bounds)
    obs = sol.bounds.observed
    basis = supply_basis(form, sol.bounds)
    rows = []
    for key in _ordered_keys(form):
        country, com = key
        seen = key in obs.index
        rows.append({
            "commodity": com, "country": country, "role": redirect.role(country),
            "baseline": _clean(obs.at[key, "volume"]) if seen else float("nan"),
            "reference": _clean(ref[key]), "contracted": _clean(con.get(key, 0.0)),
            "optimized": _clean(opt[key]), "change": _clean(opt[key] - ref[key]),
            "unit": unit_of(com), "optimized_pj": _pj(opt[key], com),
            "change_pj": _pj(_clean(opt[key]) - _clean(ref[key]), com),
            "supply_basis": basis[com],
        })
    return pd.DataFrame(rows)


def flows_table(form: Formulation, sol: YearSolution) -> pd.DataFrame:
    """One row per arc in service: flow, capacity, utilization."""
    opt = form.arc_flows(sol.optimum.x)
    ref = form.arc_flows(sol.reference.x)
    data = sol.bounds.data
    cap = data.arc_series(data.arc_capacity)
    arcs = form.sets.arcs
    names = form.net.nodes.drop_duplicates("id").set_index("id")["name"]
    names = names.where(names.notna() & (names.astype(str).str.strip() != ""), names.index.to_series())
    rows = []
    for a in arcs.index:
        c = float(cap[a])
        if c == 0.0 and opt[a] < TOL:
            continue  # not in service this year
        # a flow at its capacity within the solver's tolerance is reported at the capacity,
        # so no exported flow stands above its own capacity
        for x in (opt, ref):
            if c < x[a] <= c + 1e-6 * max(1.0, c):
                x[a] = c
        rows.append({
            "arc": a, "name": f"{names[arcs.at[a, 'from']]} -> {names[arcs.at[a, 'to']]}",
            "from": arcs.at[a, "from"], "to": arcs.at[a, "to"], "commodity": arcs.at[a, "commodity"],
            "flow": _clean(opt[a]), "reference_flow": _clean(ref[a]),
            "capacity": c if not math.isinf(c) else float("nan"),
            "utilization": _clean(opt[a] / c) if 0 < c < math.inf else float("nan"),
            "unit": unit_of(arcs.at[a, "commodity"]),
        })
    return pd.DataFrame(rows)


CONSTRAINT_COLUMNS = ["kind", "id", "commodity", "description", "bound", "limit", "activity", "unit",
                      "marginal_pj", "marginal"]


def _binding_upper(limit: pd.Series, act: pd.Series, positive: bool = True) -> pd.Series:
    fin = np.isfinite(limit) & ((limit > 0) if positive else True)
    return fin & (act >= limit - 1e-6 * np.maximum(1.0, limit.abs()))


def _output_bound(basis: str) -> str:
    return {"observed": "observed output", "estimate": "observed output",
            "projection": "projected output"}.get(basis, "capacity")


def constraints_table(form: Formulation, sol: YearSolution) -> pd.DataFrame:
    """Binding capacity and contract rows at stage O1 with their marginal values.

    ``marginal_pj``: PJ/yr more (negative: less) delivered to the ``to`` markets per
    one more unit of the limit; ``marginal`` expresses it in the row's own unit
    (energy-equivalent), e.g. Mt/yr of crude per Mt/yr of port capacity.
    """
    st, b = sol.first, sol.bounds
    sets = form.sets
    basis = b.data.supply_basis
    rows = []

    def add(kind, rid, com, bound, limit, act, dual):
        rows.append({"kind": kind, "id": rid, "commodity": com,
                     "description": describe(form, kind if kind in ("arc", "contract", "contract_max") else "node",
                                             rid),
                     "bound": bound, "limit": _clean(limit), "activity": _clean(act), "unit": unit_of(com),
                     "marginal_pj": _clean(-dual), "marginal": _clean(-dual / pj_per_unit(com))})

    for fam, table in (("node_capacity", sets.nodes), ("arc_capacity", sets.arcs)):
        limit, act = form.row(fam, b.row_upper), form.row(fam, st.row_value)
        dual = form.row(fam, st.row_dual)
        for rid in limit.index[_binding_upper(limit, act)]:
            com = table.at[rid, "commodity"]
            if fam == "arc_capacity":
                add("arc", rid, com, "capacity", limit[rid], act[rid], dual[rid])
                continue
            kind = table.at[rid, "kind"]
            bound = _output_bound(basis.get(rid, "capacity")) if kind in ORIGIN_KINDS else "capacity"
            add(kind, rid, com, bound, limit[rid], act[rid], dual[rid])
    lo, act, dual = (form.row("contract_min", v) for v in (b.row_lower, st.row_value, st.row_dual))
    live = np.isfinite(lo) & (lo > 0) & (act <= lo + 1e-6 * np.maximum(1.0, lo.abs()))
    for c in lo.index[live]:
        add("contract", c, sets.contracts.at[c, "commodity"], "min_volume", lo[c], act[c], dual[c])
    up, act, dual = (form.row("contract_group_max", v) for v in (b.row_upper, st.row_value, st.row_dual))
    for g in up.index[_binding_upper(up, act, positive=False)]:
        add("contract_max", f"{g[0]}->{g[1]}", sets.nodes.at[g[1], "commodity"], "max_volume", up[g], act[g], dual[g])
    df = pd.DataFrame(rows, columns=CONSTRAINT_COLUMNS)
    order = df["marginal_pj"].abs().sort_values(ascending=False, kind="stable").index
    return df.loc[order].reset_index(drop=True)


def _limit_words(form: Formulation, sol: YearSolution, com: str, redirect: Redirect, to_first: float,
                 has_to: bool, constraints: pd.DataFrame) -> tuple[float, str, str]:
    """``(max-flow bound, limiting_kind, limiting_factor)`` of one commodity."""
    to = ", ".join(sorted(redirect.to))
    if not has_to:
        return 0.0, "no market", f"no {com} market in {to} in the network"
    bound, cut = max_flow_bound(form, sol.bounds, com, redirect.to)
    if bound <= TOL:
        return bound, "no route", f"no {com} infrastructure reaches {to} this year"
    if to_first >= bound - 1e-6 * max(1.0, bound):
        kind = "+".join(sorted({k for k, _ in cut}))
        return bound, kind, "infrastructure/supply (min cut): " + "; ".join(label for _, label in cut)
    con = constraints[constraints["kind"].isin(["contract", "contract_max"])
                      & constraints["id"].isin(chain_contracts(form, com))]
    ids = list(con.loc[con["marginal_pj"] < -1e-9, "id"]) or list(con["id"])
    held = bound - to_first
    words = (f"contracts hold back {held:.4g} {unit_of(com)}: " + ", ".join(ids) if ids
             else "contracts and shared capacity")
    return bound, "contract", words + f" (without contracts the network could carry {bound:.4g} {unit_of(com)})"


REDIRECT_COLUMNS = ["commodity", "max_to_physical", "max_to", "max_to_own", "to_reference", "redirected", "from_redirect_markets",
                    "from_redirect_markets_low", "from_other_markets", "from_spare_supply", "redirected_pj", "unit",
                    "to_split", "max_flow_bound", "limited_by", "limiting_factor", "supply_basis", "reference_basis"]


def _decompose(form: Formulation, ref_x: np.ndarray, opt_x: np.ndarray, redirect: Redirect,
               com: str) -> dict[str, float]:
    """Change of deliveries of ``com`` from reference to optimum, by market role."""
    ref, opt = form.deliveries(ref_x), form.deliveries(opt_x)
    d = {"from": 0.0, "to": 0.0, "other": 0.0}
    for k in form.sets.delivery_keys:
        if k[1] == com:
            d[redirect.role(k[0])] += opt[k] - ref[k]
    return d


def _split_words(split: pd.DataFrame | None, com: str) -> str:
    if split is None:
        return ""
    part = split[split["commodity"] == com]
    return "; ".join(f"{r.country} {_clean(r.low):g}-{_clean(r.high):g}" for r in part.itertuples())


def binding_policies(form: Formulation, sol: YearSolution, commodity: str | None = None) -> list[str]:
    """Policies at their limit in the O1 solution (of ``commodity``), most binding first."""
    fam = form.layout.rows["policy"]
    if not fam.size:
        return []
    up = form.row("policy", sol.bounds.row_upper)
    act = form.row("policy", sol.first.row_value)
    dual = form.row("policy", sol.first.row_dual)
    com = form.sets.policies["commodity"]
    hit = np.isfinite(up) & (act >= up - 1e-6 * np.maximum(1.0, up.abs()))
    if commodity is not None:
        hit &= (com == commodity).to_numpy()
    ids = list(up.index[hit])
    return sorted(ids, key=lambda p: dual[p])


def _policy_words(form: Formulation, sol: YearSolution, com: str, held: float, limit: str) -> tuple[str, str]:
    """limited_by / limiting_factor when policies hold volume back (the physical limit after it)."""
    names = form.net.policies.drop_duplicates("id").set_index("id")["name"]
    pols = binding_policies(form, sol, com) or binding_policies(form, sol)
    words = ", ".join(f"{p} ({names.get(p, p)})" for p in pols) or "policy measures"
    return "policy", f"policies hold back {held:.4g} {unit_of(com)}: {words}; without them: {limit}"


def redirect_table(form: Formulation, sol: YearSolution, redirect: Redirect,
                   constraints: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per commodity: the most the ``to`` markets can receive, what moves there and where it came from.

    ``max_to``: deliveries to the ``to`` markets at the joint (PJ) maximum; ``max_to_own``:
    the commodity's own maximum (when commodities compete for the same gas it can be
    higher than its part of the joint one); ``to_split``: the least and most each ``to``
    market can receive at the maximum; ``from_redirect_markets`` /
    ``from_redirect_markets_low``: what the ``from`` markets give up against a reference
    that serves them first / last where the observed ranges leave room.
    """
    ref = form.deliveries(sol.reference.x)
    opt = form.deliveries(sol.optimum.x)
    first = form.deliveries(sol.first.x)
    if constraints is None:
        constraints = constraints_table(form, sol)
    basis = supply_basis(form, sol.bounds)
    ref_basis = reference_basis(form, sol.reference_bounds)
    rows = []
    for com in COMMODITY_ORDER:
        keys = [k for k in form.sets.delivery_keys if k[1] == com]
        if not keys:
            continue
        to_keys = [k for k in keys if redirect.role(k[0]) == "to"]
        d = _decompose(form, sol.reference.x, sol.optimum.x, redirect, com)
        to_ref = sum(ref[k] for k in to_keys)
        to_opt = sum(opt[k] for k in to_keys)
        to_first = sum(first[k] for k in to_keys)
        physical = to_first
        if sol.physical is not None:
            phys = form.deliveries(sol.physical.x)
            physical = sum(phys[k] for k in to_keys)
        bound, kind, limit = _limit_words(form, sol, com, redirect, physical, bool(to_keys), constraints)
        if physical > to_first + 1e-6 * max(1.0, physical):
            kind, limit = _policy_words(form, sol, com, physical - to_first, limit)
        low = float("nan")
        if sol.reference_last is not None and sol.optimum_last is not None:
            low = -_decompose(form, sol.reference_last.x, sol.optimum_last.x, redirect, com)["from"]
        own = (sol.own_max or {}).get(com, float("nan")) if to_keys else 0.0
        redirected = _clean(to_opt) - _clean(to_ref)
        rows.append({
            "commodity": com, "max_to_physical": _clean(physical), "max_to": _clean(to_opt), "max_to_own": _clean(own) if own == own else own,
            "to_reference": _clean(to_ref), "redirected": _clean(redirected),
            "from_redirect_markets": _clean(-d["from"]),
            "from_redirect_markets_low": _clean(low) if low == low else low,
            "from_other_markets": _clean(-d["other"]),
            "from_spare_supply": _clean(d["from"] + d["to"] + d["other"]),
            "redirected_pj": _pj(redirected, com), "unit": unit_of(com),
            "to_split": _split_words(sol.splits, com),
            "max_flow_bound": _clean(bound) if not math.isinf(bound) else float("nan"),
            "limited_by": kind, "limiting_factor": limit, "supply_basis": basis[com],
            "reference_basis": ref_basis[com],
        })
    return pd.DataFrame(rows, columns=REDIRECT_COLUMNS)


def splits_table(sol: YearSolution) -> pd.DataFrame:
    """Least and most each ``to`` market can receive of each commodity at the maximum."""
    cols = ["commodity", "country", "low", "high", "unit"]
    if sol.splits is None or sol.splits.empty:
        return pd.DataFrame(columns=cols)
    df = sol.splits.copy()
    df["low"] = df["low"].map(_clean)
    df["high"] = df["high"].map(_clean)
    df["unit"] = df["commodity"].map(unit_of)
    order = df["commodity"].map(COMMODITY_ORDER.index)
    return df.assign(_o=order).sort_values(["_o", "country"], kind="stable").drop(columns="_o")[cols] \
        .reset_index(drop=True)
