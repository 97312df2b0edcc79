"""Arc capacities from the shipping calculation (``capacity: shipping``).

The arcs named in a network's ``shipping.csv`` get the capacity :func:`flowmodel.shipping.route_capacity`
computes for their route, in every year the arc exists (as ``capacity: hydraulic`` does for
pipelines); the sourced ``capacity_low/high`` of those rows are cleared, so ``estimates: low|high``
do not undo it.
"""

from __future__ import annotations

from dataclasses import replace

from .errors import DataError
from .network import Network
from .shipping import read_routes, route_capacity


def shipping_capacities(net: Network, keep: set[str] | frozenset[str] = frozenset()
                        ) -> tuple[Network, dict[str, float]]:
    """A copy of ``net`` whose shipping arcs carry their computed capacity (except the arcs in
    ``keep``, whose capacity a scenario sets explicitly); and route -> Mt/yr."""
    if net.path is None:
        raise DataError(f"{net.name}: capacity: shipping needs the network's folder (shipping.csv)")
    routes = read_routes(net.path)
    if not routes:
        raise DataError(f"{net.path / 'shipping.csv'}: required for capacity: shipping")
    arcs = net.arcs.copy()
    known = set(arcs["id"])
    caps = {}
    for name, (spec, arc_ids) in routes.items():
        cap = route_capacity(spec).capacity_mt
        caps[name] = cap
        for a in arc_ids:
            if a not in known:
                raise DataError(f"shipping.csv, route '{name}', field 'arcs': unknown arc '{a}'")
            if a in keep:
                continue
            m = arcs["id"] == a
            arcs.loc[m, "capacity"] = cap
            arcs.loc[m, ["capacity_low", "capacity_high"]] = float("nan")
    return replace(net, tables={**net.tables, "arcs": arcs}), caps
