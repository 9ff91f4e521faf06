"""REINVENT learns from a batch told only in part, once, before it samples again.

A design campaign never tells every proposal (repeats and molecules already chosen are left
out), so the update of a partly told batch waits for the next `ask`: the batch may still be
told in several parts, and every sample is drawn from an agent that has learnt all scores
told so far.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from athanor.chem.parse import canonical_smiles
from athanor.generators.registry import make_generator
from tests.unit.test_language_model import tiny_model


@pytest.fixture(scope="module")
def prior_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("prior") / "prior"
    tiny_model().save(path)
    return str(path)


def agent_parameters(generator) -> list[torch.Tensor]:
    return [p.detach().clone() for p in generator.agent_.net_.parameters()]


def unchanged(before: list[torch.Tensor], after: list[torch.Tensor]) -> bool:
    return all(torch.equal(a, b) for a, b in zip(before, after, strict=True))


def test_scores_of_a_partly_told_batch_are_learnt_at_the_next_ask(prior_path):
    generator = make_generator("reinvent", prior=prior_path, learning_rate=1e-3, seed=0)
    proposals = generator.ask(16)
    valid = list(dict.fromkeys(c for s in proposals if (c := canonical_smiles(s)) is not None))
    told = valid[:3]
    before = agent_parameters(generator)
    generator.tell(told, np.ones(len(told)))  # most of the batch is never told
    assert unchanged(before, agent_parameters(generator))  # more of the batch may come
    generator.ask(4)
    assert not unchanged(before, agent_parameters(generator))
    assert set(generator.replay_.smiles()) == set(told)  # only what was told, kept for replay
