"""Latent-space Bayesian optimisation with the SELFIES VAE ("automatic chemical design").

Each `ask` fits a Gaussian process from latent codes to the scores told so far, scores
candidate codes (draws from the prior N(0, I) and perturbations of the best codes) by
expected improvement, and decodes the best ones into molecules. Before two distinct scores
are known it decodes prior draws. SELFIES decoding makes every proposal a valid molecule.
Molecules already told and repeats within a batch are skipped: more candidates are decoded
instead, and a batch comes out short rather than repeat a molecule.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

import numpy as np

from athanor.acquisition.functions import expected_improvement
from athanor.chem.parse import canonical_smiles
from athanor.generators.ask_tell import ProposalBatch, constructor_params, told_scores
from athanor.generators.base import Generator
from athanor.generators.latent_gp import LatentGP
from athanor.generators.registry import register_generator
from athanor.generators.selfies_vae import SelfiesVAE

logger = logging.getLogger(__name__)
MAX_CHUNKS = 10  # chunks of 3·n candidate codes decoded per ask before giving up on novelty


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
        self.told_: set[str] = set()
        self.pending_: ProposalBatch | None = None
        self.pending_codes_ = np.zeros((0, loaded.config.latent_dim))

    def ask(self, n: int) -> list[str]:
        """Up to `n` distinct molecules never told before, decoded from the latent codes of
        highest expected improvement (fewer only if even more candidates give no new one)."""
        if not hasattr(self, "vae_"):
            self._setup()
        excluded = set(self.told_)
        smiles: list[str] = []
        codes = [np.zeros((0, self.vae_.config.latent_dim))]
        for candidates in self._candidate_chunks(3 * n):
            new_smiles, new_codes = self._distinct_molecules(candidates, n - len(smiles), excluded)
            smiles += new_smiles
            codes.append(new_codes)
            if len(smiles) == n:
                break
        if len(smiles) < n:
            logger.info("vae_bo: only %d new molecules of %d asked", len(smiles), n)
        self.pending_ = ProposalBatch(smiles)
        self.pending_codes_ = np.vstack(codes)
        return smiles

    def _candidate_chunks(self, k: int) -> Iterator[np.ndarray]:
        """Latent codes to decode, in chunks of shape (≤k, d), at most `MAX_CHUNKS` of them:
        prior draws before two distinct scores are known, then candidates best first by
        expected improvement."""
        d = self.vae_.config.latent_dim
        if len(self.scores_) < 2 or np.ptp(self.scores_) == 0:
            for _ in range(MAX_CHUNKS):
                yield self.rng_.standard_normal((k, d))
            return
        ranked = self._ranked_candidates()
        for start in range(0, min(len(ranked), MAX_CHUNKS * k), max(k, 1)):
            yield ranked[start : start + k]

    def _ranked_candidates(self) -> np.ndarray:
        """The candidate codes, best expected improvement first, (n_candidates, d)."""
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
        return candidates[np.argsort(-improvement)]

    def _distinct_molecules(
        self, codes: np.ndarray, n: int, excluded: set[str]
    ) -> tuple[list[str], np.ndarray]:
        """Decode codes (k, d) in order and keep the first `n` molecules whose canonical SMILES
        is not in `excluded`, adding each one kept to `excluded` (so no repeats either).

        Returns:
            up to `n` SMILES and their codes, shape (≤n, d).
        """
        rows = []
        decoded = self.vae_.decode(codes)
        for row, text in enumerate(decoded):
            key = canonical_smiles(text) or text
            if len(rows) < n and key not in excluded:
                excluded.add(key)
                rows.append(row)
        return [decoded[row] for row in rows], codes[rows]

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        """Record the scores of proposals of the last `ask` with their codes.

        Any subset, in any number of tells, as proposed or canonical SMILES; strings not
        proposed are not learnt but are never proposed afterwards. NaN and ±inf count as 0.

        Raises:
            InputDataError: not one score per molecule.
        """
        scores = told_scores(self.name, len(smiles), scores)
        if not hasattr(self, "vae_"):
            self._setup()
        self.told_.update(canonical_smiles(text) or text for text in smiles)
        if self.pending_ is None:
            return
        rows, which = self.pending_.match(smiles)
        self.codes_ = np.vstack([self.codes_, self.pending_codes_[rows]])
        self.scores_ = np.concatenate([self.scores_, scores[which]])
