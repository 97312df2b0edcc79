"""Scenario option ``capacity: hydraulic | min``: pipeline capacities from physics.

Pipeline arcs whose rows carry hydraulic specs (see ``HYDRAULIC_COLUMNS`` in
:mod:`flowmodel.schema`) get their capacity from :func:`flowmodel.hydraulics.max_throughput`
(``hydraulic``) or the smaller of that and the nameplate (``min``); arcs without specs
keep their nameplate.  After a solve, :func:`hydraulic_check` tests the flows.
Imports pandapipes (through :mod:`flowmodel.hydraulics`) only when called.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .network import Network


def _specs(arcs: pd.DataFrame):
    from .hydraulics import spec_from_arc

    for i, row in arcs.iterrows():
        if row["mode"] != "pipeline" or row["commodity"] not in ("gas", "crude"):
            continue
        spec = spec_from_arc(row.to_dict())
        if spec is not None:
            yield i, row, spec


def hydraulic_capacities(net: Network, mode: str) -> Network:
    """Copy of ``net`` with pipeline capacities replaced per ``mode`` (``hydraulic`` or ``min``).

    The nameplate is kept in column ``nameplate_capacity`` and the method in ``capacity_basis``.
    """
    from .hydraulics import max_throughput

    arcs = net.arcs.copy()
    arcs["nameplate_capacity"] = arcs["capacity"]
    arcs["capacity_basis"] = "nameplate"
    for i, row, spec in _specs(arcs):
        hyd = max_throughput(spec).value
        name = row["capacity"]
        if mode == "hydraulic" or pd.isna(name):
            arcs.at[i, "capacity"] = hyd
            arcs.at[i, "capacity_basis"] = "hydraulic"
        else:
            arcs.at[i, "capacity"] = min(hyd, name)
            arcs.at[i, "capacity_basis"] = "hydraulic" if hyd < name else "nameplate"
    t = dict(net.tables)
    t["arcs"] = arcs
    return replace(net, tables=t)


def hydraulic_check(net: Network, flows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Check solved pipeline flows against hydraulic capacity.

    Parameters
    ----------
    flows : DataFrame
        ``flows.csv`` of a result (columns ``arc``, ``flow``).

    Returns
    -------
    DataFrame
        ``arc, flow, hydraulic_capacity, feasible, excess, unit, limiting`` for every
        pipeline arc active in ``year`` with hydraulic specs; empty when there are none.
    """
    from .hydraulics import check_flow
    from .network import active_mask

    arcs = net.arcs[active_mask(net.arcs, year)]
    flow = flows.set_index("arc")["flow"].to_dict()
    rows = []
    for _, row, spec in _specs(arcs):
        f = float(flow.get(row["id"], 0.0))
        chk = check_flow(spec, f)
        rows.append({"arc": row["id"], "flow": round(f, 6), "hydraulic_capacity": round(chk.capacity, 6),
                     "feasible": bool(chk.feasible), "excess": round(max(0.0, chk.excess), 6), "unit": chk.unit,
                     "limiting": getattr(chk, "limiting", "")})
    return pd.DataFrame(rows, columns=["arc", "flow", "hydraulic_capacity", "feasible", "excess", "unit",
                                       "limiting"])
