"""Acquisition functions against closed forms, and batch selection rules."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from athanor.acquisition import acquisition_scores, cluster_top_k, diverse_top_k, top_k
from athanor.chem.fingerprints import morgan_fingerprints
from athanor.core.errors import ConfigError, InputDataError
from athanor.core.prediction import Prediction


def _prediction(mean, std, samples=None) -> Prediction:
    mean, std = np.asarray(mean, float)[:, None], np.asarray(std, float)[:, None]
    return Prediction(mean, std, None if samples is None else np.asarray(samples, float)[..., None])


def test_greedy_ucb_and_variance():
    prediction = _prediction([1.0, 2.0, 3.0], [1.0, 0.5, 0.0])
    np.testing.assert_allclose(acquisition_scores("greedy", prediction), [1, 2, 3])
    np.testing.assert_allclose(acquisition_scores("ucb", prediction, beta=2), [3, 3, 3])
    np.testing.assert_allclose(acquisition_scores("variance", prediction), [1, 0.5, 0])


def test_expected_improvement_closed_form():
    prediction = _prediction([1.0, 1.5, 0.0, 2.0], [1.0, 2.0, 1e-12, 0.0])
    scores = acquisition_scores("ei", prediction, best=1.0)
    z = 0.5 / 2.0
    expected = [norm.pdf(0.0), 0.5 * norm.cdf(z) + 2.0 * norm.pdf(z), 0.0, 1.0]
    np.testing.assert_allclose(scores, expected, atol=1e-12)


def test_probability_of_improvement():
    prediction = _prediction([1.0, 3.0, 0.0], [1.0, 1.0, 0.0])
    scores = acquisition_scores("pi", prediction, best=1.0)
    np.testing.assert_allclose(scores, [0.5, norm.cdf(2.0), 0.0])


def test_thompson_draws_ensemble_members_and_is_seeded():
    samples = [[0.0, 10.0], [1.0, 11.0], [2.0, 12.0]]  # (s=3, n=2)
    prediction = _prediction([1.0, 11.0], [0.8, 0.8], samples)
    draws = acquisition_scores("thompson", prediction, rng=np.random.default_rng(3))
    assert draws[0] in (0.0, 1.0, 2.0) and draws[1] in (10.0, 11.0, 12.0)
    again = acquisition_scores("thompson", prediction, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(draws, again)


def test_bad_names_and_multi_task_predictions_are_refused():
    with pytest.raises(ConfigError, match="unknown acquisition function 'ucbb'"):
        acquisition_scores("ucbb", _prediction([1.0], [1.0]))
    two_tasks = Prediction(np.zeros((2, 2)), np.ones((2, 2)))
    with pytest.raises(InputDataError, match="one task"):
        acquisition_scores("ucb", two_tasks)


def test_top_k_respects_feasibility_and_nan():
    scores = np.array([5.0, np.nan, 3.0, 9.0, 7.0])
    feasible = np.array([True, True, True, True, False])
    np.testing.assert_array_equal(top_k(scores, 3, feasible), [3, 0, 2])


def test_diverse_top_k_skips_near_duplicates():
    smiles = ["CCCCCCO", "CCCCCCCO", "c1ccccc1N", "CCCCCCCCO", "c1ccncc1"]
    scores = np.array([10.0, 9.0, 8.0, 7.0, 6.0])
    fingerprints = morgan_fingerprints(smiles)
    picks = diverse_top_k(scores, 3, fingerprints, max_similarity=0.5)
    np.testing.assert_array_equal(picks, [0, 2, 4])  # the other alcohols are too similar


def test_cluster_top_k_limits_each_cluster_then_fills():
    scores = np.array([9.0, 8.0, 7.0, 6.0])
    clusters = np.array(["a", "a", "b", "a"])
    np.testing.assert_array_equal(cluster_top_k(scores, 2, clusters), [0, 2])
    np.testing.assert_array_equal(cluster_top_k(scores, 3, clusters), [0, 2, 1])


def test_pareto_rank_scores_put_the_front_first():
    from athanor.acquisition.multiobjective import pareto_rank_scores

    Y = np.array([[1.0, 1.0], [2.0, 0.0], [0.0, 2.0], [0.5, 0.5], [0.1, 0.1]])
    scores = pareto_rank_scores(Y)
    assert set(np.argsort(-scores)[:3]) == {0, 1, 2}  # the non-dominated three
    assert scores[3] > scores[4]  # second front before the third


def test_hypervolume_improvement_prefers_the_point_filling_the_gap():
    from athanor.acquisition.multiobjective import sequential_hvi_scores

    observed = np.array([[1.0, 0.2], [0.2, 1.0]])
    candidates = np.array([[0.6, 0.6], [1.0, 0.3], [0.15, 0.15]])
    scores = sequential_hvi_scores(candidates, observed, n_picks=1, reference=np.zeros(2))
    # areas added: [0.2, 0.6]^2 (the pick), [0.2, 1] x [0.2, 0.3], nothing (dominated)
    assert scores[0] > 0 > scores[1] > scores[2]


def test_a_believed_pick_spreads_the_batch_along_the_front():
    from athanor.acquisition.multiobjective import sequential_hvi_scores

    observed = np.array([[1.0, 0.0], [0.0, 1.0]])
    # two near-copies filling the same gap, and a point filling another
    candidates = np.array([[0.8, 0.5], [0.79, 0.5], [0.45, 0.85]])
    scores = sequential_hvi_scores(candidates, observed, n_picks=2, reference=np.zeros(2))
    assert list(np.argsort(-scores)[:2]) == [0, 2]  # not the copy of the first pick


def test_optimistic_objectives_add_beta_sigma():
    from athanor.acquisition.multiobjective import optimistic_objectives

    predictions = [_prediction([0.0, 1.0], [1.0, 0.0]), _prediction([2.0, 0.0], [0.5, 0.5])]
    np.testing.assert_allclose(optimistic_objectives(predictions, beta=2), [[2, 3], [1, 1]])
