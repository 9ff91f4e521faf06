"""Accuracy of point predictions: MAE, RMSE, R² and Spearman ρ, per task, NaN labels masked."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from athanor.evaluation.tasks import as_task_matrix, task_names, task_wise


def spearman_rho(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation of two vectors of shape (n,); NaN if n < 2 or one is constant."""
    if a.size < 2:
        return np.nan
    ranks_a, ranks_b = rankdata(a), rankdata(b)
    if np.ptp(ranks_a) == 0 or np.ptp(ranks_b) == 0:
        return np.nan
    return float(np.corrcoef(ranks_a, ranks_b)[0, 1])


@task_wise
def mae(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Mean absolute error per task; args (n, t), returns (t,)."""
    return float(np.mean(np.abs(y_true - y_pred)))


@task_wise
def rmse(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Root-mean-square error per task; args (n, t), returns (t,)."""
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


@task_wise
def r2(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Coefficient of determination 1 - SS_res / SS_tot per task; NaN if y_true is constant."""
    total = np.sum((y_true - y_true.mean()) ** 2)
    if total == 0:
        return np.nan
    return float(1.0 - np.sum((y_true - y_pred) ** 2) / total)


@task_wise
def spearman(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Spearman ρ between targets and predictions per task; args (n, t), returns (t,)."""
    return spearman_rho(y_true, y_pred)


def regression_metrics(
    y_true: np.ndarray, y_pred: np.ndarray, names: Sequence[str] | None = None
) -> pd.DataFrame:
    """Accuracy table, one row per task.

    Args:
        y_true: shape (n, t) (or (n,)), NaN where a task is not labelled.
        y_pred: shape (n, t) (or (n,)), predicted means.
        names: t task names; ``task_0``, … by default.

    Returns:
        index ``task``; columns ``n`` (labelled rows), ``mae``, ``rmse``, ``r2``, ``spearman``.
    """
    y = as_task_matrix(y_true, "y_true")
    return pd.DataFrame(
        {
            "n": (~np.isnan(y)).sum(axis=0),
            "mae": mae(y, y_pred),
            "rmse": rmse(y, y_pred),
            "r2": r2(y, y_pred),
            "spearman": spearman(y, y_pred),
        },
        index=pd.Index(task_names(names, y.shape[1]), name="task"),
    )
