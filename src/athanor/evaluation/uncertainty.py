"""Quality of predictive uncertainty (Gaussian mean ± σ), per task, NaN labels masked.

Conventions follow Uncertainty Toolbox and chemprop: the calibration curve compares the
expected coverage p of central Gaussian intervals with the observed fraction of targets inside
them, and the miscalibration area is the area between that curve and the diagonal.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import norm

from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction
from athanor.evaluation.metrics import spearman_rho
from athanor.evaluation.tasks import as_task_matrix, task_names, task_wise

logger = logging.getLogger(__name__)

CURVE_LEVELS = np.linspace(0.0, 1.0, 101)


def central_interval(
    mean: np.ndarray, std: np.ndarray, coverage: float = 0.9
) -> tuple[np.ndarray, np.ndarray]:
    """Central Gaussian interval ``mean ± z σ`` holding `coverage` of the probability.

    Args:
        mean: any shape, e.g. (n, t).
        std: same shape, >= 0.
        coverage: in (0, 1), e.g. 0.9 for a 90 % interval (z = 1.645).

    Returns:
        (lower, upper), each the shape of `mean`.
    """
    if not 0 < coverage < 1:
        raise InputDataError(f"coverage must be in (0, 1); got {coverage}")
    half_width = norm.ppf(0.5 + coverage / 2) * np.asarray(std)
    return mean - half_width, mean + half_width


def calibration_curve(
    y_true: np.ndarray, mean: np.ndarray, std: np.ndarray, levels: np.ndarray = CURVE_LEVELS
) -> np.ndarray:
    """Observed coverage of central Gaussian intervals at each expected coverage level.

    Args:
        y_true, mean, std: shape (n,), labelled rows only, std > 0.
        levels: shape (m,), expected coverages in [0, 1].

    Returns:
        shape (m,), the fraction of targets inside each interval; the diagonal if calibrated.
    """
    z = np.abs(y_true - mean) / std
    return np.mean(z[None, :] <= norm.ppf(0.5 + levels / 2)[:, None], axis=1)


@task_wise
def gaussian_nll(y_true: np.ndarray, mean: np.ndarray, std: np.ndarray) -> float:
    """Mean negative log-likelihood of the targets under N(mean, std²) per task (nats).

    Args (n, t), std > 0; returns (t,). Lower is better; it rewards sharp *and* honest σ.
    """
    z = (y_true - mean) / std
    return float(np.mean(0.5 * np.log(2 * np.pi) + np.log(std) + 0.5 * z**2))


@task_wise
def miscalibration_area(y_true: np.ndarray, mean: np.ndarray, std: np.ndarray) -> float:
    """Area between the calibration curve and the diagonal per task, in [0, 0.5].

    Args (n, t), std > 0; returns (t,). About 0 when calibrated (up to sampling noise, ~0.01
    for a thousand points); overconfident and underconfident σ both make it large.
    """
    deviation = np.abs(calibration_curve(y_true, mean, std) - CURVE_LEVELS)
    return float(np.trapezoid(deviation, CURVE_LEVELS))


@task_wise
def error_sigma_spearman(y_true: np.ndarray, mean: np.ndarray, std: np.ndarray) -> float:
    """Spearman ρ between |y_true - mean| and σ per task: does σ rank the errors?

    Args (n, t); returns (t,). Modest values (0.2–0.4) are typical even for useful σ, since
    one error is a single draw from its distribution.
    """
    return spearman_rho(np.abs(y_true - mean), std)


@task_wise
def interval_coverage(y_true: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> float:
    """Fraction of targets with ``lower <= y_true <= upper`` per task; args (n, t), returns (t,)."""
    return float(np.mean((lower <= y_true) & (y_true <= upper)))


def _positive_std_tasks(y_true: np.ndarray, std: np.ndarray) -> np.ndarray:
    """Shape (t,), True for tasks whose σ is > 0 and finite on every labelled row."""
    usable = np.isnan(y_true) | (np.isfinite(std) & (std > 0))
    return usable.all(axis=0)


def uncertainty_metrics(
    y_true: np.ndarray,
    prediction: Prediction,
    names: Sequence[str] | None = None,
    coverage: float = 0.9,
) -> pd.DataFrame:
    """Uncertainty table, one row per task.

    Args:
        y_true: shape (n, t) (or (n,)), NaN where a task is not labelled.
        prediction: means and σ of shape (n, t).
        names: t task names; ``task_0``, … by default.
        coverage: the nominal coverage of the Gaussian intervals checked.

    Returns:
        index ``task``; columns ``nll``, ``miscalibration_area``, ``error_sigma_spearman`` and
        ``coverage_90`` (for coverage 0.9: the observed coverage of the 90 % intervals). A task
        where some σ is 0 or not finite gets NaN, with a warning: these metrics need σ > 0.
    """
    y = as_task_matrix(y_true, "y_true")
    mean, std = prediction.mean, prediction.std
    lower, upper = central_interval(mean, std, coverage)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "nll": gaussian_nll(y, mean, std),
                "miscalibration_area": miscalibration_area(y, mean, std),
                "error_sigma_spearman": error_sigma_spearman(y, mean, std),
                f"coverage_{round(100 * coverage)}": interval_coverage(y, lower, upper),
            },
            index=pd.Index(task_names(names, y.shape[1]), name="task"),
        )
    usable = _positive_std_tasks(y, std)
    if not usable.all():
        logger.warning(
            "sigma is 0 or not finite for tasks %s: no uncertainty metrics for them",
            list(table.index[~usable]),
        )
        table.loc[~usable] = np.nan
    return table
