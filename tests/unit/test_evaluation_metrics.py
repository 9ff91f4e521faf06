"""Accuracy and uncertainty metrics against hand-computed values; NaN labels masked per task."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction
from athanor.evaluation import (
    central_interval,
    error_sigma_spearman,
    evaluate_predictions,
    gaussian_nll,
    interval_coverage,
    mae,
    miscalibration_area,
    r2,
    regression_metrics,
    rmse,
    spearman,
)

Y = np.array([1.0, 2.0, 3.0, 4.0])
PRED = np.array([1.5, 2.0, 2.0, 5.0])  # errors 0.5, 0, -1, 1


def gaussian_data(n: int, seed: int = 0, sigma_factor: float = 1.0):
    """Heteroscedastic targets with honest σ (times `sigma_factor`), shapes (n,)."""
    rng = np.random.default_rng(seed)
    mean = rng.normal(size=n)
    std = np.exp(rng.normal(scale=0.5, size=n))
    y = mean + std * rng.normal(size=n)
    return y, mean, std * sigma_factor


def test_accuracy_metrics_match_hand_computed_values():
    assert mae(Y, PRED) == pytest.approx([0.625])
    assert rmse(Y, PRED) == pytest.approx([0.75])  # sqrt(2.25 / 4)
    assert r2(Y, PRED) == pytest.approx([0.55])  # 1 - 2.25 / 5
    # ranks of PRED are 1, 2.5, 2.5, 4: covariance 4.5, variances 5 and 4.5
    assert spearman(Y, PRED) == pytest.approx([4.5 / np.sqrt(5 * 4.5)])


def test_nan_labels_are_masked_per_task():
    y = np.column_stack([Y, [1.0, np.nan, 3.0, np.nan]])
    pred = np.column_stack([PRED, PRED])
    table = regression_metrics(y, pred, names=["logS", "logP"])
    assert table["n"].tolist() == [4, 2]
    assert table.loc["logP", "mae"] == pytest.approx(0.75)  # |0.5| and |-1|
    assert table.loc["logS", "mae"] == pytest.approx(0.625)
    assert table.loc["logP", "rmse"] == pytest.approx(np.sqrt((0.25 + 1) / 2))


def test_degenerate_tasks_give_nan_not_errors():
    assert np.isnan(r2([2.0, 2.0], [1.0, 3.0])[0])  # constant targets
    assert np.isnan(spearman([1.0, 2.0], [3.0, 3.0])[0])  # constant predictions
    assert np.isnan(mae([np.nan, np.nan], [1.0, 2.0])[0])  # no labels


def test_shape_mismatch_is_an_input_error():
    with pytest.raises(InputDataError, match="shape"):
        mae(np.zeros((4, 2)), np.zeros((4, 1)))


def test_gaussian_nll_matches_the_formula():
    half_log_2pi = 0.5 * np.log(2 * np.pi)
    assert gaussian_nll([0.0], [0.0], [1.0]) == pytest.approx([half_log_2pi])
    expected = half_log_2pi + np.log(2.0) + 0.5 * (1.0 / 2.0) ** 2
    assert gaussian_nll([1.0], [0.0], [2.0]) == pytest.approx([expected])


def test_miscalibration_area_small_when_calibrated_large_when_overconfident():
    y, mean, std = gaussian_data(5000)
    assert miscalibration_area(y, mean, std)[0] < 0.02
    assert miscalibration_area(y, mean, std / 3)[0] > 0.3
    assert miscalibration_area(y, mean, std * 3)[0] > 0.2


def test_coverage_of_gaussian_intervals_is_nominal_when_calibrated():
    y, mean, std = gaussian_data(5000, seed=1)
    lower, upper = central_interval(mean, std, 0.9)
    assert interval_coverage(y, lower, upper)[0] == pytest.approx(0.9, abs=0.015)
    lower, upper = central_interval(mean, std / 2, 0.9)
    assert interval_coverage(y, lower, upper)[0] < 0.65  # P(|z| < 0.82) = 0.59


def test_error_sigma_spearman_rewards_sigma_that_ranks_errors():
    y, mean, std = gaussian_data(5000, seed=2)
    assert error_sigma_spearman(y, mean, std)[0] > 0.2
    shuffled = np.random.default_rng(0).permutation(std)
    assert abs(error_sigma_spearman(y, mean, shuffled)[0]) < 0.05


def test_evaluate_predictions_combines_accuracy_and_uncertainty_per_task():
    y, mean, std = gaussian_data(1000, seed=3)
    y_two = np.column_stack([y, np.where(np.arange(1000) % 2 == 0, y, np.nan)])
    prediction = Prediction(np.column_stack([mean, mean]), np.column_stack([std, std]))
    table = evaluate_predictions(y_two, prediction, names=["a", "b"])
    assert list(table.columns) == [
        "n",
        "mae",
        "rmse",
        "r2",
        "spearman",
        "nll",
        "miscalibration_area",
        "error_sigma_spearman",
        "coverage_90",
    ]
    assert table.loc["a", "mae"] == pytest.approx(np.mean(np.abs(y - mean)))
    half = slice(0, None, 2)
    assert table.loc["b", "nll"] == pytest.approx(gaussian_nll(y[half], mean[half], std[half])[0])


def test_zero_sigma_task_gets_nan_uncertainty_metrics_with_a_warning(caplog):
    y, mean, std = gaussian_data(100, seed=4)
    prediction = Prediction(np.column_stack([mean, mean]), np.column_stack([std, 0 * std]))
    with caplog.at_level(logging.WARNING):
        table = evaluate_predictions(np.column_stack([y, y]), prediction)
    assert table.loc["task_1", ["nll", "coverage_90"]].isna().all()
    assert table.loc["task_0", ["nll", "coverage_90"]].notna().all()
    assert table.loc["task_1", "mae"] == pytest.approx(table.loc["task_0", "mae"])
    assert "task_1" in caplog.text
