"""Post-hoc calibration of predictive uncertainty on a validation set.

Two scikit-learn-style recalibrators, fitted on validation predictions and applied to test
predictions of the same model:

- `ZScaling` multiplies σ by one factor per task, the factor that minimises the Gaussian
  negative log-likelihood on the validation set.
- `ConformalRegressor` gives split-conformal intervals ``mean ± q σ`` with the normalised
  nonconformity score ``|y - mean| / σ``; they hold the requested coverage on exchangeable
  data whatever the model, under no distributional assumption.
"""

from __future__ import annotations

import math

import numpy as np

from athanor.core.errors import InputDataError, NotFittedError
from athanor.core.prediction import Prediction
from athanor.evaluation.tasks import as_task_matrix


def standardised_residuals(prediction: Prediction, y_true: np.ndarray) -> list[np.ndarray]:
    """``(y - mean) / σ`` of the labelled rows of each task.

    Args:
        prediction: means and σ of shape (n, t), σ > 0 where labelled.
        y_true: shape (n, t) (or (n,)), NaN where a task is not labelled.

    Returns:
        t arrays; array ``k`` has shape (n_labelled_k,).

    Raises:
        InputDataError: on a shape mismatch, a task without labels, or σ <= 0.
    """
    y = as_task_matrix(y_true, "y_true")
    if y.shape != prediction.mean.shape:
        raise InputDataError(f"y_true has shape {y.shape}, predictions {prediction.mean.shape}")
    residuals = []
    for t in range(y.shape[1]):
        labelled = ~np.isnan(y[:, t])
        std = prediction.std[labelled, t]
        if not labelled.any():
            raise InputDataError(f"task {t} has no labelled rows to calibrate on")
        if not np.all(std > 0):
            raise InputDataError(f"task {t}: σ must be > 0 to calibrate; got min {std.min()}")
        residuals.append((y[labelled, t] - prediction.mean[labelled, t]) / std)
    return residuals


def _check_fitted(
    values: np.ndarray | None, prediction: Prediction | None, name: str
) -> np.ndarray:
    if values is None:
        raise NotFittedError(f"{name} is not fitted: call fit(prediction, y_true) first")
    if prediction is not None and prediction.n_tasks != values.size:
        raise InputDataError(f"{name} was fitted on {values.size} tasks, got {prediction.n_tasks}")
    return values


class ZScaling:
    """σ scaled by one factor per task, fitted by Gaussian NLL on a validation set.

    The NLL of ``N(mean, (s σ)²)`` is minimised by ``s² = mean(z²)`` with ``z = (y - mean)/σ``,
    so the fit is exact and closed-form (Levi et al. 2022, "Evaluating and calibrating
    uncertainty prediction in regression tasks"). A factor above 1 means the model was
    overconfident.

    Attributes:
        scale_: shape (t,), the factor applied to σ of each task (after `fit`).
    """

    def __init__(self) -> None:
        self.scale_: np.ndarray | None = None

    def fit(self, prediction: Prediction, y_true: np.ndarray) -> ZScaling:
        """Fit the factors on validation predictions (n, t) and targets (n, t), NaN masked."""
        residuals = standardised_residuals(prediction, y_true)
        self.scale_ = np.array([np.sqrt(np.mean(z**2)) for z in residuals])
        return self

    def transform(self, prediction: Prediction) -> Prediction:
        """The prediction with σ (and the spread of samples about the mean) scaled per task."""
        scale = _check_fitted(self.scale_, prediction, "ZScaling")
        samples = prediction.samples
        if samples is not None:
            samples = prediction.mean + scale * (samples - prediction.mean)
        return Prediction(prediction.mean, prediction.std * scale, samples)

    def to_json(self) -> dict:
        """The fitted factors as JSON-ready data (reload with `from_json`)."""
        return {"scale": _check_fitted(self.scale_, None, "ZScaling").tolist()}

    @classmethod
    def from_json(cls, data: dict) -> ZScaling:
        """A fitted `ZScaling` from `to_json` data."""
        calibrator = cls()
        calibrator.scale_ = np.asarray(data["scale"], dtype=np.float64)
        return calibrator


class ConformalRegressor:
    """Split-conformal intervals ``mean ± q σ`` from normalised scores ``|y - mean| / σ``.

    With n calibration scores per task, q is the ⌈(n + 1)·coverage⌉-th smallest, which gives
    coverage of at least `coverage` (and at most ``coverage + 1/(n + 1)``) on data
    exchangeable with the calibration set (Angelopoulos & Bates, "A gentle introduction to
    conformal prediction", 2021). Scaling by σ makes intervals wider where the model is
    uncertain, so heteroscedastic models get adaptive intervals.

    Args:
        coverage: the target coverage in (0, 1), e.g. 0.9.

    Attributes:
        quantile_: shape (t,), the multiplier q of σ for each task (after `fit`).
    """

    def __init__(self, coverage: float = 0.9) -> None:
        self.coverage = coverage
        self.quantile_: np.ndarray | None = None

    def fit(self, prediction: Prediction, y_true: np.ndarray) -> ConformalRegressor:
        """Fit the multipliers on validation predictions (n, t) and targets (n, t), NaN masked.

        Raises:
            InputDataError: if `coverage` is not in (0, 1) or a task has too few labelled rows
                for it (fewer than coverage / (1 - coverage), e.g. 9 for 90 %).
        """
        if not 0 < self.coverage < 1:
            raise InputDataError(f"coverage must be in (0, 1); got {self.coverage}")
        quantiles = []
        for t, z in enumerate(standardised_residuals(prediction, y_true)):
            rank = math.ceil((z.size + 1) * self.coverage - 1e-9)
            if rank > z.size:
                raise InputDataError(
                    f"task {t}: {z.size} labelled rows cannot calibrate a "
                    f"{self.coverage:.0%} interval; use more rows or a lower coverage"
                )
            quantiles.append(np.sort(np.abs(z))[rank - 1])
        self.quantile_ = np.array(quantiles)
        return self

    def predict_interval(self, prediction: Prediction) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds, each of shape (n, t), for new predictions."""
        quantile = _check_fitted(self.quantile_, prediction, "ConformalRegressor")
        half_width = quantile * prediction.std
        return prediction.mean - half_width, prediction.mean + half_width

    def to_json(self) -> dict:
        """Coverage and fitted multipliers as JSON-ready data (reload with `from_json`)."""
        quantile = _check_fitted(self.quantile_, None, "ConformalRegressor")
        return {"coverage": self.coverage, "quantile": quantile.tolist()}

    @classmethod
    def from_json(cls, data: dict) -> ConformalRegressor:
        """A fitted `ConformalRegressor` from `to_json` data."""
        calibrator = cls(float(data["coverage"]))
        calibrator.quantile_ = np.asarray(data["quantile"], dtype=np.float64)
        return calibrator
