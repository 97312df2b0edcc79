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

The names are imported on first use (PEP 562), so ``import flowmodel`` and the command
line's ``--help`` stay fast; the errors are imported at once (they are light).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import (DataError, FlowModelError, HydraulicsError, InfeasibleError, OutputError, ScenarioError,
                     ShippingError)

__version__ = "0.2.0"

_LAZY = {
    "Result": "api", "Study": "api", "check": "api", "compare": "api", "report": "api", "run": "api",
    "timeline": "api", "uncertainty": "api", "sensitivity": "api",
    "Network": "network", "from_frames": "network", "read_network": "network",
    "Scenario": "scenario", "load_scenario": "scenario", "scenario_from_dict": "scenario",
}
_ALIASES = {"load_network": ("network", "read_network")}

__all__ = [
    "DataError", "FlowModelError", "HydraulicsError", "InfeasibleError", "Network", "OutputError", "Result",
    "Scenario", "ShippingError",
    "ScenarioError", "Study", "check", "compare", "from_frames", "load_network", "load_scenario", "read_network",
    "report", "run", "scenario_from_dict", "timeline", "__version__",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _ALIASES:
        mod, attr = _ALIASES[name]
        value = getattr(import_module(f".{mod}", __name__), attr)
    else:
        try:  # a submodule, e.g. fm.api, fm.output
            value = import_module(f".{name}", __name__)
        except ModuleNotFoundError:
            raise AttributeError(f"module 'flowmodel' has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
