"""A scenario's question put to its network: :class:`Study` (compiled once), :class:`Result`, :func:`run`.

>>> import flowmodel as fm
>>> res = fm.run("scenarios/default.yaml")
>>> res.redirect[["commodity", "redirected", "unit", "limiting_factor"]]
>>> res.to_csv("results/default")
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path

import pandas as pd

from .errors import ScenarioError
from .formulation import Formulation
from .network import Network, file_hash, table_hash
from .output import write_csv_text, write_result_dir
from .question import Redirect
from .results import constraints_table, flows_table, redirect_table, splits_table, summary_table
from .scenario import Scenario, load_scenario, scenario_from_dict, scenario_network
from .solve import Solver, YearSolution
from .units import pj_per_unit, unit_of
from .vocabulary import COMMODITY_ORDER

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


def scenario_path(name: str | Path) -> Path:
    """A scenario file: the path as given if it exists, else ``scenarios/<name>.yaml`` of the
    project (``flowmodel run y2018``); a typo gets a did-you-mean."""
    p = Path(name)
    if p.exists() or p.suffix in (".yaml", ".yml") and p.parent != Path("."):
        return p
    try:
        folder = find_project_dir() / "scenarios"
    except ScenarioError:
        return p
    for cand in (folder / p.name, folder / f"{p.name}.yaml", folder / f"{p.name}.yml"):
        if cand.is_file():
            return cand
    from .validate import _suggest
    names = sorted(q.stem for q in folder.glob("*.yaml"))
    raise ScenarioError(f"{name}: no such scenario file, and no scenarios/{p.stem}.yaml in {folder.parent}"
                        f"{_suggest(p.stem, names)}")


def as_scenario(scenario: str | Path | dict | Scenario | None) -> Scenario:
    """Accept a path or a scenario name, a dict, a :class:`Scenario` or ``None`` (the default
    scenario)."""
    if scenario is None:
        return load_scenario(default_scenario_path())
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        return scenario_from_dict(scenario)
    if not isinstance(scenario, (str, Path)):
        raise ScenarioError(f"scenario: expected a file, a name, a dict or a Scenario, got {type(scenario).__name__}")
    return load_scenario(scenario_path(scenario))


# --------------------------------------------------------------------------- results
@dataclass
class Result:
    """Results of one scenario year.

    Attributes (all DataFrames, stable columns)
    ----------
    summary : per commodity and market country: baseline (observed), reference,
        contracted, optimized, change (optimized - reference), unit, PJ, supply basis.
    redirect : per commodity: volume moved to the ``to`` markets, its split by origin,
        PJ, max-flow bound, limiting factor in words, supply basis.
    flows : per arc: flow, capacity, utilization, unit.
    constraints : binding constraints at the redirect optimum with marginal values.
    manifest : dict with the resolved scenario, package version and input hashes.
    solution : the :class:`~flowmodel.solve.YearSolution` the tables were read from.
    """

    scenario: Scenario
    summary: pd.DataFrame
    redirect: pd.DataFrame
    flows: pd.DataFrame
    constraints: pd.DataFrame
    splits: pd.DataFrame | None = None
    manifest: dict = field(default_factory=dict)
    hydraulics: pd.DataFrame | None = None
    solution: YearSolution | None = None

    def files(self) -> dict[str, str]:
        """The exported files as text, by name."""
        return {
            "summary.csv": write_csv_text(self.summary),
            "redirect.csv": write_csv_text(self.redirect),
            "flows.csv": write_csv_text(self.flows),
            "constraints.csv": write_csv_text(self.constraints),
        } | ({"splits.csv": write_csv_text(self.splits)} if self.splits is not None else {}) | {
            "manifest.json": json.dumps(self.manifest, indent=2, sort_keys=True, default=str) + "\n",
        } | ({"hydraulics.csv": write_csv_text(self.hydraulics)} if self.hydraulics is not None else {})

    def report(self, path: str | Path | None = None, **kwargs):
        """The offline HTML report of this result: written to ``path`` (returns the path) or,
        without one, returned as text.  Keywords as :func:`flowmodel.api.report`."""
        from .reporting import report_html, write_report
        if path is None:
            return report_html(self, **kwargs)
        return write_report(path, self, **kwargs)

    def to_csv(self, out: str | Path, force: bool = False) -> Path:
        """Write the result files into folder ``out``, all at once.

        ``out`` must be new, empty, or hold an earlier flowmodel result and nothing else
        (:mod:`flowmodel.output`); ``force=True`` writes the files into an existing
        folder and leaves its other files untouched. Raises :class:`OutputError`."""
        return write_result_dir(Path(out), self.files(), force)


def _manifest(s: Scenario, net: Network, year: int, extra: dict | None = None) -> dict:
    import highspy
    import pyomo
    m: dict[str, Any] = {
        "flowmodel_version": _version(),
        "scenario": s.resolved(),
        "year": year,
        "network": net.name,
        "input_sha256": dict(sorted(net.hashes.items())),
        "solver": f"HiGHS {highspy.Highs().version()} via highspy; model built with Pyomo {pyomo.__version__}",
        "units": {c: unit_of(c) for c in COMMODITY_ORDER},
        "pj_per_unit": {c: pj_per_unit(c) for c in COMMODITY_ORDER},
    }
    if s.path is not None:
        m["scenario_file"] = s.path.name
        m["input_sha256"]["scenario:" + s.path.name] = file_hash(s.path)
    m["solved_tables_sha256"] = {k: table_hash(v) for k, v in sorted(net.tables.items())}
    m["modified_in_code"] = list(net.modified)
    if net.modified:
        m["note"] = ("the network was edited in code after loading (tables: " + ", ".join(net.modified)
                     + "): input_sha256 are the files it was loaded from, solved_tables_sha256 what was solved")
    m.update(extra or {})
    return m


def _apply_capacity_mode(net: Network, s: Scenario) -> Network:
    """Replace pipeline capacities by hydraulic ones when the scenario asks for it."""
    if s.capacity == "nameplate":
        return net
    if s.capacity == "shipping":
        from .shipping_arcs import shipping_capacities  # LNG routes from fleet data (shipping.csv)
        return shipping_capacities(net)
    from .hydraulic_arcs import hydraulic_capacities  # lazy: imports pandapipes only when asked
    return hydraulic_capacities(net, s.capacity)


class Study:
    """A scenario's network compiled once, solvable for any year.

    >>> st = Study("scenarios/default.yaml")
    >>> res_2018 = st.run(2018)
    """

    def __init__(self, scenario=None, network: Network | None = None):
        self.scenario = as_scenario(scenario)
        s = self.scenario
        self.network = _apply_capacity_mode(scenario_network(s, network), s)
        self.formulation = Formulation(self.network)
        if isinstance(s.policies, list):
            known = set(self.formulation.sets.policies.index)
            unknown = [p for p in s.policies if p not in known]
            if unknown:
                from .validate import _suggest
                raise ScenarioError(f"{s.origin}, field 'policies': unknown policy '{unknown[0]}'"
                                    f"{_suggest(unknown[0], known)}")
        self.formulation.tables.choose_policies(s.policies)
        self.redirect = Redirect.of(s.redirect.from_, s.redirect.to)
        self.solver = Solver(self.formulation, self.redirect, s.year, s.supply)

    def covered_years(self) -> tuple[int, int]:
        """The years the network has data for: from the first to the last year any row of
        nodes, arcs or contracts starts or ends, or any output or delivery is recorded.
        Years without observations inside that span are solved and labelled
        (``supply_basis``, ``reference_basis``), never switched silently."""
        from .validate import YEAR_RANGE

        t = self.network.tables
        ys: list[float] = []
        for name in ("nodes", "arcs", "contracts"):
            for col in ("start_year", "end_year"):
                ys += list(t[name][col].dropna())
        for name in ("baseline", "production"):
            ys += list(t[name]["year"].dropna())
        if not ys:
            return YEAR_RANGE
        always = t["nodes"]["start_year"].isna().any() or t["arcs"]["start_year"].isna().any()
        return (YEAR_RANGE[0] if always else int(min(ys))), int(max(ys))

    def check_year(self, year) -> int:
        """``year`` as an int inside :meth:`covered_years`, else a :class:`ScenarioError`."""
        try:
            y = int(year)
            if y != year and not isinstance(year, str):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            raise ScenarioError(f"year: '{year}' is not a year") from None
        lo, hi = self.covered_years()
        if not lo <= y <= hi:
            raise ScenarioError(f"year {y}: the network '{self.network.name}' has data for {lo}-{hi} only")
        return y

    def solve(self, year: int | None = None) -> YearSolution:
        """The solution of ``year`` (default: the scenario's year), without result tables."""
        return self.solver.solve_year(self.check_year(self.scenario.year if year is None else year))

    def run(self, year: int | None = None, hydraulic_check: bool | None = None) -> Result:
        """Solve ``year`` (default: the scenario's year) and build the result tables.

        ``hydraulic_check`` (default: on when the scenario's ``capacity`` is not
        ``nameplate``) checks pipeline flows with hydraulic specs using pandapipes
        and adds ``res.hydraulics`` (``hydraulics.csv``).
        """
        year = self.check_year(self.scenario.year if year is None else year)
        sol = self.solve(year)
        form, red = self.formulation, self.redirect
        cons = constraints_table(form, sol)
        tag = _tagger(self.scenario.name, year)
        res = Result(
            scenario=self.scenario,
            summary=tag(summary_table(form, sol, red)),
            redirect=tag(redirect_table(form, sol, red, cons)),
            flows=tag(flows_table(form, sol)),
            constraints=tag(cons),
            splits=tag(splits_table(sol)),
            solution=sol,
        )
        res.manifest = _manifest(self.scenario, self.network, year, {
            "lp": {"columns": form.n_cols, "rows": form.n_rows},
            "supply_bounds": {n: b for n, b in sorted(sol.bounds.data.supply_basis.items())},
        })
        if hydraulic_check if hydraulic_check is not None else self.scenario.capacity in ("hydraulic", "min"):
            from .hydraulic_arcs import hydraulic_check as _hcheck
            res.hydraulics = _hcheck(self.network, res.flows, year)
        return res


def _tagger(name: str, year: int):
    """Prepend ``scenario`` and ``year`` columns, so results of several runs concatenate."""
    def tag(df: pd.DataFrame) -> pd.DataFrame:
        return pd.concat([pd.DataFrame({"scenario": [name] * len(df), "year": [year] * len(df)}, index=df.index), df],
                         axis=1)
    return tag


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
