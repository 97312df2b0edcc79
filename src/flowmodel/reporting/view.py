"""What the charts of one result show, as plain tables: nodes at map positions, arcs with
reference and optimum flows, binding assets, hover text and the source row of each.

Both renderers (plotly for the HTML, matplotlib for the PNGs) draw from these tables.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pandas as pd

from ..network import Network, active_mask
from ..units import pj_per_unit, unit_of
from .sources import Sources

COLORS = {"crude": "#8c510a", "gas": "#01665e", "lng": "#35978f"}
LIGHT = {"crude": "#dfc27d", "gas": "#80cdc1", "lng": "#a6dbd3"}
MODE_DASH = {"pipeline": "solid", "rail": "dot", "tanker": "dash", "lng_carrier": "dashdot"}
MODE_WORD = {"pipeline": "pipeline", "rail": "rail", "tanker": "tanker", "lng_carrier": "LNG carrier"}
BINDING = "#d7301f"
LAT0 = 50.0  # standard parallel of the equirectangular map (degrees)
ASPECT = 1.0 / math.cos(math.radians(LAT0))  # screen length of 1 degree latitude / 1 degree longitude


@lru_cache(maxsize=1)
def basemap() -> dict:
    """Natural Earth land and borders of the map window (see ``data/basemap_east_asia.json``)."""
    text = resources.files("flowmodel").joinpath("data/basemap_east_asia.json").read_text(encoding="utf-8")
    return json.loads(text)


def col(df: pd.DataFrame, *names: str) -> pd.Series:
    """The first of ``names`` that ``df`` has (result columns may be renamed; one place to map them)."""
    for n in names:
        if n in df.columns:
            return df[n]
    return pd.Series([float("nan")] * len(df), index=df.index, dtype=float)


def num(v) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return float("nan")
    return f


def fmt(v, digits: int = 2) -> str:
    f = num(v)
    if math.isnan(f):
        return "–"
    if f == 0:
        return "0"
    if abs(f) < 1:
        return f"{f:.3g}"  # 0.065 stays 0.065, not 0.07
    return f"{f:,.{digits}f}"


def short(name: str) -> str:
    """A node's name up to its first parenthesis or comma."""
    for sep in (" (", ", "):
        if sep in name:
            name = name.split(sep, 1)[0]
    return name.strip()


def lon_east(lon: float) -> float:
    """Longitude on the map: west of 100°W counts east of the antimeridian (+360)."""
    return lon + 360.0 if lon < -100.0 else lon


@dataclass
class MapView:
    """Nodes and arcs of one result year ready to draw."""

    nodes: pd.DataFrame   # id name kind country commodity lon lat placed binding hover anchor
    arcs: pd.DataFrame    # arc from to commodity mode flow reference_flow capacity utilization unit
    #                       flow_pj reference_pj binding marginal x0 y0 x1 y1 hover anchor
    extent: tuple[float, float, float, float]  # lon0 lat0 lon1 lat1
    notes: list[str]
    redirect_to: list[str]


def _positions(nodes: pd.DataFrame) -> tuple[dict[str, tuple[float, float]], dict[str, str]]:
    """Map position per node id; nodes without coordinates are drawn at a market node of the
    same country (said in ``placed``) or, failing that, as a stub at the map's west edge."""
    pos: dict[str, tuple[float, float]] = {}
    placed: dict[str, str] = {}
    first = nodes.drop_duplicates("id")
    for _, r in first.iterrows():
        if not (math.isnan(num(r["lat"])) or math.isnan(num(r["lon"]))):
            pos[r["id"]] = (lon_east(float(r["lon"])), float(r["lat"]))
    for _, r in first.iterrows():
        if r["id"] in pos:
            continue
        same = first[(first["country"] == r["country"]) & (first["kind"] == "market") & first["id"].isin(list(pos))]
        if len(same):
            anchor = same["id"].iloc[0]
            pos[r["id"]] = pos[anchor]
            placed[r["id"]] = f"no coordinates in nodes.csv: drawn at {anchor}"
    return pos, placed


