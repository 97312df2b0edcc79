"""flowmodel: contract-aware redirect optimisation of energy-flow networks.

Public API::

    import flowmodel as fm
    res = fm.run("scenarios/default.yaml")        # or fm.run() for the default scenario
    res.summary, res.redirect, res.flows, res.constraints   # pandas DataFrames
    res.to_csv("results/default")

    net = fm.load_network("networks/east_asia")    # tidy DataFrames, edit with pandas
    res = fm.run("scenarios/default.yaml", network=net, year=2018)
    tl = fm.timeline("scenarios/default.yaml", years="2009-2030")
    chk = fm.check("networks/east_asia")
    fm.report(res, "results/report.html", timeline=tl)   # offline HTML: map, Sankey, sourced tables
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Result, Study, check, compare, report, run, timeline
from .errors import DataError, FlowModelError, HydraulicsError, InfeasibleError, ScenarioError
from .network import Network, from_frames, read_network
from .scenario import Scenario, load_scenario, scenario_from_dict

load_network = read_network

__all__ = [
    "DataError", "FlowModelError", "HydraulicsError", "InfeasibleError", "Network", "Result", "Scenario",
    "ScenarioError", "Study", "check", "compare", "from_frames", "load_network", "load_scenario", "read_network",
    "report", "run", "scenario_from_dict", "timeline", "__version__",
]
