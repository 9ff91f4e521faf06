"""REINVENT: reinforcement learning of a chemical language model towards an objective.

The agent starts as a copy of the pretrained prior. For each sampled molecule the target
log-likelihood is the augmented likelihood log p_prior + σ·score, and the agent minimises
(log p_prior + σ·score − log p_agent)² (Olivecrona et al. 2017; Blaschke et al. 2020,
REINVENT 2/4). A scaffold diversity filter zeroes scores of crowded scaffolds and repeats,
and the best molecules so far are replayed into each update. Optionally, part of each batch
comes from Graph GA crossover and mutation of the replay buffer (as in "augmented memory",
Guo & Schwaller 2023); those children train the agent through the replay buffer.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from random import Random

import numpy as np
import torch

from athanor.generators.ask_tell import ProposalBatch, constructor_params, told_scores
from athanor.generators.base import Generator
from athanor.generators.diversity_filter import ScaffoldDiversityFilter
from athanor.generators.language_model import LanguageModel, positive_temperature, pretrained_path
from athanor.generators.registry import register_generator
from athanor.generators.replay import ReplayBuffer
from athanor.generators.rnn import gradient_step, sequence_log_likelihood

logger = logging.getLogger(__name__)


def augmented_likelihood_loss(
    agent_log_likelihood: torch.Tensor,
    prior_log_likelihood: torch.Tensor,
    scores: torch.Tensor,
    sigma: float,
) -> torch.Tensor:
    """REINVENT's loss, per molecule.

    Args:
        agent_log_likelihood: shape (n,), differentiable.
        prior_log_likelihood: shape (n,), constant.
        scores: shape (n,), in [0, 1].
        sigma: weight of the score against the prior.

    Returns:
        shape (n,): (log p_prior + σ·score − log p_agent)².
    """
    augmented = prior_log_likelihood + sigma * scores
    return (augmented - agent_log_likelihood) ** 2


@dataclass
class _PendingBatch:
    """An `ask` awaiting its RL update: the agent's samples first, then Graph GA children.

    Attributes:
        proposals: the n proposals, matched to the molecules told.
        tokens: shape (n_sampled, length), the agent's samples.
        scores: shape (n,), diversity-filtered scores of the proposals told (0 until told).
        told_smiles: per proposal, the string it was told as ("" until told).
    """

    proposals: ProposalBatch
    tokens: torch.Tensor
    scores: np.ndarray = field(init=False)
    told_smiles: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.scores = np.zeros(len(self.proposals.smiles))
        self.told_smiles = [""] * len(self.proposals.smiles)


@register_generator("reinvent")
class Reinvent(Generator):
    """REINVENT-style RL on a GRU language model, driven by ask/tell.

    Args:
        prior: language-model checkpoint (default: the shipped ZINC-250k SMILES model).
        sigma: score weight in the augmented likelihood (REINVENT 4 uses 128).
        learning_rate: Adam learning rate of the agent.
        replay_size: molecules kept in the replay buffer.
        replay_batch: buffer molecules replayed in each update.
        bucket_size: rewarded molecules per scaffold (diversity filter).
        min_bucket_score: score from which a molecule fills its scaffold bucket.
        ga_fraction: fraction of each batch made by Graph GA from the replay buffer.
        temperature: agent sampling temperature.
        seed: seeds sampling, replay and GA.
    """

    def __init__(
        self,
        prior: str | None = None,
        sigma: float = 128.0,
        learning_rate: float = 1e-4,
        replay_size: int = 100,
        replay_batch: int = 10,
        bucket_size: int = 25,
        min_bucket_score: float = 0.4,
        ga_fraction: float = 0.0,
        temperature: float = 1.0,
        seed: int = 0,
    ):
        self.prior = prior
        self.sigma = sigma
        self.learning_rate = learning_rate
        self.replay_size = replay_size
        self.replay_batch = replay_batch
        self.bucket_size = bucket_size
        self.min_bucket_score = min_bucket_score
        self.ga_fraction = ga_fraction
        self.temperature = positive_temperature(temperature)
        self.seed = seed

    def get_params(self) -> dict:
        return constructor_params(self)

    def _setup(self) -> None:
        path = self.prior or pretrained_path("smiles")
        self.prior_ = LanguageModel.load(path)
        self.agent_ = LanguageModel.load(path)
        self.agent_.sampling_rng_.manual_seed(self.seed)
        for parameter in self.prior_.net_.parameters():
            parameter.requires_grad_(False)
        self.optimizer_ = torch.optim.Adam(self.agent_.net_.parameters(), lr=self.learning_rate)
        self.filter_ = ScaffoldDiversityFilter(self.bucket_size, self.min_bucket_score)
        self.replay_ = ReplayBuffer(self.replay_size)
        self.rng_ = np.random.default_rng(self.seed)
        self.ga_rng_ = Random(self.seed)
        self.pending_: _PendingBatch | None = None

    def ask(self, n: int) -> list[str]:
        """`n` proposals: agent samples, then (if `ga_fraction`) Graph GA children.

        First runs the update of the previous batch if some of it was never told.
        """
        if not hasattr(self, "agent_"):
            self._setup()
        self._learn()
        children = self._ga_children(round(n * self.ga_fraction))
        tokens = self.agent_.sample_tokens(n - len(children), self.temperature)
        proposals = self.agent_.decode(tokens) + children
        self.pending_ = _PendingBatch(ProposalBatch(proposals), tokens)
        return proposals

    def _ga_children(self, n: int) -> list[str]:
        if n == 0 or len(self.replay_) < 2:
            return []
        from athanor.generators.ga_operators import offspring

        parents = [self.ga_rng_.choice(self.replay_.smiles()) for _ in range(n)]
        return offspring(parents, self.ga_rng_, mutation_fraction=0.1, mutation_rate=0.01)

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        """Record scores of proposals of the last `ask`, as proposed or canonical SMILES.

        Any subset, in any number of tells; strings not proposed are ignored. Scores are
        clipped to [0, 1] (σ assumes that range; NaN and ±inf count as 0). The RL update runs
        once every proposal is told, or else at the next `ask`, on the proposals told.

        Raises:
            InputDataError: not one score per molecule.
        """
        scores = np.clip(told_scores(self.name, len(smiles), scores), 0.0, 1.0)
        pending = getattr(self, "pending_", None)
        if pending is None:
            return
        rows, which = pending.proposals.match(smiles)
        told = [smiles[i] for i in which]
        pending.scores[rows] = self.filter_(told, scores[which])
        for row, text in zip(rows, told, strict=True):
            pending.told_smiles[row] = text
        if pending.proposals.told.all():
            self._learn()

    def _learn(self) -> None:
        """One RL update from the told proposals of the pending batch (if any were told),
        with replay; then the told molecules join the replay buffer."""
        pending = getattr(self, "pending_", None)
        self.pending_ = None
        if pending is None or not pending.proposals.told.any():
            return
        rows = np.flatnonzero(pending.proposals.told)
        sampled = rows[rows < len(pending.tokens)]  # agent samples (GA children only replay)
        losses = []
        if len(sampled):
            tokens = pending.tokens[torch.as_tensor(sampled)]
            losses.append(self._loss(tokens, pending.scores[sampled]))
        if len(self.replay_) and self.replay_batch:
            replayed, replay_scores = self.replay_.sample(self.replay_batch, self.rng_)
            tokens, ok = self.agent_.encode(replayed)
            if ok.any():
                losses.append(self._loss(tokens, replay_scores[ok]))
        if losses:
            loss = torch.cat(losses).mean()
            gradient_step(loss, self.optimizer_)
            logger.info("reinvent: loss %.2f, mean filtered score %.3f",
                        float(loss.detach()), pending.scores[rows].mean())  # fmt: skip
        self.replay_.add([pending.told_smiles[row] for row in rows], pending.scores[rows])

    def _loss(self, tokens: torch.Tensor, scores: np.ndarray) -> torch.Tensor:
        """Per-molecule augmented-likelihood loss of a token batch, shape (n,)."""
        self.agent_.net_.train()
        with torch.no_grad():
            prior = sequence_log_likelihood(self.prior_.net_, tokens)
        agent = sequence_log_likelihood(self.agent_.net_, tokens)
        target = torch.as_tensor(scores, dtype=agent.dtype)
        return augmented_likelihood_loss(agent, prior, target, self.sigma)
