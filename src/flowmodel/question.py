"""The question asked of the network: redirect deliveries from some markets to others.

Structure (the LP of a network, :mod:`flowmodel.formulation`) is kept apart from the
question; this module turns a :class:`Redirect` into the objective vectors of the
lexicographic stages (:mod:`flowmodel.solve`): PJ delivered to the ``to`` markets,
to the ``from`` markets, to every market, the transport-cost tie-break, and the
PJ-weighted deviation and elastic columns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .formulation import Formulation
from .units import pj_per_unit


@dataclass(frozen=True)
class Redirect:
    """Move deliveries from the ``from`` market countries to the ``to`` ones."""

    from_: frozenset[str]
    to: frozenset[str]

    @classmethod
    def of(cls, from_: Iterable[str], to: Iterable[str]) -> Redirect:
        return cls(frozenset(from_), frozenset(to))

    def role(self, country: str) -> str:
        """``from``, ``to`` or ``other``."""
        return "from" if country in self.from_ else "to" if country in self.to else "other"

    def label(self, which: str = "to") -> str:
        return "+".join(sorted(self.to if which == "to" else self.from_))


def _pj(commodities: pd.Series) -> np.ndarray:
    return commodities.map(pj_per_unit).to_numpy(dtype=float)


class Objectives:
    """Objective vectors (PJ-weighted) of one formulation and one question."""

    def __init__(self, form: Formulation, redirect: Redirect):
        self.form = form
        self.redirect = redirect
        lay, sets = form.layout, form.sets
        self.n = lay.n_cols
        flow = sets.flow
        self._flow_cols = lay.col("flow")
        self._flow_pj = _pj(flow["commodity"])
        markets = sets.nodes[sets.nodes["kind"] == "market"]
        self._head_country = flow["head"].map(markets["country"])  # NaN: not a market
        self.to = self.deliveries(redirect.to)
        self.from_ = self.deliveries(redirect.from_)
        self.all = self.deliveries(None)
        self.cost = self._cost()

    def _vector(self, cols: np.ndarray, values: np.ndarray) -> np.ndarray:
        vec = np.zeros(self.n)
        vec[cols] = values
        return vec

    def deliveries(self, countries: Iterable[str] | None, commodity: str | None = None) -> np.ndarray:
        """PJ per unit on the flow columns entering markets of ``countries`` (all markets if None)."""
        c = self._head_country
        hit = c.notna() if countries is None else c.isin(list(countries))
        if commodity is not None:
            hit &= self.form.sets.flow["commodity"] == commodity
        hit = hit.to_numpy(dtype=bool)
        return self._vector(self._flow_cols[hit], self._flow_pj[hit])

    def _cost(self) -> np.ndarray:
        """Tie-break transport cost: PJ x (1 + length / 1000 km) on the flow columns."""
        length = self.form.sets.flow["arc"].map(self.form.sets.arcs["length_km"]).to_numpy(dtype=float)
        return self._vector(self._flow_cols, self._flow_pj * (1.0 + length / 1000.0))

    def deviation(self, keys: Iterable[tuple[str, str]] | None = None) -> np.ndarray:
        """PJ weights of the delivery excess and deficit columns (of ``keys``, or every key)."""
        lay = self.form.layout
        dk = self.form.sets.delivery_keys
        wanted = set(dk if keys is None else keys)
        w = np.array([pj_per_unit(k[1]) if k in wanted else 0.0 for k in dk])
        vec = np.zeros(self.n)
        vec[lay.col("delivery_excess")] = w
        vec[lay.col("delivery_deficit")] = w
        return vec

    def elastic(self, *families: str) -> np.ndarray:
        """PJ weights of the elastic columns of ``families`` (overflow, shortfall)."""
        sets, lay = self.form.sets, self.form.layout
        com = {"node_overflow": sets.nodes["commodity"], "node_underflow": sets.nodes["commodity"],
               "arc_overflow": sets.arcs["commodity"], "shortfall": sets.contracts["commodity"]}
        vec = np.zeros(self.n)
        for fam in families:
            keys = lay.vars[fam].keys
            vec[lay.col(fam)] = _pj(com[fam].loc[keys]) if keys else 0.0
        return vec
