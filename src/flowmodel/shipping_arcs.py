"""Scenario option ``capacity: shipping``: LNG/tanker route capacities from fleet and voyage data.

Routes in the network folder's ``shipping.csv`` name the arcs they set.  For every year a
route row covers, the arcs get the capacity computed by :func:`flowmodel.shipping.route_capacity`
(arc rows are split by year where the route's rows change); years without a route row keep
the arcs' own capacity, and so do arc rows a scenario marked ``status: counterfactual``
(the scenario's change wins, e.g. ``whatif_nsr_closed`` sets ``yamal_nsr_east`` to 0).
A ``joint`` route (several arcs from one node sharing one capacity,
e.g. all transshipped westbound cargoes) is expressed by a junction ``<route>_hub`` that the
arcs now leave from, fed by a new arc ``<route>`` carrying the capacity.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pandas as pd

from .errors import DataError
from .network import Network, file_hash
from .shipping import Route, read_routes, route_capacity

INF = math.inf


def _span(row) -> tuple[float, float]:
    s, e = row["start_year"], row["end_year"]
    return (-INF if pd.isna(s) else float(s), INF if pd.isna(e) else float(e))


def _pieces(lo: float, hi: float, routes: list[Route]) -> list[tuple[float, float, Route | None]]:
    """Split ``[lo, hi]`` into year spans, each covered by one route row or by none."""
    cuts = []
    for r in routes:
        a, b = float(r.start_year), INF if r.end_year is None else float(r.end_year)
        a, b = max(a, lo), min(b, hi)
        if a <= b:
            cuts.append((a, b, r))
    cuts.sort(key=lambda c: c[0])
    out: list[tuple[float, float, Route | None]] = []
    at = lo
    for a, b, r in cuts:
        if a > at:
            out.append((at, a - 1, None))
        out.append((a, b, r))
        at = b + 1
    if at <= hi and at != INF:
        out.append((at, hi, None))
    return out


def _set_years(row: pd.Series, a: float, b: float) -> pd.Series:
    row = row.copy()
    row["start_year"] = float("nan") if a == -INF else a
    row["end_year"] = float("nan") if b == INF else b
    return row


def _with_capacity(row: pd.Series, r: Route) -> pd.Series:
    row = row.copy()
    res = route_capacity(r.spec)
    row["capacity"] = round(res.capacity_mt, 6)
    row["capacity_low"] = float("nan")
    row["capacity_high"] = float("nan")
    row["capacity_basis"] = f"shipping:{r.route}"
    return row


def shipping_capacities(net: Network, routes: list[Route] | None = None) -> Network:
    """Copy of ``net`` whose arcs named in ``shipping.csv`` take the shipping capacity.

    ``routes`` default: read from ``net.path / 'shipping.csv'``.  The arcs' previous
    capacity is kept in ``nameplate_capacity``, the method in ``capacity_basis``
    (``shipping:<route>`` or ``nameplate``).
    """
    hashes = dict(net.hashes)
    if routes is None:
        if net.path is None:
            raise DataError("capacity: shipping needs shipping.csv, but the network has no folder")
        routes = read_routes(net.path)
        hashes["shipping.csv"] = file_hash(Path(net.path) / "shipping.csv")
    arcs = net.arcs.copy()
    nodes = net.nodes.copy()
    arcs["nameplate_capacity"] = arcs["capacity"]
    arcs["capacity_basis"] = "nameplate"
    by_route: dict[str, list[Route]] = {}
    for r in routes:
        by_route.setdefault(r.route, []).append(r)
    known = set(arcs["id"])
    for name, rows in by_route.items():
        first = rows[0]
        for a in first.arcs:
            if a not in known:
                raise DataError(f"shipping.csv row {first.line}, field 'arcs': unknown arc '{a}'")
        if first.joint:
            arcs, nodes = _joint(arcs, nodes, name, rows)
        else:
            # rows a scenario changed (status 'counterfactual', e.g. a closed route) keep the scenario's value
            keep = ~arcs["id"].isin(first.arcs) | (arcs["status"] == "counterfactual")
            new = []
            for _, row in arcs[~keep].iterrows():
                for lo, hi, hit in _pieces(*_span(row), rows):
                    piece = _set_years(row, lo, hi)
                    new.append(piece if hit is None else _with_capacity(piece, hit))
            arcs = pd.concat([arcs[keep], pd.DataFrame(new)], ignore_index=True)
    t = dict(net.tables)
    t["arcs"] = arcs.reset_index(drop=True)
    t["nodes"] = nodes.reset_index(drop=True)
    from .validate import check_network

    msgs = check_network(t)
    if msgs:
        raise DataError(f"shipping.csv: after setting shipping capacities, {msgs[0]}")
    return replace(net, tables=t, hashes=hashes)


def _joint(arcs: pd.DataFrame, nodes: pd.DataFrame, name: str, rows: list[Route]):
    first = rows[0]
    members = arcs[arcs["id"].isin(first.arcs)]
    origins = sorted(set(members["from"]))
    if len(origins) != 1:
        raise DataError(f"shipping.csv row {first.line}, field 'joint': the arcs of a joint route must leave one "
                        f"node (they leave {', '.join(origins)})")
    origin, hub = origins[0], f"{name}_hub"
    node = nodes[nodes["id"] == origin].iloc[[-1]].copy()
    node["id"] = hub
    node["name"] = f"{name}: shared shipping capacity of {', '.join(first.arcs)}"
    node["kind"] = "junction"
    node["capacity"] = node["capacity_low"] = node["capacity_high"] = float("nan")
    node["start_year"] = node["end_year"] = float("nan")
    node["notes"] = "Added by capacity: shipping (shipping.csv)."
    lo = min(_span(r)[0] for _, r in members.iterrows())
    hi = max(_span(r)[1] for _, r in members.iterrows())
    template = members.iloc[0]
    new = []
    for a, b, r in _pieces(lo, hi, rows):
        row = _set_years(template, a, b)
        row["id"], row["from"], row["to"] = name, origin, hub
        for c in ("length_km", "diameter_mm"):
            if c in row.index:
                row[c] = float("nan")
        row["nameplate_capacity"] = float("nan")
        row["status"] = first.status if r is not None else template["status"]
        row["source"] = r.source if r is not None else template["source"]
        row["notes"] = f"Shared capacity of {', '.join(first.arcs)} (shipping.csv route {name})."
        if r is None:
            row["capacity"] = row["capacity_low"] = row["capacity_high"] = float("nan")
            row["capacity_basis"] = "nameplate"
            new.append(row)
        else:
            new.append(_with_capacity(row, r))
    arcs = arcs.copy()
    arcs.loc[arcs["id"].isin(first.arcs), "from"] = hub
    return pd.concat([arcs, pd.DataFrame(new)], ignore_index=True), pd.concat([nodes, node], ignore_index=True)
