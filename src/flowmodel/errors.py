"""Exceptions for user errors.

One exception type per kind of user error; the CLI catches :class:`FlowModelError`
once, prints its one-line message and exits with code 2.  Anything else is a bug
(exit 1, traceback under ``--debug``).
"""

from __future__ import annotations


class FlowModelError(Exception):
    """Base class of every error caused by user input (exit code 2)."""


class DataError(FlowModelError):
    """A network CSV file is malformed or inconsistent.

    The message names the file, the row (1-based line number in the file, header = 1)
    and the field, e.g. ``arcs.csv row 7, field 'to': unknown node 'kozmno' (did you mean 'kozmino'?)``.
    """


class ScenarioError(FlowModelError):
    """A scenario file is malformed or refers to something that does not exist."""


class InfeasibleError(FlowModelError):
    """The contracts (or fixed volumes) cannot all be met; carries the diagnosis.

    Attributes
    ----------
    diagnosis : pandas.DataFrame or None
        One row per contract/asset that falls short, with the shortfall in its unit.
    """

    def __init__(self, message: str, diagnosis=None):
        super().__init__(message)
        self.diagnosis = diagnosis


class OutputError(FlowModelError):
    """An output path cannot be written without touching files flowmodel did not write."""


class ShippingError(FlowModelError):
    """A shipping route specification is invalid (outside physical bounds)."""


class HydraulicsError(FlowModelError):
    """A hydraulic specification is invalid or the pipeline cannot carry the flow."""
