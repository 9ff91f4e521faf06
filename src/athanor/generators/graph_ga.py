"""Graph genetic algorithm: Jensen's graph crossovers and mutations under ask/tell.

The population is every molecule scored so far (up to `population_size`, best first), as in
mol_ga; each generation draws parents by score quantiles (`ga_operators.quantile_parents`),
makes children by crossover and mutation and proposes only molecules never proposed or told
before (compared by canonical SMILES), so every proposal costs exactly one unique oracle
call. Until `n_initial` molecules have been proposed, proposals are random library molecules
(ZINC250k by default), in canonical form.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from random import Random

import numpy as np
from rdkit import Chem

from athanor.chem.parse import canonical_smiles
from athanor.core.errors import ConfigError, require
from athanor.generators.base import Generator
from athanor.generators.ga_operators import offspring, quantile_parents
from athanor.generators.registry import register_generator

log = logging.getLogger(__name__)
MAX_TRIES = 20  # rounds of offspring generation per ask before giving up on novelty
OVERSAMPLE = 1.25  # parents per wanted child: some crossovers fail or repeat a molecule


def _zinc_smiles() -> list[str]:
    from athanor.datasets import load_dataset

    return load_dataset("zinc250k")["smiles"].tolist()


@register_generator("graph_ga")
class GraphGA(Generator):
    """Graph GA over molecular graphs.

    Args:
        n_initial: library molecules proposed before evolution starts.
        population_size: how many of the best scored molecules may become parents.
        mutation_fraction: share of children made by mutation alone.
        mutation_rate: probability that a crossover child is also mutated.
        top_fraction: narrowest top fraction of the population sampled as parents.
        max_heavy_atoms: children with more heavy atoms are discarded (None: no bound). The
            graph operators slow down steeply with size, and objectives that reward more
            fingerprint bits (e.g. QSAR classifiers) otherwise grow molecules without end.
        initial_smiles: the library (default: ZINC250k).
        seed: random seed.
    """

    def __init__(
        self,
        n_initial: int = 1000,
        population_size: int = 10_000,
        mutation_fraction: float = 0.1,
        mutation_rate: float = 0.01,
        top_fraction: float = 1e-3,
        max_heavy_atoms: int | None = None,
        initial_smiles: Sequence[str] | None = None,
        seed: int = 0,
    ):
        if n_initial < 2 or population_size < 2:
            raise ConfigError("graph_ga: n_initial and population_size must be at least 2")
        self.n_initial = n_initial
        self.population_size = population_size
        self.mutation_fraction = mutation_fraction
        self.mutation_rate = mutation_rate
        self.top_fraction = top_fraction
        self.max_heavy_atoms = max_heavy_atoms
        self.initial_smiles = initial_smiles
        self.seed = seed

    def get_params(self) -> dict:
        params = dict(vars(self))
        params.pop("initial_smiles")
        return {k: v for k, v in params.items() if not k.endswith("_")}

    def _start(self) -> None:
        if hasattr(self, "rng_"):
            return
        require("mol_ga", "design")
        self.rng_ = Random(self.seed)
        self.library_ = list(self.initial_smiles or _zinc_smiles())
        self.rng_.shuffle(self.library_)
        self.cursor_ = 0
        self.seen_: set[str] = set()
        self.population_: dict[str, float] = {}

    def ask(self, n: int) -> list[str]:
        """`n` proposals (fewer only if novel molecules cannot be found).

        Library molecules until `n_initial` molecules have been seen (proposed or told, so a
        resumed campaign does not restart from the library), children afterwards.
        """
        self._start()
        picks = self._from_library(min(n, self.n_initial - len(self.seen_)))
        if len(picks) < n and len(self.population_) >= 2:
            picks += self._evolve(n - len(picks))
        return picks

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        """Add told molecules (any, proposed or not) to the population, by canonical SMILES."""
        self._start()
        for text, score in zip(smiles, np.asarray(scores, dtype=float), strict=True):
            key = canonical_smiles(text) or text
            self.seen_.add(key)
            if np.isfinite(score):
                self.population_[key] = max(float(score), self.population_.get(key, -np.inf))
        if len(self.population_) > 1.2 * self.population_size:
            best = sorted(self.population_.items(), key=lambda kv: -kv[1])
            self.population_ = dict(best[: self.population_size])

    def _from_library(self, n: int) -> list[str]:
        """The next `n` library molecules not seen yet, as canonical SMILES (invalid entries
        are skipped)."""
        picks: list[str] = []
        while len(picks) < n and self.cursor_ < len(self.library_):
            smiles = canonical_smiles(self.library_[self.cursor_])
            self.cursor_ += 1
            if smiles is not None and smiles not in self.seen_:
                self.seen_.add(smiles)
                picks.append(smiles)
        return picks

    def _evolve(self, n: int) -> list[str]:
        smiles = list(self.population_)
        scores = np.fromiter(self.population_.values(), float, len(smiles))
        children: list[str] = []
        for _ in range(MAX_TRIES):
            wanted = int(np.ceil(OVERSAMPLE * (n - len(children))))
            index = quantile_parents(scores, wanted, self.rng_, self.top_fraction)
            parents = [smiles[i] for i in index]
            made = offspring(parents, self.rng_, self.mutation_fraction, self.mutation_rate)
            for child in made:
                if child not in self.seen_ and len(children) < n and self._small(child):
                    self.seen_.add(child)
                    children.append(child)
            if len(children) >= n:
                break
        if len(children) < n:
            log.info("graph_ga: only %d novel children of %d asked", len(children), n)
        return children

    def _small(self, smiles: str) -> bool:
        """Whether a child respects `max_heavy_atoms` (heavy atoms only: H stays implicit)."""
        if self.max_heavy_atoms is None:
            return True
        return Chem.MolFromSmiles(smiles, sanitize=False).GetNumAtoms() <= self.max_heavy_atoms