def map_view(result, net: Network, sources: Sources) -> MapView:
    """Tables for the map of ``result`` (a :class:`flowmodel.api.Result`) on network ``net``."""
    year = int(result.manifest["year"])
    s = result.scenario
    nodes = net.nodes[active_mask(net.nodes, year)].drop_duplicates("id").copy()
    pos, placed = _positions(net.nodes)
    flows = result.flows.copy()
    arcs_net = net.arcs[active_mask(net.arcs, year)].drop_duplicates("id").set_index("id")
    cons = result.constraints
    bind_arc = {str(r["id"]): r for _, r in cons[cons["kind"] == "arc"].iterrows()}
    bind_node = {str(r["id"]): r for _, r in cons[~cons["kind"].isin(["arc", "contract", "contract_max"])].iterrows()}

    # stubs for nodes without any position (e.g. a European market): west edge, one below the other
    used = [n for n in set(flows["from"]) | set(flows["to"])]
    lons = [pos[n][0] for n in used if n in pos]
    lats = [pos[n][1] for n in used if n in pos]
    win = basemap()["window"]
    lon0 = max(win[0], min(lons) - 6) if lons else win[0]
    lon1 = min(win[2], max(lons) + 6) if lons else win[2]
    lat0 = max(win[1], min(lats) - 4) if lats else win[1]
    lat1 = min(win[3], max(lats) + 5) if lats else win[3]
    notes = []
    k = 0
    for n in sorted(used):
        if n not in pos:
            pos[n] = (lon0 + 1.5, lat1 - 12 - 5 * k)
            k += 1
            placed[n] = "no coordinates and no market of its country on the map: drawn at the west edge"
            notes.append(f"{n} has no coordinates: drawn as a stub at the west edge of the map")
    for n, why in sorted(placed.items()):
        if why.startswith("no coordinates in"):
            notes.append(f"{n}: {why}")

    # arcs
    max_pj = max([1e-9] + [max(num(f), num(r)) * pj_per_unit(c) for f, r, c in
                            zip(flows["flow"], col(flows, "reference_flow"), flows["commodity"])
                            if not math.isnan(max(num(f), num(r)))])
    rows = []
    for _, f in flows.iterrows():
        a = str(f["arc"])
        mode = str(arcs_net.at[a, "mode"]) if a in arcs_net.index else ""
        x0, y0 = pos.get(f["from"], (float("nan"),) * 2)
        x1, y1 = pos.get(f["to"], (float("nan"),) * 2)
        anchor = sources.anchor("arcs", a)
        b = bind_arc.get(a)
        flow, ref = num(f["flow"]), num(f.get("reference_flow"))
        unit = f["unit"]
        cap = num(f["capacity"])
        hover = (f"<b>{a}</b> ({MODE_WORD.get(mode, mode)}, {f['commodity']})<br>"
                 f"{_name(nodes, f['from'])} → {_name(nodes, f['to'])}<br>"
                 f"capacity: {fmt(cap) if not math.isnan(cap) else 'no limit in the data'} {unit if not math.isnan(cap) else ''}<br>"
                 f"flow at the optimum: {fmt(flow)} {unit}; reference: {fmt(ref)} {unit}<br>"
                 f"utilisation: {fmt(100 * num(f['utilization']), 0) + ' %' if not math.isnan(num(f['utilization'])) else '–'}")
        if b is not None:
            hover += (f"<br><b>binding</b>: one more {unit} of capacity → {fmt(b['marginal'], 3)} {unit} "
                      f"more to {'+'.join(s.redirect.to)} (energy-equivalent)")
        hover += f"<br>source: {_wrap(sources.cite(anchor, 220))}"
        rows.append({
            "arc": a, "from": f["from"], "to": f["to"], "commodity": f["commodity"], "mode": mode,
            "flow": flow, "reference_flow": ref, "capacity": cap, "utilization": num(f["utilization"]), "unit": unit,
            "flow_pj": flow * pj_per_unit(f["commodity"]), "reference_pj": ref * pj_per_unit(f["commodity"]),
            "width": 1.0 + 9.0 * math.sqrt(max(flow, 0) * pj_per_unit(f["commodity"]) / max_pj),
            "reference_width": 1.0 + 9.0 * math.sqrt(max(ref, 0) * pj_per_unit(f["commodity"]) / max_pj),
            "binding": b is not None, "marginal": num(b["marginal"]) if b is not None else float("nan"),
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "hover": hover, "anchor": anchor,
        })
    arcs = pd.DataFrame(rows)

    # nodes on the map: those any arc in service touches
    out_rows = []
    for _, r in nodes.iterrows():
        n = r["id"]
        if n not in used or n not in pos:
            continue
        b = bind_node.get(n)
        anchor = sources.anchor("nodes", n)
        inflow = float(flows.loc[flows["to"] == n, "flow"].sum())
        outflow = float(flows.loc[flows["from"] == n, "flow"].sum())
        through = inflow if r["kind"] == "market" else outflow if r["kind"] == "supply" else max(inflow, outflow)
        com = r["commodity"]
        cap = num(r["capacity"])
        hover = (f"<b>{r['name']}</b><br>{n}: {r['kind']}, {r['country']}, {com}<br>"
                 f"capacity: {fmt(cap) + ' ' + unit_of(com) if not math.isnan(cap) else 'no limit in the data'}<br>"
                 f"{'deliveries' if r['kind'] == 'market' else 'output' if r['kind'] == 'supply' else 'throughput'}"
                 f" at the optimum: {fmt(through)} {unit_of(com)}")
        if b is not None:
            hover += (f"<br><b>binding</b> ({b['bound']} {fmt(b['limit'])} {b['unit']}): one more {b['unit']} → "
                      f"{fmt(b['marginal'], 3)} {b['unit']} more to {'+'.join(s.redirect.to)} (energy-equivalent)")
        if n in placed:
            hover += f"<br><i>{placed[n]}</i>"
        hover += f"<br>source: {_wrap(sources.cite(anchor, 220))}"
        out_rows.append({"id": n, "name": str(r["name"]), "kind": r["kind"], "country": r["country"],
                         "commodity": com, "lon": pos[n][0], "lat": pos[n][1], "placed": placed.get(n, ""),
                         "binding": b is not None, "hover": hover, "anchor": anchor, "throughput": through})
    nodes_out = pd.DataFrame(out_rows)
    return MapView(nodes=nodes_out, arcs=arcs, extent=(lon0, lat0, lon1, lat1), notes=notes,
                   redirect_to=list(s.redirect.to))


