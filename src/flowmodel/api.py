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

from pathlib import Path

from .historical_check import check
from .output import atomic_write_dir, atomic_write_file, write_csv_text
from .study import Result, Study, as_scenario, default_scenario_path, find_project_dir, run
from .sweeps import base_of, compare, timeline
from .years import parse_years



def report(results, path: str | Path | None = None, timeline=None, compare=None, title: str | None = None,
           force: bool = False):
    """One self-contained, offline HTML file: per result a network map, Sankey diagrams and
    sourced tables; the ``timeline`` chart and the ``compare`` table when given.  Written
    to ``path`` under the output rule of :mod:`flowmodel.output` (returns the path) or,
    without one, returned as text."""
    from .reporting import report_html, write_report
    if path is None:
        return report_html(results, timeline=timeline, compare=compare, title=title)
    return write_report(path, results, timeline=timeline, compare=compare, title=title, force=force)


def uncertainty(scenario=None, samples: int = 1000, seed: int = 0, **kwargs):
    """Monte Carlo over the sourced ranges (:func:`flowmodel.sampling.run_uncertainty`):
    tidy DataFrames ``samples``, ``summary``, ``binding``, ``inputs``."""
    from .sampling import run_uncertainty
    return run_uncertainty(scenario, samples, seed, **kwargs)


def sensitivity(scenario=None, year: int | None = None):
    """One-at-a-time swings over every sourced range (:func:`flowmodel.sampling.run_sensitivity`)."""
    from .sampling import run_sensitivity
    return run_sensitivity(scenario, year)


__all__ = ["Result", "Study", "as_scenario", "atomic_write_dir", "atomic_write_file", "base_of", "check",
           "compare", "default_scenario_path", "find_project_dir", "parse_years", "report", "run", "sensitivity", "timeline",
           "uncertainty", "write_csv_text"]
