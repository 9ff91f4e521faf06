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


def _reference(observed: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The worst measured value of each objective minus 10 % of its range (of the candidates
    when nothing is measured yet)."""
    points = observed if len(observed) else Y
    span = points.max(axis=0) - points.min(axis=0)
    return points.min(axis=0) - 0.1 * np.where(span > 0, span, 1.0)


def sequential_hvi_scores(
    Y: np.ndarray, observed: np.ndarray, n_picks: int, reference: np.ndarray | None = None
) -> np.ndarray:
    """A batch by greedy hypervolume improvement, with each pick believed: its optimistic
    point joins the front before the next pick, so a batch spreads along the front instead of
    piling up where one candidate would improve it most (q-HVI by the "kriging believer").

    Args:
        Y: shape (n, k), maximised (optimistic) objectives of the candidates.
        observed: shape (m, k), maximised objectives already measured.
        n_picks: how many candidates to order by the greedy rule (at least the batch size,
            more when constraints may reject some).
        reference: shape (k,); default: see `_reference`.

    Returns:
        shape (n,), larger is better: the greedy picks in pick order (positive), then every
        other candidate by Pareto rank (negative).
    """
    reference = _reference(observed, Y) if reference is None else reference
    by_rank = pareto_rank_scores(Y)
    scores = by_rank - by_rank.max() - 1.0
    shortlist = np.argsort(-by_rank, kind="stable")[:HVI_SHORTLIST]
    front = np.asarray(observed, dtype=float).reshape(-1, Y.shape[1])
    for pick in range(min(n_picks, len(shortlist))):
        improvement = hypervolume_improvement(Y[shortlist], front, reference)
        best = int(np.argmax(improvement))
        if improvement[best] <= 0:
            break
        scores[shortlist[best]] = float(n_picks - pick)
        front = np.vstack([front, Y[shortlist[best]]])
        shortlist = np.delete(shortlist, best)
    return scores


def multiobjective_scores(
    prediction: Prediction,
    observed: np.ndarray,
    method: str = "hvi",
    beta: float = 2.0,
    batch_size: int = 1,
) -> np.ndarray:
    """Acquisition scores of candidates for k objectives predicted as k tasks.

    Args:
        prediction: means and σ of shape (n, k), every objective maximised.
        observed: shape (m, k), the measured (maximised) objectives.
        method: ``"hvi"`` (sequential hypervolume improvement, `sequential_hvi_scores`) or
            ``"rank"`` (non-dominated sorting).
        beta: weight of σ in the optimistic objectives (0: the means).
        batch_size: the batch to be picked (the greedy rule orders twice as many).

    Returns:
        shape (n,), larger is better.
    """
    Y = optimistic_objectives([prediction.task(t) for t in range(prediction.n_tasks)], beta)
    if method == "rank":
        return pareto_rank_scores(Y)
    if method != "hvi":
        raise InputDataError(f"unknown multi-objective method {method!r}; use 'hvi' or 'rank'")
    return sequential_hvi_scores(Y, observed, 2 * batch_size)