def _name(nodes: pd.DataFrame, n: str) -> str:
    m = nodes.loc[nodes["id"] == n, "name"]
    return short(str(m.iloc[0])) if len(m) else n


def _wrap(text: str, width: int = 70) -> str:
    """Break a long hover line at spaces (plotly does not wrap hover text)."""
    out, line = [], ""
    for w in text.split(" "):
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    out.append(line)
    return "<br>".join(out)


def curve(x0: float, y0: float, x1: float, y1: float, bend: float = 0.08, n: int = 16) -> tuple[list, list]:
    """Points of a gentle quadratic curve from (x0, y0) to (x1, y1), bent to the left of the
    direction of travel (so arcs A->B and B->A, or a route and its parallel, stay apart).
    Computed in screen proportions (latitude stretched by :data:`ASPECT`)."""
    sx, sy = x1 - x0, (y1 - y0) * ASPECT
    cx, cy = (x0 + x1) / 2 - sy * bend, (y0 + y1) / 2 + sx * bend / ASPECT
    xs, ys = [], []
    for i in range(n + 1):
        t = i / n
        xs.append(round((1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t * t * x1, 3))
        ys.append(round((1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t * t * y1, 3))
    return xs, ys


def lon_label(x: float) -> str:
    lon = x - 360 if x > 180 else x
    return f"{abs(lon):g}°{'E' if lon >= 0 else 'W'}" if lon not in (0, 180, -180) else f"{abs(lon):g}°"


def legend_label(com: str, mode: str) -> str:
    if com == "lng" and mode == "lng_carrier":
        return "LNG carrier"
    return f"{'LNG' if com == 'lng' else com} {MODE_WORD.get(mode, mode)}"
