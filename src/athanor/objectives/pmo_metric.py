"""The PMO metric: area under the curve of the mean top-k score against oracle calls."""

from __future__ import annotations

import numpy as np


def top_k_auc(
    scores: np.ndarray, k: int = 10, budget: int = 10_000, every: int = 100, finished: bool = True
) -> float:
    """AUC top-k exactly as the PMO code computes it (``top_auc`` in mol_opt).

    The mean of the best k scores is taken every `every` calls, integrated with the
    trapezoid rule (starting from 0), and divided by `budget`; a run that stopped before the
    budget (`finished`) is padded with its final value.

    Args:
        scores: shape (n_calls,), the score of each unique molecule in the order it was
            scored; only the first `budget` count.
        k: how many of the best to average (fewer while fewer have been scored).
        budget: the oracle budget.
        every: the logging frequency.
        finished: pad a shorter run to the budget with its last top-k mean.

    Returns:
        The AUC in [0, 1] for scores in [0, 1].
    """
    scores = np.asarray(scores, dtype=float)[:budget]
    n = len(scores)
    if n == 0:
        return 0.0
    total, previous, called = 0.0, 0.0, 0
    for index in range(every, n, every):
        now = _top_k_mean(scores[:index], k)
        total += every * (now + previous) / 2
        previous, called = now, index
    now = _top_k_mean(scores, k)
    total += (n - called) * (now + previous) / 2
    if finished and n < budget:
        total += (budget - n) * now
    return total / budget


def _top_k_mean(scores: np.ndarray, k: int) -> float:
    return float(np.mean(np.sort(scores)[::-1][:k]))
