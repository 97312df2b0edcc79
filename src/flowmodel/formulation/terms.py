"""Small vectorised helpers shared by the constraint families."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def key_rows(keys: list, wanted: pd.Series) -> np.ndarray:
    """Row position (within a family) of each value of ``wanted``; -1 when not a key."""
    lookup = {k: i for i, k in enumerate(keys)}
    return np.fromiter((lookup.get(k, -1) for k in wanted), dtype=np.int64, count=len(wanted))


def stack(*parts: tuple[Any, Any, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Concatenate (row, col, coef) term blocks, dropping terms whose row is -1."""
    row = np.concatenate([np.asarray(p[0], dtype=np.int64) for p in parts]) if parts else np.zeros(0, np.int64)
    col = np.concatenate([np.asarray(p[1], dtype=np.int64) for p in parts]) if parts else np.zeros(0, np.int64)
    coef = np.concatenate([np.broadcast_to(np.asarray(p[2], dtype=float), len(p[0])) for p in parts]) \
        if parts else np.zeros(0)
    keep = row >= 0
    return row[keep], col[keep], coef[keep]
