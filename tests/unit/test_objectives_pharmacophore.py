"""The vectorised Gobbi 2-D pharmacophore fingerprint sets exactly RDKit's bits."""

from __future__ import annotations

import gzip
import itertools

import pytest
from rdkit import Chem
from rdkit.Chem.Pharm2D import Generate, Gobbi_Pharm2D

from athanor.datasets import dataset_path
from athanor.objectives.pharmacophore import gobbi_2d_fingerprint

# Many features, repeated families, fragments (infinite distances), one feature, none; a
# 15-residue tyrosine chain has 108 feature matches (past the cached index combinations).
EDGE_CASES = [
    "NC(Cc1ccc(O)cc1)C(=O)" * 15 + "O",
    "C#Cc1nc(C=C)sc1-n1c(C=C=C)nn1N[C@@H](SC)c1cc(C(=O)SC)c(SC)cc1F",
    "Cc1ccc(cc1Nc2nccc(n2)c3cccnc3)NC(=O)c4ccc(cc4)CN5CCN(CC5)C",
    "OC(=O)CCC(=O)O.NCCCCN.c1ccccc1",
    "OCCO",
    "CCO",
    "C",
]


def _zinc(n: int) -> list[str]:
    with gzip.open(dataset_path("zinc250k"), "rt") as source:
        rows = (line.split()[0] for line in itertools.islice(source, 0, None, 97))
        return list(itertools.islice(rows, n))


def _same_bits(smiles: str) -> bool:
    mol = Chem.MolFromSmiles(smiles)
    expected = Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory)
    found = gobbi_2d_fingerprint(mol)
    return type(found) is type(expected) and list(found.GetOnBits()) == list(expected.GetOnBits())


@pytest.mark.parametrize("smiles", EDGE_CASES)
def test_bits_are_rdkits_on_edge_cases(smiles):
    assert _same_bits(smiles)


def test_bits_are_rdkits_on_300_zinc_molecules():
    assert [s for s in _zinc(300) if not _same_bits(s)] == []
