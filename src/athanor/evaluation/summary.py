"""One call to evaluate a model's predictions: accuracy and uncertainty per task."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from athanor.core.prediction import Prediction
from athanor.evaluation.metrics import regression_metrics
from athanor.evaluation.uncertainty import uncertainty_metrics


def evaluate_predictions(
    y_true: np.ndarray,
    prediction: Prediction,
    names: Sequence[str] | None = None,
    coverage: float = 0.9,
) -> pd.DataFrame:
    """Accuracy and uncertainty metrics, one row per task, NaN labels masked per task.

    Args:
        y_true: shape (n, t) (or (n,)), NaN where a task is not labelled.
        prediction: means and σ of shape (n, t), e.g. a surrogate's ``predict``.
        names: t task names; ``task_0``, … by default.
        coverage: nominal coverage of the Gaussian intervals checked.

    Returns:
        index ``task``; columns ``n``, ``mae``, ``rmse``, ``r2``, ``spearman``, ``nll``,
        ``miscalibration_area``, ``error_sigma_spearman``, ``coverage_90`` (see
        `regression_metrics` and `uncertainty_metrics`).
    """
    return pd.concat(
        [
            regression_metrics(y_true, prediction.mean, names),
            uncertainty_metrics(y_true, prediction, names, coverage),
        ],
        axis=1,
    )
