"""Desirability transforms, aggregation and Pareto tools: values against hand computation."""

from __future__ import annotations

import numpy as np
import pytest

from athanor.core.errors import ConfigError
from athanor.objectives import aggregate, hypervolume, hypervolume_improvement, non_dominated_rank
from athanor.objectives.desirability import make_desirability


@pytest.mark.parametrize(
    ("spec", "x", "expected"),
    [
        ({"kind": "identity"}, [0.3], [0.3]),
        ({"kind": "linear", "lower": 0.0, "upper": 0.8}, [-1, 0.4, 0.8, 2], [0, 0.5, 1, 1]),
        ({"kind": "linear", "lower": 5, "upper": 3}, [2, 4, 6], [1, 0.5, 0]),
        ({"kind": "sigmoid", "center": 2, "scale": 1}, [2], [0.5]),
        ({"kind": "sigmoid", "center": 0, "scale": 1, "increasing": False}, [np.log(3)], [0.25]),
        ({"kind": "step", "threshold": 3.5, "above": False}, [3.4, 3.5, 3.6], [1, 1, 0]),
        ({"kind": "window", "lower": 2, "upper": 3}, [1.9, 2.5, 3.1], [0, 1, 0]),
        ({"kind": "window", "lower": 2, "upper": 3, "softness": 0.5}, [1.5], [np.exp(-0.5)]),
        ({"kind": "gaussian", "mu": 1, "sigma": 2}, [3], [np.exp(-0.5)]),
        ({"kind": "min_gaussian", "mu": 1, "sigma": 1}, [0, 2], [1, np.exp(-0.5)]),
        ({"kind": "max_gaussian", "mu": 100, "sigma": 10}, [110, 90], [1, np.exp(-0.5)]),
    ],
)
def test_desirability_values(spec, x, expected):
    np.testing.assert_allclose(make_desirability(spec)(np.array(x, float)), expected, atol=1e-12)


def test_desirability_keeps_nan_and_names_allowed_keys():
    assert np.isnan(make_desirability({"kind": "step", "threshold": 1})(np.array([np.nan])))[0]
    with pytest.raises(ConfigError, match="allowed: center, increasing, kind, scale"):
        make_desirability({"kind": "sigmoid", "center": 1, "scale": 1, "slope": 2})
    with pytest.raises(ConfigError, match=r"valid: .*window"):
        make_desirability({"kind": "bell"})


def test_aggregation():
    d = np.array([[1.0, 0.25], [0.5, 0.0]])
    np.testing.assert_allclose(aggregate(d, np.array([1.0, 1.0]), "arithmetic"), [0.625, 0.25])
    np.testing.assert_allclose(aggregate(d, np.array([1.0, 1.0]), "geometric"), [0.5, 0.0])
    np.testing.assert_allclose(aggregate(d, np.array([3.0, 1.0]), "geometric")[0], 0.25**0.25)
    np.testing.assert_allclose(aggregate(d, np.array([1.0, 1.0]), "min"), [0.25, 0.0])


def test_non_dominated_rank():
    Y = np.array([[1, 3], [2, 2], [3, 1], [1, 1], [0.5, 0.5], [2, 2]])
    np.testing.assert_array_equal(non_dominated_rank(Y), [0, 0, 0, 1, 2, 0])


def test_two_objective_sweep_agrees_with_general_sorting():
    rng = np.random.default_rng(0)
    Y = rng.integers(0, 6, size=(300, 2)).astype(float)  # many ties and duplicates
    padded = np.column_stack([Y, np.zeros(len(Y))])  # a constant third objective: general path
    np.testing.assert_array_equal(non_dominated_rank(Y), non_dominated_rank(padded))


def test_hypervolume_two_objectives_by_hand():
    Y = np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0], [0.5, 0.5]])
    # staircase: 3x1 + 2x1 + 1x1 above the origin
    assert hypervolume(Y, np.zeros(2)) == pytest.approx(6.0)
    # with reference (1, 1) only (2, 2) counts fully: 1x1; (1, 3) and (3, 1) touch it
    assert hypervolume(Y, np.ones(2)) == pytest.approx(1.0)
    assert hypervolume(np.empty((0, 2)), np.zeros(2)) == 0.0
    gain = hypervolume_improvement(np.array([[2.5, 2.5], [0.5, 0.5]]), Y, np.zeros(2))
    np.testing.assert_allclose(
        gain, [1.25, 0.0]
    )  # 6 -> 7.25: (2.5,2.5) adds 0.5x1.5 + 0.5x0.5 + 0.5x0.5


def test_hypervolume_three_objectives_and_monte_carlo():
    Y = np.array([[1.0, 1.0, 1.0], [2.0, 0.5, 0.5]])
    assert hypervolume(Y, np.zeros(3)) == pytest.approx(1.25)
    rng = np.random.default_rng(0)
    points = rng.random((8, 3))
    samples = rng.random((200_000, 3))
    covered = (samples[:, None, :] <= points[None]).all(axis=2).any(axis=1).mean()
    assert hypervolume(points, np.zeros(3)) == pytest.approx(covered, abs=0.005)
