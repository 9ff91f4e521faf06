"""A SELFIES variational autoencoder with a property head (Gómez-Bombarelli et al. 2018).

Encoder: bidirectional GRU over SELFIES tokens → Gaussian latent code z. Decoder: a token
GRU whose initial state is computed from z. A small MLP predicts standardised molecular
properties from the latent mean, which organises the latent space by those properties, as
in "automatic chemical design". SELFIES make every decoded string a valid molecule.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import torch
from rdkit.Chem import Crippen
from torch import nn
from tqdm.auto import tqdm

from athanor.chem.descriptors import qed
from athanor.chem.parse import parse_molecule
from athanor.core.config import StrictModel
from athanor.core.errors import InputDataError, MoleculeError
from athanor.generators.checkpoint import (
    load_checkpoint,
    load_state,
    save_checkpoint,
    weights_path,
)
from athanor.generators.rnn import (
    TokenGRU,
    encode_batch,
    gradient_step,
    sample_sequences,
    sequence_log_likelihood,
)
from athanor.generators.vocabulary import Vocabulary

logger = logging.getLogger(__name__)

CHECKPOINT_KIND = "selfies_vae"
PROPERTIES: dict[str, Callable] = {"qed": qed, "logp": Crippen.MolLogP}


class VAEConfig(StrictModel):
    """Architecture of the SELFIES VAE.

    Attributes:
        embedding_dim: token embedding size (encoder and decoder).
        encoder_dim: state size of each direction of the encoder GRU.
        latent_dim: size of the latent code z.
        decoder_dim: decoder GRU state size.
        properties: molecular properties predicted from z (keys of `PROPERTIES`).
        max_length: most SELFIES tokens per molecule.
    """

    embedding_dim: int = 32
    encoder_dim: int = 128
    latent_dim: int = 32
    decoder_dim: int = 256
    properties: tuple[str, ...] = ("qed", "logp")
    max_length: int = 100


def molecular_properties(smiles: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """Properties of molecules, shape (n, len(names)); NaN rows for invalid molecules."""
    values = np.full((len(smiles), len(names)), np.nan)
    for row, text in enumerate(smiles):
        try:
            mol = parse_molecule(text)
        except MoleculeError:
            continue
        values[row] = [PROPERTIES[name](mol) for name in names]
    return values


class VAENet(nn.Module):
    """Encoder, latent code, decoder and property head.

    Args:
        vocab_size: SELFIES tokens, special ones included.
        config: sizes.
    """

    def __init__(self, vocab_size: int, config: VAEConfig):
        super().__init__()
        c = config
        self.embedding = nn.Embedding(vocab_size, c.embedding_dim, padding_idx=0)
        self.encoder = nn.GRU(c.embedding_dim, c.encoder_dim, batch_first=True, bidirectional=True)
        self.to_latent = nn.Linear(2 * c.encoder_dim, 2 * c.latent_dim)
        self.to_hidden = nn.Linear(c.latent_dim, c.decoder_dim)
        self.decoder = TokenGRU(vocab_size, c.embedding_dim, c.decoder_dim, 1, 0.0)
        self.property_head = nn.Sequential(
            nn.Linear(c.latent_dim, 64), nn.ReLU(), nn.Linear(64, len(c.properties))
        )

    def encode(self, tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Posterior mean and log-variance, each (batch, latent_dim), of padded tokens."""
        lengths = (tokens != 0).sum(dim=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(
            self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False
        )
        _, hidden = self.encoder(packed)  # (2, batch, encoder_dim)
        mean, log_var = self.to_latent(torch.cat([hidden[0], hidden[1]], dim=1)).chunk(2, dim=1)
        return mean, log_var

    def initial_state(self, z: torch.Tensor) -> torch.Tensor:
        """Decoder state from latent codes (batch, latent_dim) → (1, batch, decoder_dim)."""
        return torch.tanh(self.to_hidden(z)).unsqueeze(0)


def vae_loss(
    net: VAENet, tokens: torch.Tensor, properties: torch.Tensor, beta: float
) -> tuple[torch.Tensor, dict[str, float]]:
    """Negative ELBO (β-weighted KL) per molecule plus the property-head error.

    Args:
        tokens: shape (batch, length).
        properties: shape (batch, n_properties), standardised; NaN entries are ignored.
        beta: weight of the KL term (annealed from 0 during training).

    Returns:
        the scalar loss and its parts (per molecule) for logging.
    """
    mean, log_var = net.encode(tokens)
    z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_var)
    reconstruction = -sequence_log_likelihood(net.decoder, tokens, net.initial_state(z)).mean()
    kl = 0.5 * (mean**2 + log_var.exp() - 1 - log_var).sum(dim=1).mean()
    known = ~torch.isnan(properties)
    error = (net.property_head(mean) - properties.nan_to_num())[known]
    property_error = (error**2).mean() if known.any() else torch.zeros(())
    loss = reconstruction + beta * kl + 10.0 * property_error
    parts = {"reconstruction": reconstruction, "kl": kl, "property": property_error}
    return loss, {name: round(float(value.detach()), 4) for name, value in parts.items()}


