"""Distribution metrics against hand-computed values; invalid strings never crash."""

from __future__ import annotations

import math

import numpy as np
import pytest
from rdkit import Chem, DataStructs
from rdkit.Chem import rdFingerprintGenerator

from athanor.core.errors import InputDataError, UnsupportedError
from athanor.generators import metrics


def test_validity_uniqueness_novelty_by_hand():
    assert metrics.validity(["CCO", "C1CC", "", "c1ccccc1"]) == 0.5
    assert metrics.uniqueness(["CCO", "OCC", "c1ccccc1", "C1CC"]) == pytest.approx(2 / 3)
    # stereo ignored: C[C@H](N)O is the training molecule CC(N)O; only CCN is new
    generated = ["CCO", "CCN", "C[C@H](N)O", "C1CC"]
    assert metrics.novelty(generated, ["OCC", "CC(N)O"]) == pytest.approx(1 / 3)
    known = metrics.training_set(["OCC", "CC(N)O"])
    assert metrics.novelty(generated, known) == pytest.approx(1 / 3)


def test_internal_diversity_is_one_minus_mean_pairwise_tanimoto():
    smiles = ["CCO", "CCCO", "c1ccccc1"]
    generator = rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=2048)
    fps = [generator.GetFingerprint(Chem.MolFromSmiles(s)) for s in smiles]
    pairs = [DataStructs.TanimotoSimilarity(fps[i], fps[j]) for i, j in [(0, 1), (0, 2), (1, 2)]]
    expected = 1 - np.mean(pairs)
    assert metrics.internal_diversity([*smiles, "OCC", "invalid"]) == pytest.approx(expected)
    assert math.isnan(metrics.internal_diversity(["CCO"]))


def test_kl_score_of_a_set_against_itself_is_one():
    smiles = ["CCO", "CCCO", "c1ccccc1", "CC(=O)Nc1ccccc1", "CCN(CC)CC", "OC1CCCCC1"]
    divergences = metrics.kl_divergences(smiles, smiles)
    assert set(divergences) == {*metrics.CONTINUOUS_DESCRIPTORS, *metrics.DISCRETE_DESCRIPTORS,
                                "internal_similarity"}  # fmt: skip
    assert metrics.kl_divergence_score(divergences) == pytest.approx(1.0)
    assert metrics.kl_divergence_score({"a": 0.0, "b": math.log(2)}) == pytest.approx(0.75)


def test_fcd_score():
    assert metrics.fcd_score(0.0) == 1.0 and metrics.fcd_score(5.0) == pytest.approx(math.exp(-1))


@pytest.mark.slow  # loading ChemNet and two 512x512 matrix square roots: ~10 s of CPU
def test_frechet_chemnet_distance():
    pytest.importorskip("fcd_torch")
    smiles = ["CCO", "CCCO", "c1ccccc1", "CC(=O)Nc1ccccc1", "CCN(CC)CC", "OC1CCCCC1"]
    assert metrics.frechet_chemnet_distance(smiles, smiles) == pytest.approx(0.0, abs=1e-3)
    assert metrics.frechet_chemnet_distance(smiles[:3], smiles[3:]) > 1.0


def test_missing_fcd_torch_raises_unsupported(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "fcd_torch", None)
    metrics._chemnet.cache_clear()
    with pytest.raises(UnsupportedError, match="fcd_torch"):
        metrics.frechet_chemnet_distance(["CCO", "CCN"], ["CCO", "CCN"])
    metrics._chemnet.cache_clear()


def test_invalid_samples_never_crash():
    result = metrics.distribution_metrics(["", "C1CC", "xyz", None], reference=["CCO", "CCN"])
    assert result.validity == 0.0 and result.uniqueness == 0.0 and result.novelty == 0.0
    assert result.fcd is None and result.kl_score is None
    partly = metrics.distribution_metrics(
        ["CCO", "C1CC", "CCCN"], reference=["CCO", "CCN"], fcd=False
    )
    assert partly.validity == pytest.approx(2 / 3) and partly.novelty == 0.5
    assert partly.kl_score is not None


def test_novelty_without_a_valid_training_molecule_raises():
    for training in [[], ["xyz", ""], frozenset()]:
        with pytest.raises(InputDataError, match="at least one valid molecule"):
            metrics.novelty(["CCO"], training)
    with pytest.raises(InputDataError):
        metrics.distribution_metrics(["CCO", "CCN"], reference=["C1CC"], fcd=False)


def test_kl_of_disjoint_distributions_is_large_and_finite():
    assert metrics._discrete_kl(np.array([0.0, 1, 2, 3]), np.array([10.0, 11, 12])) > 20
    assert metrics._discrete_kl(np.array([1.0, 2, 2, 3]), np.array([3.0, 2, 2, 1])) == 0.0
    # no aromatic ring on one side, two on the other: GuacaMol's bins would give NaN
    divergences = metrics.kl_divergences(
        ["CCO", "CCN", "CCC"], ["c1ccc2ccccc2c1", "c1ccc2ccccc2c1O"]
    )
    assert all(math.isfinite(value) for value in divergences.values())
    assert divergences["NumAromaticRings"] > 20
    assert 0.0 < metrics.kl_divergence_score(divergences) < 1.0
