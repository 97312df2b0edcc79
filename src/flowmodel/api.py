"""The Python API, one import away: ``import flowmodel as fm``.

A thin façade over the modules that do the work: :mod:`flowmodel.study` (one
scenario year: :func:`run`, :class:`Study`, :class:`Result`), :mod:`flowmodel.sweeps`
(:func:`timeline`, :func:`compare`) and :mod:`flowmodel.historical_check`
(:func:`check`).

>>> import flowmodel as fm
>>> res = fm.run("scenarios/default.yaml")
>>> res.redirect[["commodity", "redirected", "unit", "limiting_factor"]]
>>> res.to_csv("results/default")
"""

from __future__ import annotations

from .historical_check import check
from .output import atomic_write_dir, atomic_write_file, write_csv_text
from .study import Result, Study, as_scenario, default_scenario_path, find_project_dir, run
from .sweeps import base_of, compare, timeline
from .years import parse_years

__all__ = ["Result", "Study", "as_scenario", "atomic_write_dir", "atomic_write_file", "base_of", "check",
           "compare", "default_scenario_path", "find_project_dir", "parse_years", "run", "timeline",
           "write_csv_text"]
