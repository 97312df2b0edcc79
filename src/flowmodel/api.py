"""The Python API: run a scenario, a timeline, the historical check; export results.

>>> import flowmodel as fm
>>> res = fm.run("scenarios/default.yaml")
>>> res.redirect[["commodity", "redirected", "unit", "limiting_factor"]]
>>> res.to_csv("results/default")
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import ScenarioError
from .model import FlowModel
from .network import Network
from .output import atomic_write_dir, atomic_write_file, write_csv_text
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

    def report(self, path: str | Path | None = None, **kwargs):
        """The offline HTML report of this result: written to ``path`` (returns the path) or,
        without one, returned as text.  Keywords as :func:`report`."""
        return report(self, path, **kwargs)

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


def report(results, path: str | Path | None = None, timeline: pd.DataFrame | None = None,
           compare: pd.DataFrame | None = None, title: str | None = None):
    """One self-contained, offline HTML file: per result a network map, Sankey diagrams and
    sourced tables; the ``timeline`` chart and the ``compare`` table when given.  Written
    atomically to ``path`` (returns the path) or, without one, returned as text."""
    from .reporting import report_html, write_report
    if path is None:
        return report_html(results, timeline=timeline, compare=compare, title=title)
    return write_report(path, results, timeline=timeline, compare=compare, title=title)


# Re-exported so that `flowmodel.api` stays the one place of the public functions
# (imported last: these modules build on the definitions above).
from .history import check  # noqa: E402
from .sweeps import base_of, compare, timeline  # noqa: E402

__all__ = ["Result", "Study", "as_scenario", "atomic_write_dir", "atomic_write_file", "base_of", "check",
           "compare", "default_scenario_path", "find_project_dir", "parse_years", "report", "run", "timeline",
           "write_csv_text"]
