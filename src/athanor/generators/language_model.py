"""Autoregressive chemical language models over SMILES or SELFIES tokens.

`LanguageModel` is a token GRU (as the SMILES-LSTM of Segler et al. 2018 and the REINVENT
prior) trained by maximum likelihood on random SMILES (see `athanor.generators.augment`).
Its API speaks SMILES whatever the internal representation. The generators `smiles_lm` and
`selfies_lm` sample from the shipped ZINC-250k models (or any checkpoint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from tqdm.auto import tqdm

from athanor.core.config import StrictModel
from athanor.core.errors import ConfigError, InputDataError
from athanor.generators.ask_tell import constructor_params
from athanor.generators.augment import randomize_many
from athanor.generators.base import Generator
from athanor.generators.checkpoint import (
    load_checkpoint,
    load_state,
    save_checkpoint,
    weights_path,
)
from athanor.generators.registry import register_generator
from athanor.generators.rnn import (
    TokenGRU,
    encode_batch,
    gradient_step,
    sample_sequences,
    sequence_log_likelihood,
)
from athanor.generators.vocabulary import Representation, Vocabulary

logger = logging.getLogger(__name__)

CHECKPOINT_KIND = "language_model"


class LanguageModelConfig(StrictModel):
    """Architecture of a chemical language model.

    Attributes:
        representation: tokens the model reads and writes (``smiles`` or ``selfies``).
        embedding_dim: token embedding size.
        hidden_dim: GRU state size.
        n_layers: stacked GRU layers.
        dropout: dropout between GRU layers during training.
        max_length: most tokens in a sampled or training sequence.
    """

    representation: Representation = "smiles"
    embedding_dim: int = 64
    hidden_dim: int = 256
    n_layers: int = 2
    dropout: float = 0.0
    max_length: int = 128


def pretrained_path(representation: Representation) -> Path:
    """Checkpoint of the shipped ZINC-250k model (see benchmarks/generation/pretrain.py)."""
    return weights_path(f"{representation}_lm")


class LanguageModel:
    """A GRU language model of molecules.

    Args:
        config: architecture (default: `LanguageModelConfig()`).
        seed: seeds parameter initialisation, batches, augmentation and sampling.
    """

    def __init__(self, config: LanguageModelConfig | None = None, seed: int = 0):
        self.config = config or LanguageModelConfig()
        self.seed = seed

    # -- building -------------------------------------------------------------------------

    def _build(self, vocabulary: Vocabulary) -> None:
        """Fresh parameters, drawn from the global torch RNG (`fit` seeds it, `load` forks it)."""
        c = self.config
        self.vocabulary_ = vocabulary
        self.net_ = TokenGRU(len(vocabulary), c.embedding_dim, c.hidden_dim, c.n_layers, c.dropout)
        self.sampling_rng_ = torch.Generator().manual_seed(self.seed)
        self.training_log_: list[dict] = []

    def _check_fitted(self) -> None:
        if not hasattr(self, "net_"):
            raise InputDataError("the language model is not trained: call fit() or load()")

    def encode(self, smiles: Sequence[str]) -> tuple[torch.Tensor, np.ndarray]:
        """Token batch (n_ok, length) and mask (n,) of the molecules this model can write."""
        self._check_fitted()
        return encode_batch(self.vocabulary_, smiles, self.config.max_length)

    def decode(self, tokens: torch.Tensor) -> list[str]:
        """SMILES of sampled token sequences, shape (n, length) → n strings."""
        return [self.vocabulary_.decode(row) for row in tokens.tolist()]

    # -- training -------------------------------------------------------------------------

    def fit(
        self,
        smiles: Sequence[str],
        steps: int = 1000,
        batch_size: int = 128,
        learning_rate: float = 1e-3,
        augment: bool = True,
        progress: bool = False,
        callback: Callable[[int], None] | None = None,
    ) -> LanguageModel:
        """Train by maximum likelihood (continues training if already fitted).

        Args:
            smiles: training molecules (the vocabulary is built from them on first fit).
            steps: optimiser steps, each on `batch_size` molecules drawn with replacement.
            learning_rate: Adam learning rate (decayed linearly to 10 % over the steps).
            augment: train on a random SMILES of each molecule instead of the given string.
            progress: show a progress bar.
            callback: called with the number of steps done after each step (e.g. to save
                snapshots of a long run).
        """
        if len(smiles) == 0:
            raise InputDataError("cannot train a language model on zero molecules")
        fit_index = len(getattr(self, "training_log_", []))
        # the fit's own torch random stream: reproducible, and the caller's is left untouched
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed + fit_index)
            if not hasattr(self, "net_"):
                self._build(Vocabulary.from_smiles(smiles, self.config.representation))
            rng = np.random.default_rng(self.seed + fit_index)
            settings = {"steps": steps, "batch_size": batch_size, "learning_rate": learning_rate}
            self.training_log_.append(settings | {"augment": augment})
            optimizer = torch.optim.Adam(self.net_.parameters(), lr=learning_rate)
            schedule = torch.optim.lr_scheduler.LinearLR(optimizer, 1.0, 0.1, total_iters=steps)
            self.net_.train()
            for step in tqdm(range(steps), disable=not progress, desc="language model"):
                batch = [smiles[i] for i in rng.integers(len(smiles), size=batch_size)]
                tokens, _ = self.encode(randomize_many(batch, rng) if augment else batch)
                loss = self._train_step(tokens, optimizer)
                schedule.step()
                if step % 100 == 0 or step == steps - 1:
                    logger.info("step %d/%d: loss per token %.4f", step + 1, steps, loss)
                self.training_log_[-1].update(steps_done=step + 1, loss=loss)
                if callback is not None:
                    callback(step + 1)
        self.net_.eval()
        return self

    def _train_step(self, tokens: torch.Tensor, optimizer: torch.optim.Optimizer) -> float:
        """One step of mean negative log-likelihood per token; returns the loss."""
        n_tokens = (tokens[:, 1:] != 0).sum().clamp(min=1)
        loss = -sequence_log_likelihood(self.net_, tokens).sum() / n_tokens
        gradient_step(loss, optimizer)
        return float(loss.detach())

    # -- inference ------------------------------------------------------------------------

    def sample_tokens(self, n: int, temperature: float = 1.0) -> torch.Tensor:
        """Sampled token sequences, shape (n, length); decode with `decode`."""
        self._check_fitted()
        self.net_.eval()
        return sample_sequences(
            self.net_, n, self.config.max_length, temperature, self.sampling_rng_
        )

    def sample(self, n: int, temperature: float = 1.0, batch_size: int = 512) -> list[str]:
        """Sample `n` SMILES (some may be invalid molecules)."""
        smiles: list[str] = []
        while len(smiles) < n:
            chunk = self.sample_tokens(min(batch_size, n - len(smiles)), temperature)
            smiles.extend(self.decode(chunk))
        return smiles

    @torch.no_grad()
    def log_likelihood(self, smiles: Sequence[str], batch_size: int = 512) -> np.ndarray:
        """Log-probability of each molecule's given string, shape (n,).

        Strings the vocabulary cannot write get ``-inf``.
        """
        self._check_fitted()
        self.net_.eval()
        result = np.full(len(smiles), -np.inf)
        for start in range(0, len(smiles), batch_size):
            chunk = smiles[start : start + batch_size]
            tokens, ok = self.encode(chunk)
            if ok.any():
                values = sequence_log_likelihood(self.net_, tokens).double().numpy()
                result[start + np.flatnonzero(ok)] = values
        return result

    # -- persistence ----------------------------------------------------------------------

    def save(self, path: str | Path, metadata: dict | None = None) -> Path:
        """Write checkpoint `path` (`.pt` + `.json`); returns the `.pt` path."""
        self._check_fitted()
        description = {
            "config": self.config.model_dump(),
            "seed": self.seed,
            "vocabulary": self.vocabulary_.to_dict(),
            "training": self.training_log_,
            "metadata": metadata or {},
        }
        return save_checkpoint(path, CHECKPOINT_KIND, self.net_.state_dict(), description)

    @classmethod
    def load(cls, path: str | Path) -> LanguageModel:
        """Rebuild a model saved with `save`.

        Raises:
            ModelFileError: missing, damaged or newer checkpoint.
        """
        state_dict, description = load_checkpoint(path, CHECKPOINT_KIND)
        model = cls(LanguageModelConfig(**description["config"]), description["seed"])
        with torch.random.fork_rng(devices=[]):  # the weights are overwritten: leave no trace
            model._build(Vocabulary.from_dict(description["vocabulary"]))
        load_state(model.net_, state_dict, Path(path))
        model.training_log_ = description["training"]
        model.net_.eval()
        return model

    @classmethod
    def pretrained(cls, representation: Representation = "smiles") -> LanguageModel:
        """The shipped model pretrained on ZINC-250k."""
        return cls.load(pretrained_path(representation))


def positive_temperature(temperature: float) -> float:
    """The sampling temperature, checked: a number > 0 (0 or less gives no valid molecule)."""
    if isinstance(temperature, bool) or not isinstance(temperature, int | float):
        raise ConfigError(f"temperature = {temperature!r} is not a number")
    if not temperature > 0:
        raise ConfigError(f"temperature = {temperature!r}: it must be > 0")
    return float(temperature)


class _LanguageModelGenerator(Generator):
    """Samples from a pretrained language model; `tell` does not change it.

    Args:
        checkpoint: model to load (default: the shipped ZINC-250k model).
        temperature: sampling temperature.
        seed: sampling seed.
    """

    representation: Representation = "smiles"

    def __init__(self, checkpoint: str | None = None, temperature: float = 1.0, seed: int = 0):
        self.checkpoint = checkpoint
        self.temperature = positive_temperature(temperature)
        self.seed = seed

    def _model(self) -> LanguageModel:
        if not hasattr(self, "model_"):
            path = self.checkpoint or pretrained_path(self.representation)
            self.model_ = LanguageModel.load(path)
            self.model_.sampling_rng_.manual_seed(self.seed)
        return self.model_

    def ask(self, n: int) -> list[str]:
        return self._model().sample(n, self.temperature)

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        """A pure sampler: scores are ignored (use `reinvent` to learn from them)."""

    def get_params(self) -> dict:
        return constructor_params(self)


@register_generator("smiles_lm")
class SmilesLanguageModelGenerator(_LanguageModelGenerator):
    """Samples SMILES from a GRU language model (shipped: ZINC-250k)."""

    representation = "smiles"


@register_generator("selfies_lm")
class SelfiesLanguageModelGenerator(_LanguageModelGenerator):
    """Samples SELFIES from a GRU language model, returned as SMILES (shipped: ZINC-250k)."""

    representation = "selfies"
