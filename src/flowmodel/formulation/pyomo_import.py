"""Import Pyomo without ``scipy.stats``.

Pyomo registers a deferred import of scipy whose callback imports ``scipy.stats``,
``scipy.integrate`` and ``scipy.spatial`` as soon as anything imports scipy (0.4-0.5 s,
a third of a CLI run's start-up).  flowmodel and Pyomo's standard-form compiler use only
``scipy.sparse``, so the callback is narrowed to that before Pyomo's modelling modules
load.  If Pyomo's internals ever differ, nothing is changed (only start-up is slower).
"""

from __future__ import annotations


def _sparse_only(module, available) -> None:
    if available:
        import scipy.sparse  # noqa: F401  (what the standard-form compiler needs)


def narrow_scipy_callback() -> bool:
    """Narrow Pyomo's scipy import callback; True when it was done."""
    import sys

    if "scipy.stats" in sys.modules:
        return False
    try:
        from pyomo.common import dependencies
    except ImportError:  # pragma: no cover - Pyomo is a dependency
        return False
    indicator = getattr(dependencies, "scipy_available", None)
    if indicator is None or not hasattr(indicator, "_callback") or getattr(indicator, "_module", None) is not None:
        return False
    indicator._callback = _sparse_only
    return True


narrow_scipy_callback()
