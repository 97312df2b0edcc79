"""Physics-based pipeline capacity (pandapipes).

Public API::

    from flowmodel.hydraulics import PipeSpec, max_throughput, pressure_profile, spec_from_arc, check_flow

pandapipes is imported lazily, inside the functions that run it: importing this package
(or ``flowmodel``) does not import pandapipes.  See :mod:`flowmodel.hydraulics.capacity`
for the method, :mod:`flowmodel.hydraulics.fluids` for the fluid models and units, and
:mod:`flowmodel.hydraulics.textbook` for the independent closed-form checks.
"""

from flowmodel.hydraulics.capacity import (
    FlowCheck,
    HydraulicResult,
    check_flow,
    max_throughput,
    pressure_profile,
)
from flowmodel.hydraulics.spec import DEFAULT_STATION_RATIO, WALL_FRACTION_OF_OD, PipeSpec, spec_from_arc

__all__ = [
    "DEFAULT_STATION_RATIO",
    "WALL_FRACTION_OF_OD",
    "FlowCheck",
    "HydraulicResult",
    "PipeSpec",
    "check_flow",
    "max_throughput",
    "pressure_profile",
    "spec_from_arc",
]
