"""Build src/flowmodel/data/basemap_east_asia.json: land outlines and country borders of
Natural Earth 1:50m (public domain), cropped to the map window of the report, simplified.

Input: ``countries-50m.json`` of the npm package ``world-atlas`` 2.0.2 (a TopoJSON
redistribution of Natural Earth 4.1.0 Admin 0 countries, ISC licence), e.g.::

    npm install world-atlas@2.0.2
    python tools/make_basemap.py node_modules/world-atlas/countries-50m.json

Needs shapely (development only; the report reads the JSON written here).  Output is
deterministic: same input, same bytes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, box
from shapely.ops import linemerge, unary_union

WINDOW = (25.0, -5.0, 200.0, 82.0)  # lon min, lat min, lon max, lat max (lon > 180 = east of the antimeridian)
TOLERANCE = 0.04                      # degrees, Douglas-Peucker
DIGITS = 2
OUT = Path(__file__).resolve().parents[1] / "src" / "flowmodel" / "data" / "basemap_east_asia.json"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(arcs, idx: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in idx:
        seg = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(seg if not pts else seg[1:])
    return pts


def unwrap(pts):
    """Longitudes made continuous along a ring or line (TopoJSON of world-atlas is spherical:
    Russia's ring jumps from +180 to -180 in Chukotka)."""
    out, off, prev = [], 0.0, None
    for x, y in pts:
        if prev is not None and abs(x + off - prev) > 180.0:
            off += 360.0 if prev > x + off else -360.0
        out.append((x + off, y))
        prev = x + off
    return out


def in_window(geom):
    """``geom`` cut to the window, together with its copy moved east by 360° (Alaska and the
    Bering Strait appear east of Chukotka)."""
    from shapely.affinity import translate

    win = box(*WINDOW)
    return unary_union([geom.intersection(win), translate(geom, xoff=360.0).intersection(win)])


def polygons(arcs, geom) -> list[Polygon]:
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    out = []
    for rings in polys:
        rr = [unwrap(ring(arcs, r)) for r in rings]
        if min(y for _, y in rr[0]) < -60:  # Antarctica: its ring wraps the pole
            continue
        out.append(Polygon(rr[0], rr[1:]).buffer(0))
    return out


def coords(line) -> list[float]:
    flat: list[float] = []
    for x, y in line.coords:
        flat += [round(x, DIGITS), round(y, DIGITS)]
    return flat


def lines_of(geom) -> list:
    if geom.is_empty:
        return []
    if isinstance(geom, (LineString,)):
        return [geom]
    if isinstance(geom, (MultiLineString,)):
        return list(geom.geoms)
    if hasattr(geom, "geoms"):
        return [g for sub in geom.geoms for g in lines_of(sub)]
    return []


def main(src: str) -> None:
    topo = json.loads(Path(src).read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    land = unary_union([p for g in topo["objects"]["land"]["geometries"] for p in polygons(arcs, g)])
    land = in_window(land).simplify(TOLERANCE, preserve_topology=True)
    land_polys = list(land.geoms) if isinstance(land, MultiPolygon) else [land]
    land_polys = sorted((p for p in land_polys if isinstance(p, Polygon) and p.area > 0.02),
                        key=lambda p: (-p.area, p.bounds))
    # borders: arcs shared by two countries
    use: dict[int, int] = {}
    for g in topo["objects"]["countries"]["geometries"]:
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        for rings in polys:
            for r in rings:
                for i in r:
                    k = i if i >= 0 else ~i
                    use[k] = use.get(k, 0) + 1
    shared = [LineString(unwrap(arcs[k])) for k, n in sorted(use.items()) if n >= 2 and len(arcs[k]) > 1]
    borders = linemerge(lines_of(in_window(unary_union(shared))))
    borders = [ln.simplify(TOLERANCE) for ln in lines_of(borders)]
    borders = sorted((b for b in borders if b.length > 0.05), key=lambda b: b.coords[0])
    out = {
        "attribution": "Made with Natural Earth (public domain): Admin 0 countries 1:50m, v4.1.0, "
                       "via the world-atlas 2.0.2 TopoJSON (ISC licence, M. Bostock); cropped to "
                       f"lon {WINDOW[0]:g}..{WINDOW[2]:g} (east of 180 = west longitudes + 360), "
                       f"lat {WINDOW[1]:g}..{WINDOW[3]:g}, simplified to {TOLERANCE:g} degrees.",
        "window": list(WINDOW),
        "land": [{"outer": coords(p.exterior), "holes": [coords(h) for h in p.interiors]} for p in land_polys],
        "borders": [coords(b) for b in borders],
    }
    text = json.dumps(out, separators=(",", ":"), sort_keys=True) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(text):,} bytes; {len(land_polys)} land polygons, {len(borders)} border lines)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "node_modules/world-atlas/countries-50m.json")
