"""Historical check: do the observed deliveries fit the network of each year?"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .api import find_project_dir, parse_years
from .errors import FlowModelError
from .model import FlowModel
from .network import Network, read_network
from .results import _describe
from .solve import Solver
from .units import unit_of


def check(network: str | Path | Network | None = None, years: Iterable[int] | None = None,
          progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Historical check: are the observed deliveries feasible in the network of each year?

    For every year with baseline data, an elastic solve fits the observed
    deliveries (within their low/high range) into that year's network with output
    capped at observed production.  One row per inconsistency: ``year, kind
    (capacity/contract/delivery), id, description, limit, needed, excess, unit``;
    a year with no row is consistent (it still gets an ``ok`` row).
    """
    if network is None:
        network = find_project_dir() / "networks" / "east_asia"
    net = network if isinstance(network, Network) else read_network(network)
    fm = FlowModel(net)
    all_years = sorted(set(int(y) for y in net.baseline["year"]))
    years = all_years if years is None else [y for y in parse_years(years) if y in all_years]
    if not years:
        raise FlowModelError(f"{net.name}: no baseline data for the requested years")
    countries = sorted({k[0] for k in fm.delivery_keys})
    solver = Solver(fm, {countries[0]}, {countries[-1]}, years[0])
    var = fm.cols["var"].to_numpy()
    rows = []
    for y in years:
        st, b = solver.check_year(y)
        found = False
        for k in np.flatnonzero(st.x > 1e-5):
            v = var[k]
            ref = fm.cols.at[k, "ref"]
            if v == "e":
                kind, rid = ref
                r = fm.cap_row_index[ref]
                com = fm.node_com[rid] if kind == "node" else fm.arc_com[rid]
                rows.append({"year": y, "status": "inconsistent", "kind": "capacity", "id": rid,
                             "description": _describe(fm, kind, rid), "limit": b.row_upper[r],
                             "needed": b.row_upper[r] + st.x[k], "excess": st.x[k], "unit": unit_of(com)})
            elif v == "s":
                r = fm.contract_row_index[ref]
                com = fm.contract_com[ref]
                rows.append({"year": y, "status": "inconsistent", "kind": "contract", "id": ref,
                             "description": _describe(fm, "contract", ref), "limit": b.row_lower[r],
                             "needed": b.row_lower[r] - st.x[k], "excess": st.x[k], "unit": unit_of(com)})
            elif v in ("p", "m") and ref in b.observed:  # unobserved markets are free, not errors
                country, com = ref
                lo, hi, vol = b.observed[ref]
                rows.append({"year": y, "status": "inconsistent", "kind": "delivery", "id": f"{country}/{com}",
                             "description": f"observed {com} deliveries to {country} cannot be "
                                            f"{'carried' if v == 'm' else 'that low'}",
                             "limit": vol, "needed": vol - st.x[k] if v == "m" else vol + st.x[k],
                             "excess": st.x[k], "unit": unit_of(com)})
            else:
                continue
            found = True
        if not found:
            rows.append({"year": y, "status": "ok", "kind": "", "id": "", "description": "observed deliveries fit",
                         "limit": math.nan, "needed": math.nan, "excess": 0.0, "unit": ""})
        if progress:
            progress(y)
    df = pd.DataFrame(rows)
    for c in ("limit", "needed", "excess"):
        df[c] = df[c].astype(float).round(6)
    return df
