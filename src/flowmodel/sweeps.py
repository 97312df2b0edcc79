"""Many solves of one question: a timeline over years, a comparison of scenarios.

A timeline compiles the scenario's model once (:class:`~flowmodel.study.Study`) and
re-solves it per year; a comparison also solves each what-if without its changes,
so its effect can be read off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd

from .study import Result, Study, as_scenario, run
from .years import parse_years
from .errors import InfeasibleError
from .network import Network
from .scenario import Scenario


def timeline(scenario=None, years: str | Iterable[int] = "2009-2030", network: Network | None = None,
             progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Solve every year with one compiled model; one row per year and commodity.

    Columns: those of ``redirect.csv`` (``redirected`` named ``redirectable``) and
    ``status``.  A year whose contracts cannot be met gets ``status = infeasible`` and
    the diagnosis in ``limiting_factor``.
    """
    st = Study(scenario, network)
    ys = parse_years(years)
    for y in ys:
        st.check_year(y)  # every year refused before anything is solved or written
    rows = []
    for y in ys:
        try:
            res = st.run(y)
            r = res.redirect.drop(columns=["scenario", "year"], errors="ignore")
            r = r.rename(columns={"redirected": "redirectable", "redirected_pj": "redirectable_pj"})
            r.insert(0, "year", y)
            r["status"] = "optimal"
            rows.append(r)
        except InfeasibleError as e:
            rows.append(pd.DataFrame([{"year": y, "commodity": "all", "status": "infeasible",
                                       "limiting_factor": str(e)}]))
        if progress:
            progress(y)
    df = pd.concat(rows, ignore_index=True)
    cols = ["year", "commodity", "redirectable", "unit", "redirectable_pj", "to_reference", "max_to_physical",
            "max_to", "max_to_own", "from_redirect_markets", "from_redirect_markets_low", "from_other_markets", "from_spare_supply",
            "to_split", "max_flow_bound", "limited_by", "limiting_factor", "supply_basis", "reference_basis",
            "status"]
    return df.reindex(columns=cols)


def base_of(s: Scenario) -> Scenario | None:
    """The scenario without its changes (overrides, additions, removals, contract
    scaling, a policy choice other than ``in_force``), or ``None`` when it has none: the
    yardstick of a what-if."""
    if not (s.overrides or s.add or s.remove or s.contract_scale or s.policies != "in_force"):
        return None
    b = s.model_copy(update={"overrides": {}, "add": {}, "remove": {}, "contract_scale": {}, "policies": "in_force",
                             "name": s.name + "-base"})
    b.path = s.path
    return b


def _from_deliveries(res: Result) -> dict[str, float]:
    """Optimized deliveries to the ``from`` markets per commodity."""
    sm = res.summary
    return sm[sm["role"] == "from"].groupby("commodity")["optimized"].sum().round(6).to_dict()


COMPARE_COLUMNS = ["scenario", "year", "supply", "commodity", "status", "max_to_physical", "max_to", "max_to_own",
                   "redirected",
                   "from_redirect_markets", "from_redirect_markets_low", "unit", "redirected_pj", "to_split",
                   "base_status", "base_max_to", "effect", "from_optimized", "effect_from", "limited_by",
                   "limiting_factor", "supply_basis", "reference_basis"]


def compare(scenarios: Iterable) -> pd.DataFrame:
    """Side-by-side headline results: one row per scenario and commodity.

    For a what-if (a scenario with changes) the same question is also solved without
    its changes; ``effect`` is the change it makes to the maximum the ``to`` markets
    can receive (``max_to``), ``effect_from`` the change of what the ``from``
    markets receive in that optimum, both in the commodity's unit.  A scenario (or
    its base) whose contracts cannot be met gets ``status`` (``base_status``)
    ``infeasible`` and the diagnosis instead of numbers; the comparison goes on.
    """
    rows = []
    for item in scenarios:
        s = as_scenario(item)
        try:
            res = run(s)
        except InfeasibleError as e:
            rows.append({"scenario": s.name, "year": s.year, "supply": s.supply, "commodity": "all",
                         "status": "infeasible", "limiting_factor": str(e)})
            continue
        base = base_of(s)
        base_res, base_status = None, ""
        if base is not None:
            try:
                base_res, base_status = run(base), "optimal"
            except InfeasibleError as e:
                base_status = f"infeasible: {e}"
        base_red = base_res.redirect.set_index("commodity") if base_res is not None else None
        from_now = _from_deliveries(res)
        from_base = _from_deliveries(base_res) if base_res is not None else {}
        for _, x in res.redirect.iterrows():
            b = base_red.loc[x["commodity"]] if base_red is not None else None
            c = x["commodity"]
            rows.append({"scenario": s.name, "year": res.manifest["year"], "supply": s.supply,
                         "commodity": c, "status": "optimal", "max_to": x["max_to"], "max_to_own": x["max_to_own"],
                         "max_to_physical": x["max_to_physical"],
                         "from_redirect_markets_low": x["from_redirect_markets_low"], "to_split": x["to_split"],
                         "supply_basis": x["supply_basis"], "reference_basis": x["reference_basis"],
                         "redirected": x["redirected"], "from_redirect_markets": x["from_redirect_markets"],
                         "unit": x["unit"], "redirected_pj": x["redirected_pj"], "base_status": base_status,
                         "base_max_to": b["max_to"] if b is not None else float("nan"),
                         "effect": round(x["max_to"] - b["max_to"], 6) if b is not None else float("nan"),
                         "from_optimized": from_now.get(c, 0.0),
                         "effect_from": round(from_now.get(c, 0.0) - from_base.get(c, 0.0), 6)
                         if b is not None else float("nan"),
                         "limited_by": x["limited_by"], "limiting_factor": x["limiting_factor"]})
    return pd.DataFrame(rows).reindex(columns=COMPARE_COLUMNS)
