"""Historical check: do the observed deliveries fit the network of each year?"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FlowModelError
from .formulation import Formulation
from .limits import describe
from .network import Network, read_network
from .question import Redirect
from .solve import Solver
from .study import find_project_dir
from .units import unit_of
from .vocabulary import COMMODITY_ORDER, FORWARD_STATUSES
from .years import parse_years

THRESHOLD = 1e-5
#: Stated tolerance of the output = deliveries identity: published annual output and trade
#: figures come from different publishers (calendar vs fiscal years, rounding, stock changes).
IDENTITY_TOLERANCE = 0.05
COLUMNS = ["year", "status", "kind", "id", "description", "limit", "needed", "excess", "unit"]


def _year_rows(form: Formulation, solver: Solver, year: int) -> list[dict]:
    """Inconsistencies of one year, read by family from the elastic solve."""
    st, b = solver.check_year(year)
    sets = form.sets
    rows = []
    for fam, kind, table in (("node_overflow", "node", sets.nodes), ("arc_overflow", "arc", sets.arcs)):
        over = form.var(fam, st.x)
        limit = form.row(kind + "_capacity", b.row_upper)
        for rid, v in over[over > THRESHOLD].items():
            rows.append({"kind": "capacity", "id": rid, "description": describe(form, kind, rid),
                         "limit": limit[rid], "needed": limit[rid] + v, "excess": v,
                         "unit": unit_of(table.at[rid, "commodity"])})
    under = form.var("node_underflow", st.x)
    floor = form.row("node_capacity", b.row_lower)
    for rid, v in under[under > THRESHOLD].items():
        rows.append({"kind": "output", "id": rid,
                     "description": f"recorded output of {rid} cannot all be delivered within the observed ranges",
                     "limit": floor[rid], "needed": floor[rid] - v, "excess": v,
                     "unit": unit_of(sets.nodes.at[rid, "commodity"])})
    short = form.var("shortfall", st.x)
    minimum = form.row("contract_min", b.row_lower)
    for c, v in short[short > THRESHOLD].items():
        rows.append({"kind": "contract", "id": c, "description": describe(form, "contract", c),
                     "limit": minimum[c], "needed": minimum[c] - v, "excess": v,
                     "unit": unit_of(sets.contracts.at[c, "commodity"])})
    obs = b.observed
    for fam, word in (("delivery_deficit", "carried"), ("delivery_excess", "that low")):
        dev = form.var(fam, st.x)
        for key, v in dev[dev > THRESHOLD].items():
            if key not in obs.index:
                continue  # unobserved markets are free, not errors
            country, com = key
            vol = obs.at[key, "volume"]
            rows.append({"kind": "delivery", "id": f"{country}/{com}",
                         "description": f"observed {com} deliveries to {country} cannot be {word}",
                         "limit": vol, "needed": vol - v if fam == "delivery_deficit" else vol + v,
                         "excess": v, "unit": unit_of(com)})
    return [{"year": year, "status": "inconsistent", **r} for r in rows]


def identity_rows(form: Formulation, data, year: int) -> list[dict]:
    """Point identities per commodity: the recorded output of the year's origins equals the
    observed deliveries (their point values) within :data:`IDENTITY_TOLERANCE` plus the
    published ranges of the outputs.  Only where every origin in service has a recorded
    output and every market of the commodity an observation (projections excluded); for
    pipeline gas, the gas liquefied (recorded LNG / 0.735) is taken out first."""
    from .units import LNG_MT_PER_BCM

    sets = form.sets
    com = sets.nodes["commodity"].to_numpy()
    kind = sets.nodes["kind"].to_numpy()
    live = (data.node_capacity > 0) & sets.is_origin().to_numpy()
    keys = sets.delivery_keys
    rows = []
    for c in COMMODITY_ORDER:
        origins = np.flatnonzero(live & (com == c))
        k = [i for i, key in enumerate(keys) if key[1] == c]
        if not len(origins) or not k:
            continue
        vol = data.output_volume[origins]
        seen = ~np.isnan(data.obs_volume[k]) & ~data.obs_projected[k]
        if np.isnan(vol).any() or not seen.all() or (data.basis[origins] == "projection").any():
            continue
        produced = float(vol.sum())
        spread = float((vol - data.output_floor[origins]).sum())
        if c == "gas":
            plants = np.flatnonzero(live & (kind == "liquefaction"))
            lng = data.output_volume[plants]
            if np.isnan(lng).any():
                continue
            produced -= float(lng.sum()) / LNG_MT_PER_BCM
        delivered = float(data.obs_volume[k].sum())
        tol = IDENTITY_TOLERANCE * abs(produced) + spread
        if abs(delivered - produced) <= tol:
            continue
        parts = ", ".join(f"{sets.nodes.index[i]} {v:g}" for v, i in sorted(zip(vol, origins), reverse=True))
        rows.append({"kind": "identity", "id": c,
                     "description": f"recorded {c} output {produced:.4g} ({parts}) vs observed deliveries "
                                    f"{delivered:.4g}: more apart than the {IDENTITY_TOLERANCE:.0%} tolerance "
                                    f"({tol:.3g}); one of these figures is wrong",
                     "limit": produced, "needed": delivered, "excess": abs(delivered - produced),
                     "unit": unit_of(c)})
    return [{"year": year, "status": "inconsistent", **r} for r in rows]


def check(network: str | Path | Network | None = None, years: str | int | Iterable[int] | None = None,
          progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Historical check: are the observed deliveries feasible in the network of each year?

    For every year with observed (not projected) deliveries: the point identities of
    :func:`identity_rows`, and an elastic solve that fits the recorded outputs
    (each origin produces its recorded figure, within its range or 2%) and the observed
    deliveries (within their low/high range) into that year's network.  One row per
    inconsistency: ``year, status, kind (capacity/output/contract/delivery), id,
    description, limit, needed, excess, unit``; a year without any gets one ``ok`` row.
    """
    if network is None:
        network = find_project_dir() / "networks" / "east_asia"
    net = network if isinstance(network, Network) else read_network(network)
    form = Formulation(net)
    observed = net.baseline[~net.baseline["status"].isin(FORWARD_STATUSES)] if "status" in net.baseline \
        else net.baseline
    all_years = sorted(set(int(y) for y in observed["year"]))  # projections are not checked
    years = all_years if years is None else [y for y in parse_years(years) if y in all_years]
    if not years:
        raise FlowModelError(f"{net.name}: no baseline data for the requested years")
    countries = sorted({k[0] for k in form.sets.delivery_keys})
    solver = Solver(form, Redirect.of([countries[0]], [countries[-1]]), years[0])
    rows = []
    for y in years:
        found = _year_rows(form, solver, y)
        found += identity_rows(form, form.tables.year_data(y, "baseline"), y)
        rows += found or [{"year": y, "status": "ok", "kind": "", "id": "", "description": "observed deliveries fit",
                           "limit": math.nan, "needed": math.nan, "excess": 0.0, "unit": ""}]
        if progress:
            progress(y)
    df = pd.DataFrame(rows, columns=COLUMNS)
    for c in ("limit", "needed", "excess"):
        df[c] = df[c].astype(float).round(6)
    return df
