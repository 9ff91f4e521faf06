"""Fingerprints, scaffolds and descriptors on real molecules."""

from __future__ import annotations

import numpy as np
import pytest

from athanor.chem.descriptors import descriptor_matrix, descriptor_names, qed, sa_score
from athanor.chem.fingerprints import bulk_tanimoto, morgan_fingerprints
from athanor.chem.scaffolds import murcko_scaffold

ASPIRIN = "CC(=O)Oc1ccccc1C(=O)O"
IBUPROFEN = "CC(C)Cc1ccc(C(C)C(=O)O)cc1"


def test_morgan_bits_and_counts_shapes_and_consistency():
    bits = morgan_fingerprints([ASPIRIN, IBUPROFEN], n_bits=1024)
    counts = morgan_fingerprints([ASPIRIN, IBUPROFEN], n_bits=1024, counts=True)
    assert bits.shape == counts.shape == (2, 1024)
    assert bits.dtype == np.uint8 and set(np.unique(bits)) <= {0, 1}
    np.testing.assert_array_equal(bits, (counts > 0).astype(np.uint8))
    assert counts.sum() > bits.sum()  # aspirin repeats environments (two C=O)


def test_tanimoto_is_one_on_self_and_lower_for_different_molecules():
    fps = morgan_fingerprints([ASPIRIN, IBUPROFEN, "CCO"])
    similarity = bulk_tanimoto(fps, fps)
    np.testing.assert_allclose(np.diag(similarity), 1.0)
    assert 0 < similarity[0, 1] < 0.5
    assert similarity[0, 2] < similarity[0, 1]


def test_murcko_scaffolds():
    assert murcko_scaffold(IBUPROFEN) == "c1ccccc1"
    assert murcko_scaffold("CCO") == ""
    assert murcko_scaffold("c1ccc(-c2ccncc2)cc1", generic=True) == "C1CCC(C2CCCCC2)CC1"


def test_descriptors_qed_and_sa_score_are_in_their_ranges():
    matrix = descriptor_matrix([ASPIRIN, IBUPROFEN])
    assert matrix.shape == (2, len(descriptor_names()))
    weight = matrix[:, descriptor_names().index("MolWt")]
    np.testing.assert_allclose(weight, [180.159, 206.285], atol=0.01)
    assert 0.5 < qed(ASPIRIN) < 0.6
    assert 1 <= sa_score("CCO") < sa_score("C[C@H]1C[C@@]23CC[C@H]1C2(C)C(=O)O3") <= 10


@pytest.mark.parametrize("bad", ["C1CC", ""])
def test_features_of_unparsable_smiles_raise_typed_error(bad):
    from athanor.core.errors import MoleculeError

    with pytest.raises(MoleculeError):
        morgan_fingerprints(["CCO", bad])


def test_atom_pair_fingerprints_separate_chain_lengths():
    from athanor.chem.fingerprints import atom_pair_fingerprints

    counts = atom_pair_fingerprints(["CCCCCC", "CCCCCCCCCC"], n_bits=1024, counts=True)
    assert counts.shape == (2, 1024)
    assert counts[1].sum() == 45 and counts[0].sum() == 15  # n(n-1)/2 atom pairs
