"""The graph GA: it improves an objective, proposes only new molecules, survives bad input."""

from __future__ import annotations

import numpy as np
import pytest
from rdkit import Chem

from athanor.core.errors import ConfigError
from athanor.datasets import load_dataset
from athanor.generators.ga_operators import quantile_parents
from athanor.generators.registry import make_generator
from athanor.objectives import Objective


@pytest.fixture(scope="module")
def library() -> list[str]:
    return load_dataset("zinc250k")["smiles"].iloc[:2000].tolist()


def _optimise(library, seed: int, rounds: int) -> tuple[list[float], set[str]]:
    logp = {"kind": "logp", "desirability": {"kind": "linear", "lower": 0, "upper": 8}}
    objective = Objective.from_config(
        {"components": [logp], "constraints": [{"kind": "heavy_atoms", "max": 25}]}
    )  # the size bound keeps the operators fast
    ga = make_generator("graph_ga", n_initial=80, initial_smiles=library, seed=seed)
    best, proposed = [], set()
    for _ in range(rounds):
        smiles = ga.ask(40)
        assert not proposed & set(smiles)  # never proposes a molecule twice
        proposed |= set(smiles)
        batch = objective(smiles)
        ga.tell(batch.smiles, batch.scores)
        best.append(float(np.max([e.score for e in objective.cache.entries.values()])))
    return best, proposed


def test_ga_improves_logp(library):
    best, _ = _optimise(library, seed=0, rounds=5)
    assert best[-1] > best[1] + 0.1  # rounds 0-1 are the 80 library molecules


def test_ga_is_deterministic_for_a_seed(library):
    assert _optimise(library, seed=3, rounds=3) == _optimise(library, seed=3, rounds=3)


def test_tell_accepts_invalid_and_nan_scores(library):
    ga = make_generator("graph_ga", n_initial=4, initial_smiles=library[:50], seed=0)
    first = ga.ask(4)
    ga.tell([*first, "not a smiles"], np.array([0.1, 0.5, np.nan, 0.2, 0.0]))
    children = ga.ask(10)
    assert children and not set(children) & set(first)


def test_children_respect_the_size_bound(library):
    small = [s for s in library if Chem.MolFromSmiles(s).GetNumHeavyAtoms() <= 20][:40]
    ga = make_generator("graph_ga", n_initial=40, max_heavy_atoms=20, initial_smiles=small)
    first = ga.ask(40)
    ga.tell(first, np.linspace(0, 1, len(first)))
    children = ga.ask(30)
    assert children and max(Chem.MolFromSmiles(c).GetNumHeavyAtoms() for c in children) <= 20


def test_quantile_parents_favour_the_best():
    scores = np.arange(1000, dtype=float)
    from random import Random

    parents = quantile_parents(scores, 2000, Random(0))
    assert np.median(scores[parents]) > 900 and scores[parents].min() < 500


def test_bad_parameters_fail_at_start():
    with pytest.raises(ConfigError, match="graph_ga"):
        make_generator("graph_ga", n_initial=1)
    with pytest.raises(ConfigError, match="populaton_size"):
        make_generator("graph_ga", populaton_size=10)
