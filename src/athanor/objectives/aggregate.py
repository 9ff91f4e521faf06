"""Weighted aggregation of desirabilities (n_molecules, n_components) -> scores (n_molecules,)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from athanor.core.errors import InputDataError

Aggregation = Literal["arithmetic", "geometric", "min"]


def aggregate(
    desirabilities: np.ndarray, weights: np.ndarray, method: Aggregation = "geometric"
) -> np.ndarray:
    """Combine per-component desirabilities into one score per molecule.

    Args:
        desirabilities: shape (n, k), values in [0, 1].
        weights: shape (k,), > 0 (normalised here).
        method: ``arithmetic`` weighted mean; ``geometric`` weighted geometric mean (0 when any
            component is 0: every goal must be met somewhat); ``min`` the worst component.

    Returns:
        shape (n,), in [0, 1].
    """
    d = np.asarray(desirabilities, dtype=float)
    w = np.asarray(weights, dtype=float)
    if d.ndim != 2 or w.shape != (d.shape[1],) or np.any(w <= 0):
        raise InputDataError(f"need (n, k) values and k positive weights; got {d.shape}, {w.shape}")
    w = w / w.sum()
    if method == "arithmetic":
        return d @ w
    if method == "min":
        return d.min(axis=1)
    with np.errstate(divide="ignore"):
        logs = np.log(np.clip(d, 0.0, 1.0))
    return np.where(np.any(d <= 0, axis=1), 0.0, np.exp(logs @ w))
