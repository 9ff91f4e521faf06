"""Acquisition functions on a `Prediction` (single task, maximisation).

Each function maps a prediction of n candidates to n scores (larger = acquire first):
greedy (mean), UCB, expected improvement, probability of improvement, Thompson sampling,
maximum variance and random — the set MolPAL and BoTorch users expect.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.stats import norm

from athanor.core.errors import ConfigError, InputDataError
from athanor.core.prediction import Prediction

MIN_STD = 1e-9


def _single_task(prediction: Prediction) -> tuple[np.ndarray, np.ndarray]:
    if prediction.n_tasks != 1:
        raise InputDataError(
            f"single-objective acquisition needs one task; the prediction has "
            f"{prediction.n_tasks} (use the multi-objective acquisition)"
        )
    return prediction.mean[:, 0], np.maximum(prediction.std[:, 0], 0.0)


def greedy(prediction: Prediction, **_) -> np.ndarray:
    """The predicted mean: pure exploitation."""
    return _single_task(prediction)[0]


def upper_confidence_bound(prediction: Prediction, beta: float = 2.0, **_) -> np.ndarray:
    """mean + beta * std (beta = 2 is MolPAL's default)."""
    mean, std = _single_task(prediction)
    return mean + beta * std


def expected_improvement(prediction: Prediction, best: float, xi: float = 0.0, **_) -> np.ndarray:
    """E[max(y - best - xi, 0)] under the Gaussian predictive (Jones et al. 1998)."""
    mean, std = _single_task(prediction)
    improvement = mean - best - xi
    safe_std = np.maximum(std, MIN_STD)
    z = improvement / safe_std
    value = improvement * norm.cdf(z) + safe_std * norm.pdf(z)
    return np.where(std > MIN_STD, value, np.maximum(improvement, 0.0))


def probability_of_improvement(
    prediction: Prediction, best: float, xi: float = 0.0, **_
) -> np.ndarray:
    """P(y > best + xi) under the Gaussian predictive."""
    mean, std = _single_task(prediction)
    improvement = mean - best - xi
    z = improvement / np.maximum(std, MIN_STD)
    return np.where(std > MIN_STD, norm.cdf(z), (improvement > 0).astype(float))


def thompson_sampling(prediction: Prediction, rng: np.random.Generator, **_) -> np.ndarray:
    """One posterior draw per candidate: an ensemble member if the prediction has samples
    (a different member per candidate), else the Gaussian marginal."""
    mean, std = _single_task(prediction)
    if prediction.samples is not None:
        members = rng.integers(prediction.samples.shape[0], size=len(mean))
        return prediction.samples[members, np.arange(len(mean)), 0]
    return rng.normal(mean, std)


def max_variance(prediction: Prediction, **_) -> np.ndarray:
    """The predictive standard deviation: pure exploration."""
    return _single_task(prediction)[1]


def random_scores(prediction: Prediction, rng: np.random.Generator, **_) -> np.ndarray:
    """Uniform random scores: the baseline every campaign must beat."""
    return rng.random(prediction.n_molecules)


ACQUISITION_FUNCTIONS: dict[str, Callable[..., np.ndarray]] = {
    "greedy": greedy,
    "ucb": upper_confidence_bound,
    "ei": expected_improvement,
    "pi": probability_of_improvement,
    "thompson": thompson_sampling,
    "variance": max_variance,
    "random": random_scores,
}


def acquisition_scores(
    name: str,
    prediction: Prediction,
    *,
    best: float = -np.inf,
    rng: np.random.Generator | None = None,
    **params: float,
) -> np.ndarray:
    """Scores of the acquisition function `name`, shape (n_candidates,).

    Args:
        name: one of `ACQUISITION_FUNCTIONS`.
        prediction: surrogate prediction of the candidates, one task.
        best: best objective value observed so far (for ``ei`` and ``pi``).
        rng: random generator (``thompson``, ``random``).
        **params: parameters of the function (``beta`` for UCB, ``xi`` for EI/PI).

    Raises:
        ConfigError: unknown function name.
    """
    if name not in ACQUISITION_FUNCTIONS:
        valid = ", ".join(ACQUISITION_FUNCTIONS)
        raise ConfigError(f"unknown acquisition function '{name}' (valid: {valid})")
    rng = rng if rng is not None else np.random.default_rng(0)
    return ACQUISITION_FUNCTIONS[name](prediction, best=best, rng=rng, **params)
