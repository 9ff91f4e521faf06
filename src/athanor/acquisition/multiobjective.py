"""Acquisition for several objectives at once: Pareto rank and hypervolume improvement.

Each objective has its own single-task prediction; candidates are compared on an optimistic
vector (mean + beta * std per objective, all objectives maximised), as in MOBO with UCB.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction
from athanor.objectives.pareto import hypervolume_improvement, non_dominated_rank

HVI_SHORTLIST = 2000  # hypervolume improvement is computed for the best-ranked candidates


def optimistic_objectives(predictions: Sequence[Prediction], beta: float = 2.0) -> np.ndarray:
    """Upper confidence bounds of every objective, shape (n_candidates, n_objectives)."""
    if not predictions:
        raise InputDataError("multi-objective acquisition needs at least one prediction")
    columns = [p.mean[:, 0] + beta * p.std[:, 0] for p in predictions]
    return np.column_stack(columns)


def pareto_rank_scores(Y: np.ndarray) -> np.ndarray:
    """Scores from non-dominated sorting: front 0 first, ties broken by the scaled sum.

    Args:
        Y: shape (n, k), maximised objectives.

    Returns:
        shape (n,), larger is better.
    """
    ranks = non_dominated_rank(Y)
    spread = Y.max(axis=0) - Y.min(axis=0)
    scaled = (Y - Y.min(axis=0)) / np.where(spread > 0, spread, 1.0)
    return -ranks + scaled.mean(axis=1) / (Y.shape[1] + 1.0)  # tie-break stays within a rank


def hypervolume_improvement_scores(
    Y: np.ndarray, observed: np.ndarray, reference: np.ndarray | None = None
) -> np.ndarray:
    """Hypervolume each candidate would add to the observed front (best-ranked ones only).

    Args:
        Y: shape (n, k), maximised (optimistic) objectives of the candidates.
        observed: shape (m, k), maximised objectives already measured.
        reference: shape (k,); default: the worst observed value minus 10 % of the range.

    Returns:
        shape (n,), larger is better; candidates outside the shortlist score by Pareto rank
        below every shortlisted one.
    """
    if reference is None:
        pooled = np.vstack([observed, Y]) if len(observed) else Y
        span = pooled.max(axis=0) - pooled.min(axis=0)
        reference = pooled.min(axis=0) - 0.1 * np.where(span > 0, span, 1.0)
    by_rank = pareto_rank_scores(Y)
    shortlist = np.argsort(-by_rank, kind="stable")[:HVI_SHORTLIST]
    scores = by_rank - by_rank.max() - 1.0  # everyone else: below any improvement (>= 0)
    scores[shortlist] = hypervolume_improvement(Y[shortlist], observed, reference)
    return scores
