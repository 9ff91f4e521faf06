"""REINVENT: augmented-likelihood loss, diversity filter, replay and the RL loop."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from athanor.chem.parse import canonical_smiles
from athanor.core.errors import InputDataError
from athanor.generators.diversity_filter import ScaffoldDiversityFilter
from athanor.generators.registry import make_generator
from athanor.generators.reinvent import augmented_likelihood_loss
from athanor.generators.replay import ReplayBuffer
from tests.unit.test_language_model import tiny_model


def has_nitrogen(smiles: list[str]) -> np.ndarray:
    """1 for a valid molecule containing nitrogen, else 0."""
    return np.array(
        [float((c := canonical_smiles(s)) is not None and "N" in c.upper()) for s in smiles]
    )


@pytest.fixture(scope="module")
def prior_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("prior") / "prior"
    tiny_model().save(path)
    return str(path)


def test_loss_is_zero_when_agent_matches_augmented_likelihood():
    prior = torch.tensor([-10.0, -20.0])
    loss = augmented_likelihood_loss(
        torch.tensor([-5.0, -20.0]), prior, torch.tensor([0.5, 0.0]), 10.0
    )
    assert loss.tolist() == [0.0, 0.0]


def test_diversity_filter_zeroes_repeats_and_full_buckets():
    filter_ = ScaffoldDiversityFilter(bucket_size=2, min_score=0.5)
    smiles = ["c1ccccc1O", "OC1=CC=CC=C1", "c1ccccc1N", "c1ccccc1C", "CCO", "C1CC"]
    scores = filter_(smiles, np.array([0.9, 0.9, 0.8, 0.7, 0.6, 0.9]))
    # repeat of phenol, benzene bucket full after 2, acyclic CCO kept, invalid → 0
    assert scores.tolist() == [0.9, 0.0, 0.8, 0.0, 0.6, 0.0]


def test_replay_buffer_keeps_the_best_distinct_molecules():
    buffer = ReplayBuffer(capacity=2)
    buffer.add(["A", "B", "C", "A"], np.array([0.1, 0.5, 0.0, 0.9]))
    assert buffer.smiles() == ["A", "B"]
    smiles, scores = buffer.sample(5, np.random.default_rng(0))
    assert sorted(smiles) == ["A", "B"] and sorted(scores.tolist()) == [0.5, 0.9]


def run_loop(generator, steps: int, batch: int = 64) -> list[float]:
    means = []
    for _ in range(steps):
        smiles = generator.ask(batch)
        scores = has_nitrogen(smiles)
        generator.tell(smiles, scores)
        means.append(scores.mean())
    return means


def test_reinforcement_learning_increases_the_score(prior_path):
    generator = make_generator(
        "reinvent", prior=prior_path, sigma=20.0, learning_rate=1e-3, bucket_size=100, seed=0
    )
    means = run_loop(generator, steps=12)
    assert np.mean(means[-3:]) > np.mean(means[:3]) + 0.15


def test_ga_children_join_the_batch_and_invalid_strings_do_not_crash(prior_path):
    generator = make_generator("reinvent", prior=prior_path, ga_fraction=0.5, seed=0)
    run_loop(generator, steps=2)
    smiles = generator.ask(20)
    assert len(smiles) <= 20 and len(smiles) > 10
    generator.tell(["C1CC", "", *smiles[2:]], np.full(len(smiles), np.nan))  # invalid, NaN


def test_tell_needs_one_score_per_molecule(prior_path):
    generator = make_generator("reinvent", prior=prior_path)
    smiles = generator.ask(4)
    with pytest.raises(InputDataError, match="2 molecules told with 3 scores"):
        generator.tell(smiles[:2], np.ones(3))
