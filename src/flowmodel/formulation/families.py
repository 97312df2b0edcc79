"""What a variable or constraint family is: its name, index, and (for rows) its terms.

A constraint family is data before it is Pyomo: its keys, and its terms as three
parallel arrays (row within the family, global column, coefficient).  :mod:`.build`
turns every family into one named Pyomo component, and :class:`Layout` records where
each family's rows and columns sit in the compiled matrix, so results read solutions
and duals by family and key, never by position.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class VarFamily:
    """A named family of non-negative variables.

    ``keys`` index the family (tuples or strings); ``start`` is the position of its
    first column in the LP.
    """

    name: str
    keys: list
    doc: str | None
    ref: np.ndarray | None = None  # position of each key in its index set
    start: int = 0

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def cols(self) -> np.ndarray:
        """Global column positions, aligned with ``keys``."""
        return np.arange(self.start, self.start + self.size)

    def index(self) -> pd.Index:
        return _index(self.keys, self.name)


@dataclass
class RowFamily:
    """A named family of linear rows ``lower <= sum(coef * column) <= upper``.

    ``row`` (position within the family), ``col`` (global column) and ``coef`` are
    parallel arrays of the nonzero terms.  ``sense`` documents the row type
    (``'=='``, ``'<='``, ``'>='``); the bounds of a year come from :mod:`.bounds`.
    """

    name: str
    keys: list
    row: np.ndarray
    col: np.ndarray
    coef: np.ndarray
    sense: str
    doc: str | None
    ref: np.ndarray | None = None  # position of each key in its index set (nodes, arcs, contracts, ...)
    start: int = 0

    @property
    def size(self) -> int:
        return len(self.keys)

    @property
    def rows(self) -> np.ndarray:
        return np.arange(self.start, self.start + self.size)

    def index(self) -> pd.Index:
        return _index(self.keys, self.name)

    def split_terms(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Columns and coefficients of each row, in key order."""
        order = np.argsort(self.row, kind="stable")
        bounds = np.searchsorted(self.row[order], np.arange(self.size + 1))
        cols, coefs = self.col[order], self.coef[order]
        return ([cols[bounds[i]:bounds[i + 1]] for i in range(self.size)],
                [coefs[bounds[i]:bounds[i + 1]] for i in range(self.size)])


def _index(keys: list, name: str) -> pd.Index:
    if keys and isinstance(keys[0], tuple):
        return pd.MultiIndex.from_tuples(keys)
    return pd.Index(keys, name=name)


def positions(keys: list, wanted) -> np.ndarray:
    """Positions of ``wanted`` keys in ``keys`` (-1 where absent)."""
    lookup = {k: i for i, k in enumerate(keys)}
    return np.fromiter((lookup.get(k, -1) for k in wanted), dtype=np.int64, count=len(wanted))


@dataclass
class Layout:
    """Where every family sits in the LP: column and row offsets by name."""

    vars: dict[str, VarFamily] = field(default_factory=dict)
    rows: dict[str, RowFamily] = field(default_factory=dict)
    n_cols: int = 0
    n_rows: int = 0

    def add_vars(self, fam: VarFamily) -> VarFamily:
        fam.start = self.n_cols
        self.n_cols += fam.size
        self.vars[fam.name] = fam
        return fam

    def add_rows(self, fam: RowFamily) -> RowFamily:
        fam.start = self.n_rows
        self.n_rows += fam.size
        self.rows[fam.name] = fam
        return fam

    def col(self, name: str) -> np.ndarray:
        return self.vars[name].cols

    def row(self, name: str) -> np.ndarray:
        return self.rows[name].rows

    def col_series(self, name: str, x: np.ndarray) -> pd.Series:
        """Values of variable family ``name`` in the solution vector ``x``, by key."""
        f = self.vars[name]
        return pd.Series(x[f.start:f.start + f.size], index=f.index(), name=name)

    def row_series(self, name: str, values: np.ndarray) -> pd.Series:
        """Row activities or duals of family ``name``, by key."""
        f = self.rows[name]
        return pd.Series(values[f.start:f.start + f.size], index=f.index(), name=name)