class SelfiesVAE:
    """SELFIES VAE: `fit`, `encode` to latent codes, `decode` them, predict properties.

    Args:
        config: architecture (default: `VAEConfig()`).
        seed: seeds initialisation, batches and latent noise.
    """

    def __init__(self, config: VAEConfig | None = None, seed: int = 0):
        self.config = config or VAEConfig()
        self.seed = seed

    def _build(self, vocabulary: Vocabulary, center: np.ndarray, scale: np.ndarray) -> None:
        """Fresh parameters, drawn from the global torch RNG (`fit` seeds it, `load` forks it)."""
        self.vocabulary_ = vocabulary
        self.net_ = VAENet(len(vocabulary), self.config)
        self.property_center_, self.property_scale_ = center, scale

    def _check_fitted(self) -> None:
        if not hasattr(self, "net_"):
            raise InputDataError("the VAE is not trained: call fit() or load()")

    def fit(
        self,
        smiles: Sequence[str],
        steps: int = 1000,
        batch_size: int = 128,
        learning_rate: float = 1e-3,
        beta: float = 1.0,
        progress: bool = False,
        callback: Callable[[int], None] | None = None,
    ) -> SelfiesVAE:
        """Train on molecules (properties are computed with RDKit).

        Args:
            steps: optimiser steps on random batches.
            beta: final KL weight, reached linearly over the first half of the steps.
            callback: called with the number of steps done after each step.
        """
        properties = molecular_properties(smiles, self.config.properties)
        if not np.isfinite(properties).any():
            raise InputDataError("the VAE needs valid molecules to train on")
        center, scale = np.nanmean(properties, axis=0), np.nanstd(properties, axis=0) + 1e-8
        targets = torch.as_tensor((properties - center) / scale, dtype=torch.float32)
        rng = np.random.default_rng(self.seed)
        # the fit's own torch random stream: reproducible, and the caller's is left untouched
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed)
            self._build(Vocabulary.from_smiles(smiles, "selfies"), center, scale)
            optimizer = torch.optim.Adam(self.net_.parameters(), lr=learning_rate)
            self.net_.train()
            for step in tqdm(range(steps), disable=not progress, desc="SELFIES VAE"):
                rows = rng.integers(len(smiles), size=batch_size)
                tokens, ok = self.encode_tokens([smiles[i] for i in rows])
                annealed = beta * min(1.0, 2 * step / max(steps, 1))
                batch_targets = targets[torch.as_tensor(rows[ok])]
                loss, parts = vae_loss(self.net_, tokens, batch_targets, annealed)
                gradient_step(loss, optimizer)
                if step % 100 == 0 or step == steps - 1:
                    logger.info("step %d/%d: %s", step + 1, steps, parts)
                if callback is not None:
                    callback(step + 1)
        self.net_.eval()
        return self

    def encode_tokens(self, smiles: Sequence[str]) -> tuple[torch.Tensor, np.ndarray]:
        """SELFIES token batch (n_ok, length) and mask (n,) of encodable molecules."""
        return encode_batch(self.vocabulary_, smiles, self.config.max_length)

    @torch.no_grad()
    def encode(self, smiles: Sequence[str]) -> np.ndarray:
        """Latent means, shape (n, latent_dim); NaN rows for molecules it cannot encode."""
        self._check_fitted()
        codes = np.full((len(smiles), self.config.latent_dim), np.nan)
        tokens, ok = self.encode_tokens(smiles)
        if ok.any():
            codes[ok] = self.net_.encode(tokens)[0].double().numpy()
        return codes

    @torch.no_grad()
    def decode(self, z: np.ndarray, temperature: float = 0.0, seed: int = 0) -> list[str]:
        """SMILES of latent codes, shape (n, latent_dim); greedy at temperature 0."""
        self._check_fitted()
        z_tensor = torch.as_tensor(z, dtype=torch.float32)
        tokens = sample_sequences(
            self.net_.decoder, len(z), self.config.max_length, temperature,
            torch.Generator().manual_seed(seed), self.net_.initial_state(z_tensor),
        )  # fmt: skip
        return [self.vocabulary_.decode(row) for row in tokens.tolist()]

    @torch.no_grad()
    def predict_properties(self, z: np.ndarray) -> np.ndarray:
        """Property-head predictions in property units, shape (n, n_properties)."""
        self._check_fitted()
        standardised = self.net_.property_head(torch.as_tensor(z, dtype=torch.float32))
        return standardised.double().numpy() * self.property_scale_ + self.property_center_

    def save(self, path: str | Path, metadata: dict | None = None) -> Path:
        """Write checkpoint `path` (`.pt` + `.json`); returns the `.pt` path."""
        self._check_fitted()
        description = {
            "config": self.config.model_dump(mode="json"),
            "seed": self.seed,
            "vocabulary": self.vocabulary_.to_dict(),
            "property_center": self.property_center_.tolist(),
            "property_scale": self.property_scale_.tolist(),
            "metadata": metadata or {},
        }
        return save_checkpoint(path, CHECKPOINT_KIND, self.net_.state_dict(), description)

    @classmethod
    def load(cls, path: str | Path) -> SelfiesVAE:
        """Rebuild a VAE saved with `save` (raises `ModelFileError` if unusable)."""
        state_dict, description = load_checkpoint(path, CHECKPOINT_KIND)
        model = cls(VAEConfig(**description["config"]), description["seed"])
        center = np.array(description["property_center"])
        with torch.random.fork_rng(devices=[]):  # the weights are overwritten: leave no trace
            model._build(Vocabulary.from_dict(description["vocabulary"]), center,
                         np.array(description["property_scale"]))  # fmt: skip
        load_state(model.net_, state_dict, Path(path))
        model.net_.eval()
        return model

    @classmethod
    def pretrained(cls) -> SelfiesVAE:
        """The shipped VAE trained on ZINC-250k (see benchmarks/generation/pretrain_vae.py)."""
        return cls.load(weights_path("selfies_vae"))
