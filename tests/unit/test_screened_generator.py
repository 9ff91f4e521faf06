"""Surrogate screening: the molecules sent are the ones the model ranks best, and the inner
generator only hears about those."""

from __future__ import annotations

import numpy as np
import pytest
from rdkit import Chem

from athanor.core.errors import ConfigError
from athanor.datasets import load_dataset
from athanor.generators.registry import make_generator
from athanor.generators.screened import ScreenedGenerator


def _heavy_atoms(smiles: list[str]) -> np.ndarray:
    return np.array([Chem.MolFromSmiles(s).GetNumHeavyAtoms() for s in smiles], dtype=float)


@pytest.fixture(scope="module")
def library() -> list[str]:
    return load_dataset("zinc250k")["smiles"].iloc[:3000].tolist()


def _library_walker(library: list[str]):
    """A graph GA that only walks the shuffled library (n_initial exceeds every ask)."""
    return make_generator("graph_ga", n_initial=len(library), initial_smiles=library, seed=0)


def test_screened_batches_are_the_best_ranked_candidates(library):
    screened = ScreenedGenerator(
        _library_walker(library), "rf", {"n_estimators": 50}, oversample=5, warmup=300
    )
    first = screened.ask(300)
    screened.tell(first, _heavy_atoms(first))  # a score the forest can learn
    reference = _library_walker(library)  # the same walk, unscreened
    reference.ask(300)
    candidates = reference.ask(5 * 60)
    picked = screened.ask(60)
    assert set(picked) <= set(candidates)
    assert _heavy_atoms(picked).mean() > np.percentile(_heavy_atoms(candidates), 75)


def test_proposals_pass_through_before_warmup(library):
    screened = ScreenedGenerator(_library_walker(library), "rf", oversample=5, warmup=300)
    assert screened.ask(20) == _library_walker(library).ask(20)
    screened.tell(screened.ask(10), np.ones(10))
    assert screened.model_ is None


def test_nan_scores_are_not_learnt(library):
    screened = ScreenedGenerator(_library_walker(library), "rf", {"n_estimators": 5}, warmup=4)
    batch = screened.ask(6)
    screened.tell(batch, np.array([1.0, np.nan, 2.0, 3.0, np.nan, 0.5]))
    assert screened.n_fitted_ == 4 and len(screened.ask(3)) == 3


def test_bad_settings_and_unknown_surrogate_parameters_are_config_errors(library):
    with pytest.raises(ConfigError):
        ScreenedGenerator(_library_walker(library), oversample=0)
    with pytest.raises(ConfigError, match="leaves"):  # at once, not after the warmup
        ScreenedGenerator(_library_walker(library), "rf", {"leaves": 3}, warmup=2)


def test_unreadable_strings_are_ranked_last_and_never_learnt(library):
    screened = ScreenedGenerator(_library_walker(library), "rf", {"n_estimators": 5}, warmup=4)
    batch = [*screened.ask(5), "C1CC", "not a smiles"]
    screened.tell(batch, np.array([1.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0]))
    assert screened.n_fitted_ == 5
    screened.generator = _FixedProposals(["C1CC", "CCO", "xx", "c1ccccc1"])
    assert set(screened.ask(2)) == {"CCO", "c1ccccc1"}


def test_scored_molecules_and_repeats_are_dropped_before_ranking(library):
    screened = ScreenedGenerator(_library_walker(library), "rf", {"n_estimators": 5}, warmup=4)
    screened.tell(["CCO", "CCN", "CCC", "c1ccccc1"], np.array([4.0, 3.0, 2.0, 1.0]))
    proposals = ["OCC", "CCCl", "ClCC", "CCCl", "C1=CC=CC=C1", "CCCO", "NCC"]
    screened.generator = _FixedProposals(proposals)  # ethanol, ethylamine, benzene: scored
    assert screened.ask(3) == ["CCCl", "CCCO"]


class _FixedProposals:
    """An inner generator that always proposes the same strings."""

    name = "fixed"

    def __init__(self, proposals: list[str]):
        self.proposals = proposals

    def ask(self, n: int) -> list[str]:
        return self.proposals[:n] if n < len(self.proposals) else list(self.proposals)

    def tell(self, smiles, scores) -> None:
        pass
