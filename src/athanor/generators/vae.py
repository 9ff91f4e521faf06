"""Latent-space Bayesian optimisation with the SELFIES VAE ("automatic chemical design").

Each `ask` fits a Gaussian process from latent codes to the scores told so far, scores
candidate codes (draws from the prior N(0, I) and perturbations of the best codes) by
expected improvement, and decodes the best ones into molecules. Before two scores are known
it decodes prior draws. SELFIES decoding makes every proposal a valid molecule.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from athanor.acquisition.functions import expected_improvement
from athanor.generators.ask_tell import constructor_params, told_scores
from athanor.generators.base import Generator
from athanor.generators.latent_gp import LatentGP
from athanor.generators.registry import register_generator
from athanor.generators.selfies_vae import SelfiesVAE


@register_generator("vae_bo")
class LatentSpaceBO(Generator):
    """Bayesian optimisation (GP + expected improvement) in a VAE's latent space.

    Args:
        checkpoint: VAE checkpoint (default: the shipped ZINC-250k SELFIES VAE).
        n_candidates: latent candidates scored by expected improvement per ask.
        trust_radius: standard deviation of the perturbations around the best codes.
        max_observations: the GP is fitted on this many best-scoring observations (exact GP
            cost grows as the cube).
        seed: seeds the candidates.
    """

    def __init__(
        self,
        checkpoint: str | None = None,
        n_candidates: int = 2000,
        trust_radius: float = 0.5,
        max_observations: int = 500,
        seed: int = 0,
    ):
        self.checkpoint = checkpoint
        self.n_candidates = n_candidates
        self.trust_radius = trust_radius
        self.max_observations = max_observations
        self.seed = seed

    def get_params(self) -> dict:
        return constructor_params(self)

    def _setup(self) -> None:
        loaded = SelfiesVAE.load(self.checkpoint) if self.checkpoint else SelfiesVAE.pretrained()
        self.vae_ = loaded
        self.rng_ = np.random.default_rng(self.seed)
        self.codes_ = np.zeros((0, loaded.config.latent_dim))
        self.scores_ = np.zeros(0)
        self.pending_: np.ndarray | None = None

    def ask(self, n: int) -> list[str]:
        """`n` molecules decoded from the latent codes of highest expected improvement."""
        if not hasattr(self, "vae_"):
            self._setup()
        if len(self.scores_) < 2 or np.ptp(self.scores_) == 0:
            codes = self.rng_.standard_normal((3 * n, self.vae_.config.latent_dim))
        else:
            codes = self._best_candidates(3 * n)
        smiles, chosen = self._distinct_molecules(codes, n)
        self.pending_ = chosen
        return smiles

    def _best_candidates(self, k: int) -> np.ndarray:
        """The `k` candidate codes of highest expected improvement, best first, (k, d)."""
        best = np.argsort(-self.scores_)[: self.max_observations]
        gp = LatentGP().fit(self.codes_[best], self.scores_[best])
        d = self.codes_.shape[1]
        half = self.n_candidates // 2
        centres = self.codes_[best[self.rng_.integers(min(10, len(best)), size=half)]]
        candidates = np.vstack([
            self.rng_.standard_normal((self.n_candidates - half, d)),
            centres + self.trust_radius * self.rng_.standard_normal((half, d)),
        ])  # fmt: skip
        improvement = expected_improvement(gp.predict(candidates), best=self.scores_.max())
        return candidates[np.argsort(-improvement)[:k]]

    def _distinct_molecules(self, codes: np.ndarray, n: int) -> tuple[list[str], np.ndarray]:
        """Decode codes in order, keeping the first `n` distinct molecules (and their codes);
        repeats fill up the batch if too few are distinct."""
        decoded = self.vae_.decode(codes)
        first = list(dict.fromkeys(decoded))
        rows = [decoded.index(text) for text in first][:n]
        rows += [row for row in range(len(codes)) if row not in rows][: n - len(rows)]
        return [decoded[row] for row in rows], codes[rows]

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        """Record the scores of the last `ask` (same order and length) with their codes.

        Raises:
            InputDataError: `tell` without `ask`, or a different number of molecules.
        """
        pending = getattr(self, "pending_", None)
        scores = told_scores(self.name, None if pending is None else len(pending), smiles, scores)
        self.codes_ = np.vstack([self.codes_, pending])
        self.scores_ = np.concatenate([self.scores_, scores])
        self.pending_ = None
