"""The Python API: run a scenario, a timeline, the historical check; export results.

>>> import flowmodel as fm
>>> res = fm.run("scenarios/default.yaml")
>>> res.redirect[["commodity", "redirected", "unit", "limiting_factor"]]
>>> res.to_csv("results/default")
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import FlowModelError, InfeasibleError, ScenarioError
from .model import FlowModel
from .network import Network, read_network
from .results import constraints_table, flows_table, redirect_table, summary_table
from .scenario import Scenario, load_scenario, scenario_from_dict, scenario_network
from .solve import Solver
from .units import pj_per_unit, unit_of

PACKAGE_ROOT = Path(__file__).resolve().parent
DEFAULT_SCENARIO_NAME = "default.yaml"


def _version() -> str:
    from . import __version__
    return __version__


def find_project_dir(start: Path | None = None) -> Path:
    """The folder holding ``scenarios/`` and ``networks/``: the working directory (or a
    parent) first, then the source checkout the package was installed from."""
    here = (start or Path.cwd()).resolve()
    for p in (here, *here.parents):
        if (p / "scenarios").is_dir() and (p / "networks").is_dir():
            return p
    src = PACKAGE_ROOT.parent.parent
    if (src / "scenarios").is_dir():
        return src
    raise ScenarioError("no scenarios/ folder found here or in the flowmodel checkout; name a scenario file")


def default_scenario_path() -> Path:
    """``scenarios/default.yaml`` of the project (see :func:`find_project_dir`)."""
    return find_project_dir() / "scenarios" / DEFAULT_SCENARIO_NAME


def as_scenario(scenario: str | Path | dict | Scenario | None) -> Scenario:
    """Accept a path, a dict, a :class:`Scenario` or ``None`` (the default scenario)."""
    if scenario is None:
        return load_scenario(default_scenario_path())
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        return scenario_from_dict(scenario)
    return load_scenario(scenario)


# --------------------------------------------------------------------------- atomic output
def write_csv_text(df: pd.DataFrame) -> str:
    """Deterministic CSV text (fixed float format, ``\\n`` line ends)."""
    return df.to_csv(index=False, float_format="%.10g", lineterminator="\n")


def atomic_write_dir(out: Path, files: dict[str, bytes | str]) -> Path:
    """Write ``files`` into a temporary sibling folder, then move it into place as ``out``.

    A failure at any point leaves ``out`` as it was (old results or nothing).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        for name, content in sorted(files.items()):
            p = tmp / name
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                p.write_text(content, encoding="utf-8", newline="")
            else:
                p.write_bytes(content)
        old = None
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            os.replace(out, old)
        try:
            os.replace(tmp, out)
        except BaseException:
            if old is not None and not out.exists():
                os.replace(old, out)  # put the previous results back
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def atomic_write_file(path: Path, content: str | bytes) -> Path:
    """Write one file atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------- results
@dataclass
class Result:
    """Results of one scenario year.

    Attributes (all DataFrames, stable columns)
    ----------
    summary : per commodity and market country: baseline (observed), reference,
        contracted, optimized, change (optimized - reference), unit, PJ.
    redirect : per commodity: volume moved to the ``to`` markets, its split by origin,
        PJ, max-flow bound, limiting factor in words.
    flows : per arc: flow, capacity, utilization, unit.
    constraints : binding constraints at the redirect optimum with marginal values.
    manifest : dict with the resolved scenario, package version and input hashes.
    """

    scenario: Scenario
    summary: pd.DataFrame
    redirect: pd.DataFrame
    flows: pd.DataFrame
    constraints: pd.DataFrame
    manifest: dict = field(default_factory=dict)
    hydraulics: pd.DataFrame | None = None

    def files(self) -> dict[str, str]:
        """The exported files as text, by name."""
        return {
            "summary.csv": write_csv_text(self.summary),
            "redirect.csv": write_csv_text(self.redirect),
            "flows.csv": write_csv_text(self.flows),
            "constraints.csv": write_csv_text(self.constraints),
            "manifest.json": json.dumps(self.manifest, indent=2, sort_keys=True, default=str) + "\n",
        } | ({"hydraulics.csv": write_csv_text(self.hydraulics)} if self.hydraulics is not None else {})

    def to_csv(self, out: str | Path) -> Path:
        """Write summary.csv, redirect.csv, flows.csv, constraints.csv and manifest.json
        atomically into folder ``out``."""
        return atomic_write_dir(Path(out), self.files())


def _manifest(s: Scenario, net: Network, year: int, extra: dict | None = None) -> dict:
    import highspy
    import pyomo
    m = {
        "flowmodel_version": _version(),
        "scenario": s.resolved(),
        "year": year,
        "network": net.name,
        "input_sha256": dict(sorted(net.hashes.items())),
        "solver": f"HiGHS {highspy.Highs().version()} via highspy; model built with Pyomo {pyomo.__version__}",
        "units": {c: unit_of(c) for c in ("crude", "gas", "lng")},
        "pj_per_unit": {c: pj_per_unit(c) for c in ("crude", "gas", "lng")},
    }
    if s.path is not None:
        import hashlib
        m["scenario_file"] = s.path.name
        m["input_sha256"]["scenario:" + s.path.name] = hashlib.sha256(s.path.read_bytes()).hexdigest()
    m.update(extra or {})
    return m


class Study:
    """A scenario's network compiled once, solvable for any year.

    >>> st = Study("scenarios/default.yaml")
    >>> res_2018 = st.run(2018)
    """

    def __init__(self, scenario=None, network: Network | None = None):
        self.scenario = as_scenario(scenario)
        self.network = scenario_network(self.scenario, network)
        self.network = _apply_capacity_mode(self.network, self.scenario)
        self.model = FlowModel(self.network)
        s = self.scenario
        self.red_from, self.red_to = set(s.redirect.from_), set(s.redirect.to)
        self.solver = Solver(self.model, self.red_from, self.red_to, s.year, s.supply)

    def run(self, year: int | None = None, hydraulic_check: bool | None = None) -> Result:
        """Solve ``year`` (default: the scenario's year) and build the result tables.

        ``hydraulic_check`` (default: on when the scenario's ``capacity`` is not
        ``nameplate``) checks pipeline flows with hydraulic specs using pandapipes
        and adds ``res.hydraulics`` (``hydraulics.csv``).
        """
        year = self.scenario.year if year is None else int(year)
        sol = self.solver.solve_year(year)
        fm = self.model
        cons = constraints_table(fm, sol)
        res = Result(
            scenario=self.scenario,
            summary=summary_table(fm, sol, self.red_from, self.red_to),
            redirect=redirect_table(fm, sol, self.red_from, self.red_to, cons),
            flows=flows_table(fm, sol),
            constraints=cons,
        )
        res.manifest = _manifest(self.scenario, self.network, year, {
            "lp": {"columns": fm.n_cols, "rows": fm.n_rows},
            "supply_bounds": dict(sorted(sol.bounds.supply_note.items())),
        })
        if hydraulic_check if hydraulic_check is not None else self.scenario.capacity != "nameplate":
            from .capacity import hydraulic_check as _hcheck
            res.hydraulics = _hcheck(self.network, res.flows, year)
        res.solution = sol  # type: ignore[attr-defined]
        return res


def _apply_capacity_mode(net: Network, s: Scenario) -> Network:
    """Replace pipeline capacities by hydraulic ones when the scenario asks for it."""
    if s.capacity == "nameplate":
        return net
    from .capacity import hydraulic_capacities  # lazy: imports pandapipes only when asked
    return hydraulic_capacities(net, s.capacity)


def run(scenario: str | Path | dict | Scenario | None = None, network: Network | None = None,
        year: int | None = None, hydraulic_check: bool | None = None) -> Result:
    """Run a scenario (path, dict or :class:`Scenario`; ``None`` = default scenario).

    Parameters
    ----------
    network : Network, optional
        Use this network (e.g. loaded with :func:`load_network` and edited in pandas)
        instead of the scenario's ``network`` folder.
    year : int, optional
        Override the scenario's year.
    """
    return Study(scenario, network).run(year, hydraulic_check)


def parse_years(spec: str | Iterable[int]) -> list[int]:
    """``"2009-2030"`` or ``"2015,2018"`` or an iterable -> sorted list of years."""
    if not isinstance(spec, str):
        return sorted({int(y) for y in spec})
    years: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        try:
            if "-" in part:
                a, b = (int(p) for p in part.split("-", 1))
                if b < a:
                    raise ValueError
                years.update(range(a, b + 1))
            elif part:
                years.add(int(part))
        except ValueError:
            raise ScenarioError(f"--years: '{part}' is not a year or a range like 2009-2030") from None
    if not years:
        raise ScenarioError("--years: no year given")
    return sorted(years)


def timeline(scenario=None, years: str | Iterable[int] = "2009-2030", network: Network | None = None,
             progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Solve every year with one compiled model; one row per year and commodity.

    Columns: ``year, commodity, redirectable, unit, redirectable_pj, to_reference,
    to_optimized, from_redirect_markets, from_other_markets, from_spare_supply,
    max_flow_bound, limiting_factor, status``.  A year whose contracts cannot be met
    gets ``status = infeasible`` and the diagnosis in ``limiting_factor``.
    """
    st = Study(scenario, network)
    rows = []
    for y in parse_years(years):
        try:
            res = st.run(y)
            r = res.redirect.rename(columns={"redirected": "redirectable", "redirected_pj": "redirectable_pj"})
            r.insert(0, "year", y)
            r["status"] = "optimal"
            rows.append(r)
        except InfeasibleError as e:
            rows.append(pd.DataFrame([{"year": y, "commodity": "all", "status": "infeasible",
                                       "limiting_factor": str(e)}]))
        if progress:
            progress(y)
    df = pd.concat(rows, ignore_index=True)
    cols = ["year", "commodity", "redirectable", "unit", "redirectable_pj", "to_reference", "to_optimized",
            "from_redirect_markets", "from_other_markets", "from_spare_supply", "max_flow_bound",
            "limiting_kind", "limiting_factor", "status"]
    return df.reindex(columns=cols)


def check(network: str | Path | Network | None = None, years: Iterable[int] | None = None,
          progress: Callable[[int], None] | None = None) -> pd.DataFrame:
    """Historical check: are the observed deliveries feasible in the network of each year?

    For every year with baseline data, an elastic solve fits the observed
    deliveries (within their low/high range) into that year's network with output
    capped at observed production.  One row per inconsistency: ``year, kind
    (capacity/contract/delivery), id, description, limit, needed, excess, unit``;
    a year with no row is consistent (it still gets an ``ok`` row).
    """
    from .results import _describe
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


def base_of(s: Scenario) -> Scenario | None:
    """The scenario without its changes (overrides, additions, removals, contract
    scaling), or ``None`` when it has none: the yardstick of a what-if."""
    if not (s.overrides or s.add or s.remove or s.contract_scale):
        return None
    b = s.model_copy(update={"overrides": {}, "add": {}, "remove": {}, "contract_scale": {},
                             "name": s.name + "-base"})
    b.path = s.path
    return b


def _from_deliveries(res: Result) -> dict[str, float]:
    """Optimized deliveries to the ``from`` markets per commodity."""
    sm = res.summary
    return sm[sm["role"] == "from"].groupby("commodity")["optimized"].sum().round(6).to_dict()


COMPARE_COLUMNS = ["scenario", "year", "supply", "commodity", "status", "to_optimized", "redirected",
                   "from_redirect_markets", "unit", "redirected_pj", "base_status", "base_to_optimized", "effect",
                   "from_optimized", "effect_from", "limiting_kind", "limiting_factor"]


def compare(scenarios: Iterable) -> pd.DataFrame:
    """Side-by-side headline results: one row per scenario and commodity.

    For a what-if (a scenario with changes) the same question is also solved without
    its changes; ``effect`` is the change it makes to the maximum the ``to`` markets
    can receive (``to_optimized``), ``effect_from`` the change of what the ``from``
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
                         "commodity": c, "status": "optimal", "to_optimized": x["to_optimized"],
                         "redirected": x["redirected"], "from_redirect_markets": x["from_redirect_markets"],
                         "unit": x["unit"], "redirected_pj": x["redirected_pj"], "base_status": base_status,
                         "base_to_optimized": b["to_optimized"] if b is not None else float("nan"),
                         "effect": round(x["to_optimized"] - b["to_optimized"], 6) if b is not None else float("nan"),
                         "from_optimized": from_now.get(c, 0.0),
                         "effect_from": round(from_now.get(c, 0.0) - from_base.get(c, 0.0), 6)
                         if b is not None else float("nan"),
                         "limiting_kind": x["limiting_kind"], "limiting_factor": x["limiting_factor"]})
    return pd.DataFrame(rows).reindex(columns=COMPARE_COLUMNS)
