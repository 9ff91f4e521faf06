"""Pareto tools for several objectives: non-dominated sorting and hypervolume.

Convention: every objective is **maximised** (negate a column to minimise it). Arrays are
``Y`` of shape (n_points, n_objectives); a reference point of shape (n_objectives,) bounds
the hypervolume from below (it must be worse than every point of interest in every objective;
points not strictly better than it in all objectives add nothing).
"""

from __future__ import annotations

import numpy as np

from athanor.core.errors import InputDataError


def _as_matrix(Y: np.ndarray) -> np.ndarray:
    Y = np.asarray(Y, dtype=float)
    if Y.ndim != 2:
        raise InputDataError(f"Y must have shape (n_points, n_objectives); got {Y.shape}")
    if np.isnan(Y).any():
        raise InputDataError("Y contains NaN")
    return Y


def dominates(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether each row of `a` dominates the matching row of `b` (>= in all, > in one).

    Args:
        a, b: broadcastable arrays with the objectives on the last axis.

    Returns:
        bool array of the broadcast shape without the last axis.
    """
    return np.all(a >= b, axis=-1) & np.any(a > b, axis=-1)


def non_dominated_rank(Y: np.ndarray) -> np.ndarray:
    """Non-dominated sorting (NSGA-II): the front index of each point.

    Args:
        Y: shape (n, k), maximised objectives.

    Returns:
        shape (n,), int: 0 for the Pareto front, 1 for the front once it is removed, ...
    """
    Y = _as_matrix(Y)
    dominated_by = dominates(Y[None, :, :], Y[:, None, :])  # [i, j]: j dominates i
    counts = dominated_by.sum(axis=1)
    rank = np.full(len(Y), -1)
    front, level = np.flatnonzero(counts == 0), 0
    while front.size:
        rank[front] = level
        counts = counts - dominated_by[:, front].sum(axis=1)
        counts[rank >= 0] = -1
        front, level = np.flatnonzero(counts == 0), level + 1
    return rank


def pareto_front(Y: np.ndarray) -> np.ndarray:
    """Shape (n,) bool: which points no other point dominates."""
    return non_dominated_rank(Y) == 0


def hypervolume(Y: np.ndarray, reference: np.ndarray) -> float:
    """Exact hypervolume dominated by `Y` and bounded below by `reference`.

    A sweep for 2 objectives and slicing along the last objective above that (exact for
    any k, fast for the 2-3 objectives of molecular design).

    Args:
        Y: shape (n, k), maximised objectives.
        reference: shape (k,).

    Returns:
        The volume (0 when no point beats the reference in every objective).
    """
    Y = _as_matrix(Y)
    reference = np.asarray(reference, dtype=float)
    if reference.shape != (Y.shape[1],):
        raise InputDataError(f"reference must have shape ({Y.shape[1]},); got {reference.shape}")
    points = Y[np.all(reference < Y, axis=1)] - reference
    return _volume(points) if len(points) else 0.0


def _volume(points: np.ndarray) -> float:
    """Hypervolume of points (all > 0) with respect to the origin."""
    if points.shape[1] == 1:
        return float(points.max())
    if points.shape[1] == 2:
        order = np.argsort(-points[:, 0], kind="stable")
        volume, height = 0.0, 0.0
        for x, y in points[order]:
            if y > height:
                volume += x * (y - height)
                height = y
        return volume
    levels = np.unique(points[:, -1])[::-1]
    volume = 0.0
    for level, below in zip(levels, np.append(levels[1:], 0.0), strict=True):
        volume += _volume(points[points[:, -1] >= level][:, :-1]) * (level - below)
    return volume


def hypervolume_improvement(
    candidates: np.ndarray, Y: np.ndarray, reference: np.ndarray
) -> np.ndarray:
    """How much each candidate alone would add to the hypervolume of `Y`.

    Args:
        candidates: shape (m, k), maximised objectives of the candidates.
        Y: shape (n, k), the points already obtained (n may be 0).
        reference: shape (k,).

    Returns:
        shape (m,), >= 0.
    """
    candidates, reference = _as_matrix(candidates), np.asarray(reference, dtype=float)
    Y = np.asarray(Y, dtype=float).reshape(-1, candidates.shape[1])
    front = Y[pareto_front(Y)] if len(Y) else Y
    base = hypervolume(front, reference) if len(front) else 0.0
    return np.array([hypervolume(np.vstack([front, c]), reference) - base for c in candidates])
