"""Surrogate-screened generation: propose many, send only the most promising to the scorer.

A `ScreenedGenerator` wraps any generator that keeps the ask/tell contract of
`athanor.generators.base` (a `tell` may carry any subset of the last `ask`). Once `warmup`
molecules have been scored, each `ask(n)` draws ``oversample * n`` proposals from the inner
generator, drops those already scored and repeats (by canonical SMILES), predicts the scores
of the rest with a surrogate model trained on every score told so far, and returns the `n`
with the highest upper bound (mean + beta * std). When the score is an expensive oracle (or a
budget counts unique calls, as in PMO), the oracle is spent on new candidates the model
believes in; the inner generator is told only the scores of the molecules actually sent.
Strings RDKit cannot read are ranked last and never learnt.

This learns the whole score. A design campaign whose objective has ``oracle`` components
learns those components instead and computes the cheap ones exactly
(`athanor.workflows.design_loop`); it uses this wrapper when the objective has none.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from athanor.chem.parse import canonical_smiles
from athanor.core.errors import ConfigError
from athanor.generators.base import Generator

log = logging.getLogger(__name__)


class ScreenedGenerator(Generator):
    """A generator whose proposals are ranked by a surrogate of the score before scoring.

    Args:
        generator: the inner generator (its unsent proposals are dropped: it never sees them
            again, so a novelty-seeking generator keeps proposing new molecules).
        surrogate: a registered surrogate model name (`athanor.models`), e.g. ``"lightgbm"``.
        params: keyword arguments of the surrogate.
        oversample: proposals drawn from the inner generator per molecule returned.
        warmup: scores needed before screening starts (until then proposals pass through).
        refit_every: retrain after this many new scores (1: after every `tell`). On PMO
            (batches of 100, 10,000 calls) 300 cut the CPU time by ~40 % at about the same
            AUC on the two tasks measured.
        beta: weight of the surrogate's std in the ranking (0: greedy on the mean).
        seed: seed of the surrogate.

    Raises:
        ConfigError: a bad setting, or an unknown surrogate or surrogate parameter.
    """

    name = "screened"

    def __init__(
        self,
        generator: Generator,
        surrogate: str = "lightgbm",
        params: dict | None = None,
        oversample: int = 5,
        warmup: int = 200,
        refit_every: int = 1,
        beta: float = 0.0,
        seed: int = 0,
    ):
        if oversample < 1 or warmup < 2 or refit_every < 1:
            raise ConfigError("screened: oversample ≥ 1, warmup ≥ 2 and refit_every ≥ 1")
        self.generator = generator
        self.surrogate = surrogate
        self.params = params or {}
        self.oversample = oversample
        self.warmup = warmup
        self.refit_every = refit_every
        self.beta = beta
        self.seed = seed
        self.scores_: dict[str, float] = {}
        self.model_ = None
        self.n_fitted_ = 0
        self._new_surrogate()  # an unknown model or parameter fails now, not after warmup

    def get_params(self) -> dict:
        inner = {"name": self.generator.name, **self.generator.get_params()}
        own = {k: v for k, v in vars(self).items() if not k.endswith("_") and k != "generator"}
        return own | {"generator": inner}

    def ask(self, n: int) -> list[str]:
        """`n` proposals: the best-ranked of ``oversample * n`` once the surrogate is ready.

        Candidates already scored (by canonical SMILES) and repeats are dropped before
        ranking, so fewer than `n` may come back.
        """
        if self.model_ is None:
            return self.generator.ask(n)
        candidates, canonical = self._new_candidates(self.generator.ask(self.oversample * n))
        if len(candidates) <= n:
            return candidates
        bound = np.full(len(candidates), -np.inf)
        readable = [i for i, text in enumerate(canonical) if text is not None]
        if readable:
            prediction = self.model_.predict([canonical[i] for i in readable])
            bound[readable] = prediction.mean[:, 0] + self.beta * prediction.std[:, 0]
        order = np.argsort(-np.nan_to_num(bound, nan=-np.inf), kind="stable")
        return [candidates[i] for i in order[:n]]

    def _new_candidates(self, proposals: Sequence[str]) -> tuple[list[str], list[str | None]]:
        """The first proposal of each molecule not scored yet, and its canonical SMILES (None:
        a string RDKit cannot read, kept once per spelling)."""
        seen = set(self.scores_)
        kept: list[str] = []
        canonical: list[str | None] = []
        for text in proposals:
            key = canonical_smiles(text)
            if (key or text) not in seen:
                seen.add(key or text)
                kept.append(text)
                canonical.append(key)
        return kept, canonical

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        """Tell the inner generator, remember the scores (by canonical SMILES; unreadable
        strings and non-finite scores are not learnt), retrain when due."""
        scores = np.asarray(scores, dtype=float)
        self.generator.tell(smiles, scores)
        for text, score in zip(smiles, scores, strict=True):
            key = canonical_smiles(text)
            if np.isfinite(score) and key is not None:
                self.scores_[key] = float(score)
        due = len(self.scores_) - self.n_fitted_ >= self.refit_every
        if len(self.scores_) >= self.warmup and due:
            self._refit()

    def _new_surrogate(self):
        """An unfitted surrogate, seeded unless `params` sets a seed.

        Raises:
            ConfigError: an unknown model or parameter (naming the valid ones).
        """
        from athanor.models.registry import make_surrogate  # torch-heavy registry: on first use

        return make_surrogate(self.surrogate, {"seed": self.seed} | self.params)

    def _refit(self) -> None:
        smiles = list(self.scores_)
        y = np.fromiter(self.scores_.values(), float, len(smiles))[:, None]
        self.model_ = self._new_surrogate().fit(smiles, y)
        self.n_fitted_ = len(smiles)
        log.debug("screening surrogate refitted on %d molecules", len(smiles))
