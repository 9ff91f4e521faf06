"""Tokenizers, vocabularies and SMILES enumeration."""

from __future__ import annotations

import numpy as np
import pytest

from athanor.chem.parse import canonical_smiles
from athanor.generators.augment import randomize_smiles
from athanor.generators.vocabulary import (
    BOS_INDEX,
    EOS_INDEX,
    TokenizationError,
    Vocabulary,
    tokenize_smiles,
)

DRUGS = ["CC(=O)Oc1ccccc1C(=O)O", "C[C@@H](Cl)c1ccc(Br)cc1", "CN1C=NC2=C1C(=O)N(C)C(=O)N2C"]


def test_smiles_tokens_keep_bracket_atoms_halogens_and_ring_numbers_whole():
    tokens = tokenize_smiles("C[C@@H](Cl)c1ccc(Br)cc1C%10CC%10[nH+]")
    assert tokens[:5] == ["C", "[C@@H]", "(", "Cl", ")"]
    assert "Br" in tokens and "%10" in tokens and "[nH+]" in tokens
    assert "".join(tokens) == "C[C@@H](Cl)c1ccc(Br)cc1C%10CC%10[nH+]"
    with pytest.raises(TokenizationError, match="cannot tokenize"):
        tokenize_smiles("C&C")


@pytest.mark.parametrize("representation", ["smiles", "selfies"])
def test_encode_decode_round_trip(representation):
    vocabulary = Vocabulary.from_smiles(DRUGS, representation)
    for smiles in DRUGS:
        indices = vocabulary.encode(smiles)
        assert indices[0] == BOS_INDEX and indices[-1] == EOS_INDEX
        assert canonical_smiles(vocabulary.decode(indices)) == canonical_smiles(smiles)
    assert Vocabulary.from_dict(vocabulary.to_dict()) == vocabulary


def test_smiles_round_trip_is_exact_and_decoding_stops_at_eos():
    vocabulary = Vocabulary.from_smiles(DRUGS)
    indices = vocabulary.encode(DRUGS[1])
    assert vocabulary.decode(indices) == DRUGS[1]
    assert vocabulary.decode([*indices, *vocabulary.encode("CCC")]) == DRUGS[1]


def test_unknown_tokens_are_reported():
    vocabulary = Vocabulary.from_smiles(["CCO"])
    with pytest.raises(TokenizationError, match=r"unknown tokens \['N'\]"):
        vocabulary.encode("CCN")


def test_random_smiles_are_the_same_molecule_and_reproducible():
    rng = np.random.default_rng(0)
    variants = {randomize_smiles(DRUGS[0], rng) for _ in range(20)}
    assert len(variants) > 5
    assert {canonical_smiles(v) for v in variants} == {canonical_smiles(DRUGS[0])}
    first = randomize_smiles(DRUGS[2], np.random.default_rng(1))
    assert first == randomize_smiles(DRUGS[2], np.random.default_rng(1))
    assert randomize_smiles("not a molecule", rng) == "not a molecule"
