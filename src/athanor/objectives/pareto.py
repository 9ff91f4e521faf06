"""Pareto tools for several objectives: non-dominated sorting and hypervolume.

Convention: every objective is **maximised** (negate a column to minimise it). Arrays are
``Y`` of shape (n_points, n_objectives); a reference point of shape (n_objectives,) bounds
the hypervolume from below (it must be worse than every point of interest in every objective;
points not strictly better than it in all objectives add nothing).
"""

from __future__ import annotations

import numpy as np

from athanor.core.errors import InputDataError

CHUNK_ELEMENTS = 20_000_000  # bound on the boolean comparisons held at once


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
    """Non-dominated sorting: the front index of each point.

    Two objectives use an O(n log n) sweep (efficient non-dominated sort with binary search);
    more use NSGA-II's peeling, O(n^2 k) time in memory-bounded chunks.

    Args:
        Y: shape (n, k), maximised objectives.

    Returns:
        shape (n,), int: 0 for the Pareto front, 1 for the front once it is removed, ...
    """
    Y = _as_matrix(Y)
    if Y.shape[1] == 2:
        return _rank_two_objectives(Y)
    rank = np.full(len(Y), -1)
    counts = _dominator_counts(Y, Y)
    remaining, level = np.arange(len(Y)), 0
    while remaining.size:
        front, remaining = remaining[counts == 0], remaining[counts > 0]
        rank[front] = level
        counts = counts[counts > 0] - _dominator_counts(Y[remaining], Y[front])
        level += 1
    return rank


def _dominator_counts(points: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each point, how many of `others` dominate it; chunked to bound memory."""
    chunk = max(1, CHUNK_ELEMENTS // max(1, others.size))
    counts = np.empty(len(points), dtype=int)
    for start in range(0, len(points), chunk):
        block = points[start : start + chunk]
        counts[start : start + chunk] = dominates(others[None], block[:, None]).sum(axis=1)
    return counts


def _rank_two_objectives(Y: np.ndarray) -> np.ndarray:
    """Points in decreasing (y0, y1) order join the first front none of whose members dominates
    them; front f dominates a point only if front f - 1 does, so a binary search finds it."""
    order = np.lexsort((-Y[:, 1], -Y[:, 0]))
    best: list[tuple[float, float]] = []  # per front: largest y1, and the largest y0 with it
    rank = np.empty(len(Y), dtype=int)
    for i in order:
        y0, y1 = Y[i]
        low, high = 0, len(best)
        while low < high:  # first front that does not dominate (y0, y1)
            middle = (low + high) // 2
            b1, b0 = best[middle]
            if b1 > y1 or (b1 == y1 and b0 > y0):
                low = middle + 1
            else:
                high = middle
        rank[i] = low
        if low == len(best):
            best.append((y1, y0))
        else:
            best[low] = max(best[low], (y1, y0))
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
