"""Fingerprints for similarity objectives, as GuacaMol defines them.

GuacaMol's ECFP/FCFP are *unfolded count* Morgan fingerprints and its Tanimoto is the count
(min/max) Tanimoto; AP is the RDKit atom-pair count fingerprint (max distance 10) and PHCO the
Gobbi 2-D pharmacophore fingerprint (RDKit's bits, computed 5-12x faster by `pharmacophore`).
Using the same definitions keeps PMO numbers comparable.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Literal

from rdkit import Chem, DataStructs, rdBase
from rdkit.Chem import rdFingerprintGenerator
from rdkit.Chem.AtomPairs import Pairs

from athanor.objectives.pharmacophore import gobbi_2d_fingerprint

FingerprintType = Literal["ECFP4", "ECFP6", "FCFP4", "FCFP6", "AP", "PHCO"]


@cache
def _morgan(radius: int, features: bool) -> rdFingerprintGenerator.FingerprintGenerator64:
    invariants = rdFingerprintGenerator.GetMorganFeatureAtomInvGen() if features else None
    return rdFingerprintGenerator.GetMorganGenerator(
        radius=radius, atomInvariantsGenerator=invariants
    )


def _atom_pairs(mol: Chem.Mol):
    with rdBase.BlockLogs():  # the legacy function warns on every call
        return Pairs.GetAtomPairFingerprint(mol, maxLength=10)


FINGERPRINTS: dict[str, Callable[[Chem.Mol], object]] = {
    "ECFP4": lambda mol: _morgan(2, False).GetSparseCountFingerprint(mol),
    "ECFP6": lambda mol: _morgan(3, False).GetSparseCountFingerprint(mol),
    "FCFP4": lambda mol: _morgan(2, True).GetSparseCountFingerprint(mol),
    "FCFP6": lambda mol: _morgan(3, True).GetSparseCountFingerprint(mol),
    "AP": _atom_pairs,
    "PHCO": gobbi_2d_fingerprint,
}


def similarity_fingerprint(mol: Chem.Mol, kind: FingerprintType):
    """The RDKit fingerprint object of `kind` for one molecule."""
    return FINGERPRINTS[kind](mol)


def tanimoto_to_references(fingerprint, references: list) -> list[float]:
    """Tanimoto similarity (count Tanimoto for count fingerprints) to each reference."""
    return list(DataStructs.BulkTanimotoSimilarity(fingerprint, references))
