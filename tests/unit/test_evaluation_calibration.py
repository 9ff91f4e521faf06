"""Post-hoc recalibration: z-scaling fixes mis-scaled σ; conformal intervals hit coverage."""

from __future__ import annotations

import numpy as np
import pytest

from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction
from athanor.evaluation import (
    ConformalRegressor,
    NotFittedError,
    ZScaling,
    gaussian_nll,
    interval_coverage,
    miscalibration_area,
)


def heteroscedastic(n: int, seed: int, sigma_factor: float = 1.0, n_tasks: int = 1):
    """Targets (n, t) and a prediction whose σ is the true σ times `sigma_factor`."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, size=(n, n_tasks))
    true_std = 0.1 + 0.5 * np.abs(x)
    y = np.sin(x) + true_std * rng.normal(size=(n, n_tasks))
    return y, Prediction(np.sin(x), true_std * sigma_factor)


def test_z_scaling_recovers_the_missing_factor_and_calibrates():
    y_val, val = heteroscedastic(3000, seed=0, sigma_factor=0.4)
    y_test, test = heteroscedastic(3000, seed=1, sigma_factor=0.4)
    scaling = ZScaling().fit(val, y_val)
    assert scaling.scale_ == pytest.approx([2.5], rel=0.05)
    calibrated = scaling.transform(test)
    before = miscalibration_area(y_test, test.mean, test.std)[0]
    after = miscalibration_area(y_test, calibrated.mean, calibrated.std)[0]
    assert before > 0.2 and after < 0.02
    assert gaussian_nll(y_test, calibrated.mean, calibrated.std) < gaussian_nll(
        y_test, test.mean, test.std
    )
    np.testing.assert_array_equal(calibrated.mean, test.mean)


def test_z_scaling_is_per_task_masks_nan_and_scales_samples_about_the_mean():
    y_val, val = heteroscedastic(2000, seed=2, n_tasks=2)
    val = Prediction(val.mean, val.std * np.array([1.0, 3.0]))
    y_val[::2, 1] = np.nan
    scale = ZScaling().fit(val, y_val).scale_
    assert scale == pytest.approx([1.0, 1 / 3], rel=0.06)
    mean, std = np.zeros((1, 2)), np.ones((1, 2))
    samples = np.array([[[1.0, 1.0]], [[-1.0, -1.0]]])  # shape (2, 1, 2)
    scaled = ZScaling().fit(val, y_val).transform(Prediction(mean, std, samples))
    np.testing.assert_allclose(scaled.samples[0, 0], scale)
    np.testing.assert_allclose(scaled.std[0], scale)


@pytest.mark.parametrize(("coverage", "sigma_factor"), [(0.9, 1.0), (0.9, 0.3), (0.8, 2.0)])
def test_conformal_intervals_cover_the_requested_fraction(coverage, sigma_factor):
    y_val, val = heteroscedastic(4000, seed=3, sigma_factor=sigma_factor)
    y_test, test = heteroscedastic(5000, seed=4, sigma_factor=sigma_factor)
    conformal = ConformalRegressor(coverage).fit(val, y_val)
    lower, upper = conformal.predict_interval(test)
    assert interval_coverage(y_test, lower, upper)[0] == pytest.approx(coverage, abs=0.02)
    assert conformal.quantile_[0] * sigma_factor == pytest.approx(
        {0.9: 1.645, 0.8: 1.282}[coverage], rel=0.06
    )


def test_conformal_quantile_is_the_finite_sample_rank():
    # scores |y - mean| / σ = 1..19; rank ceil(20 * 0.9) = 18 -> q = 18
    y = np.arange(1.0, 20.0)
    prediction = Prediction(np.zeros((19, 1)), np.ones((19, 1)))
    assert ConformalRegressor(0.9).fit(prediction, y).quantile_ == pytest.approx([18.0])
    with pytest.raises(InputDataError, match="cannot calibrate"):
        ConformalRegressor(0.99).fit(prediction, y)


def test_recalibrators_refuse_misuse():
    y, prediction = heteroscedastic(50, seed=5)
    with pytest.raises(NotFittedError):
        ZScaling().transform(prediction)
    with pytest.raises(NotFittedError):
        ConformalRegressor().predict_interval(prediction)
    with pytest.raises(InputDataError, match="σ must be > 0"):
        ZScaling().fit(Prediction(prediction.mean, 0 * prediction.std), y)
    with pytest.raises(InputDataError, match="no labelled rows"):
        ZScaling().fit(prediction, np.full_like(y, np.nan))
    with pytest.raises(InputDataError, match="coverage"):
        ConformalRegressor(90).fit(prediction, y)
    two_tasks = Prediction(np.zeros((3, 2)), np.ones((3, 2)))
    with pytest.raises(InputDataError, match="fitted on 1 tasks"):
        ZScaling().fit(prediction, y).transform(two_tasks)
