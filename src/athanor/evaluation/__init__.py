"""Evaluation of surrogate predictions: accuracy, uncertainty quality, post-hoc calibration
and error as a function of distance to the training set. All metrics are per task and mask
missing (NaN) labels.
"""

from athanor.core.errors import NotFittedError
from athanor.evaluation.calibration import ConformalRegressor, ZScaling
from athanor.evaluation.metrics import mae, r2, regression_metrics, rmse, spearman, spearman_rho
from athanor.evaluation.neighbours import (
    nearest_cosine_distance,
    nearest_tanimoto,
    nearest_tanimoto_smiles,
)
from athanor.evaluation.similarity import ErrorVsProximity, error_vs_proximity, proximity_bins
from athanor.evaluation.summary import evaluate_predictions
from athanor.evaluation.uncertainty import (
    calibration_curve,
    central_interval,
    error_sigma_spearman,
    gaussian_nll,
    interval_coverage,
    miscalibration_area,
    uncertainty_metrics,
)

__all__ = [
    "ConformalRegressor",
    "ErrorVsProximity",
    "NotFittedError",
    "ZScaling",
    "calibration_curve",
    "central_interval",
    "error_sigma_spearman",
    "error_vs_proximity",
    "evaluate_predictions",
    "gaussian_nll",
    "interval_coverage",
    "mae",
    "miscalibration_area",
    "nearest_cosine_distance",
    "nearest_tanimoto",
    "nearest_tanimoto_smiles",
    "proximity_bins",
    "r2",
    "regression_metrics",
    "rmse",
    "spearman",
    "spearman_rho",
    "uncertainty_metrics",
]
