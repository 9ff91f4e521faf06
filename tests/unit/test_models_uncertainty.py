"""Uncertainty maths, likelihood losses and the learning-rate schedule."""

import math

import numpy as np
import pytest
import torch

from athanor.models.likelihoods import EvidentialLikelihood, GaussianLikelihood
from athanor.models.training import Schedule
from athanor.models.uncertainty import combine_members, evidential_variance, unscale


def test_mixture_of_members_adds_aleatoric_and_epistemic_variance():
    means = np.array([[[1.0]], [[3.0]]])  # two members, one molecule, one task
    variances = np.array([[[0.5]], [[1.5]]])
    prediction = combine_members(means, variances)
    assert prediction.mean[0, 0] == 2.0
    assert prediction.std[0, 0] == pytest.approx(math.sqrt(1.0 + 1.0))  # E[var] + Var[mean]
    np.testing.assert_array_equal(prediction.samples, means)


def test_single_member_has_no_samples():
    prediction = combine_members(np.ones((1, 3, 2)), np.full((1, 3, 2), 4.0))
    assert prediction.samples is None and (prediction.std == 2.0).all()


def test_evidential_variance_is_aleatoric_plus_epistemic():
    nu, alpha, beta = np.array(2.0), np.array(3.0), np.array(4.0)
    assert evidential_variance(nu, alpha, beta) == pytest.approx(4 / 2 + 4 / (2 * 2))


def test_unscale_returns_target_units():
    mean, variance = unscale(
        np.array([[1.0]]), np.array([[1.0]]), np.array([10.0]), np.array([2.0])
    )
    assert mean[0, 0] == 12.0 and variance[0, 0] == 4.0


def test_gaussian_loss_is_the_negative_log_likelihood():
    raw = torch.tensor([[0.0, 0.0]])  # mean 0, variance softplus(0) = log 2
    y, mask = torch.tensor([[1.0]]), torch.tensor([[True]])
    variance = math.log(2) + 1e-6
    expected = 0.5 * math.log(2 * math.pi * variance) + 1 / (2 * variance)
    assert float(GaussianLikelihood().loss(raw, y, mask)) == pytest.approx(expected, rel=1e-5)


def test_evidential_loss_ignores_masked_entries():
    raw = torch.randn(3, 8, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([[0.5, 0.0], [1.0, 0.0], [-1.0, 2.0]])
    mask = torch.tensor([[True, False], [True, False], [True, True]])
    likelihood = EvidentialLikelihood(0.2)
    changed = y.clone()
    changed[0, 1] = 100.0  # a masked entry
    assert float(likelihood.loss(raw, y, mask)) == float(likelihood.loss(raw, changed, mask))


def test_noam_schedule_warms_up_then_decays_to_the_final_rate():
    schedule = Schedule(10, 64, 2, 1e-4, 1e-3, 1e-5, None)
    assert schedule.learning_rate(0, 100) == pytest.approx(1e-4)
    assert schedule.learning_rate(200, 100) == pytest.approx(1e-3)
    assert schedule.learning_rate(600, 100) == pytest.approx(1e-3 * 0.01**0.5)
    assert schedule.learning_rate(999, 100) == pytest.approx(1e-5, rel=0.01)
