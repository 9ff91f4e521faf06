"""Error as a function of distance to the training set: does distance predict error?

``proximity`` is one number per test molecule: the nearest-neighbour Tanimoto similarity to
the training set (`nearest_tanimoto_smiles`), or the cosine distance to the nearest training
molecule in a learned embedding (`nearest_cosine_distance`). The analysis bins it and reports
the error per bin, and the Spearman ρ between proximity and |error| over all molecules
(negative for a similarity, positive for a distance, when remote molecules are harder).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from athanor.core.errors import InputDataError
from athanor.evaluation.metrics import spearman_rho
from athanor.evaluation.tasks import as_task_matrix, task_names, task_wise


@dataclass(frozen=True)
class ErrorVsProximity:
    """Error per proximity bin and its rank correlation with proximity.

    Attributes:
        table: tidy, one row per (task, bin): ``task``, ``bin`` (an interval),
            ``proximity_mean``, ``n``, ``mae``, ``rmse``.
        spearman: index task, the Spearman ρ between proximity and |error|.
    """

    table: pd.DataFrame
    spearman: pd.Series


@task_wise
def _proximity_error_spearman(
    y_true: np.ndarray, y_pred: np.ndarray, proximity: np.ndarray
) -> float:
    return spearman_rho(proximity, np.abs(y_true - y_pred))


def proximity_bins(proximity: np.ndarray, bins: int | Sequence[float] = 5) -> pd.Categorical:
    """The bin of each molecule, shape (n,).

    Args:
        proximity: shape (n,).
        bins: a number of equal-count (quantile) bins, or explicit edges such as
            ``[0, 0.3, 0.4, 0.5, 0.6, 1]`` for Tanimoto similarity.
    """
    if isinstance(bins, int):
        return pd.qcut(proximity, bins, duplicates="drop")
    return pd.cut(proximity, list(bins), include_lowest=True)


def error_vs_proximity(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    proximity: np.ndarray,
    bins: int | Sequence[float] = 5,
    names: Sequence[str] | None = None,
) -> ErrorVsProximity:
    """Binned error against distance (or similarity) to the training set, per task.

    Args:
        y_true: shape (n, t) (or (n,)), NaN where a task is not labelled.
        y_pred: shape (n, t) (or (n,)), predicted means.
        proximity: shape (n,), one value per molecule, shared by all tasks.
        bins: see `proximity_bins`.
        names: t task names; ``task_0``, … by default.

    Raises:
        InputDataError: if `proximity` is not a finite vector of length n.
    """
    y = as_task_matrix(y_true, "y_true")
    predicted = as_task_matrix(y_pred, "y_pred")
    proximity = np.asarray(proximity, dtype=np.float64)
    if proximity.shape != (y.shape[0],) or not np.all(np.isfinite(proximity)):
        raise InputDataError(f"proximity must be finite with shape ({y.shape[0]},)")
    tasks = task_names(names, y.shape[1])
    column = np.repeat(proximity[:, None], y.shape[1], axis=1)
    spearman = _proximity_error_spearman(y, predicted, column)  # also checks the shapes
    error = pd.DataFrame(np.abs(y - predicted), columns=tasks)
    frame = error.assign(bin=proximity_bins(proximity, bins), proximity=proximity).melt(
        id_vars=["bin", "proximity"], var_name="task", value_name="abs_error"
    )
    frame["task"] = pd.Categorical(frame["task"], categories=tasks)
    grouped = frame.dropna(subset="abs_error").groupby(["task", "bin"], observed=False)
    table = grouped.agg(
        proximity_mean=("proximity", "mean"),
        n=("abs_error", "size"),
        mae=("abs_error", "mean"),
        rmse=("abs_error", lambda e: float(np.sqrt(np.mean(e**2)))),
    ).reset_index()
    return ErrorVsProximity(table, pd.Series(spearman, index=pd.Index(tasks, name="task")))
