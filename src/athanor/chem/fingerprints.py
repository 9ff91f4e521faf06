"""Morgan (ECFP-like) fingerprints as dense NumPy arrays."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from rdkit import Chem
from rdkit.Chem import rdFingerprintGenerator

from athanor.chem.parse import as_mol


@cache
def morgan_generator(radius: int, n_bits: int) -> rdFingerprintGenerator.FingerprintGenerator64:
    """A cached RDKit Morgan generator (radius 2 = ECFP4-like)."""
    return rdFingerprintGenerator.GetMorganGenerator(radius=radius, fpSize=n_bits)


@cache
def atom_pair_generator(n_bits: int) -> rdFingerprintGenerator.FingerprintGenerator64:
    """A cached RDKit atom-pair generator (MolPAL's default featurisation)."""
    return rdFingerprintGenerator.GetAtomPairGenerator(fpSize=n_bits)


def _fingerprint(generator, molecule: str | Chem.Mol, counts: bool) -> np.ndarray:
    mol = as_mol(molecule)
    if counts:
        return generator.GetCountFingerprintAsNumPy(mol).astype(np.uint32, copy=False)
    return generator.GetFingerprintAsNumPy(mol).astype(np.uint8, copy=False)


def _matrix(generator, molecules: Sequence[str | Chem.Mol], n_bits: int, counts: bool):
    matrix = np.zeros((len(molecules), n_bits), dtype=np.uint32 if counts else np.uint8)
    for row, molecule in enumerate(molecules):
        matrix[row] = _fingerprint(generator, molecule, counts)
    return matrix


def morgan_fingerprints(
    molecules: Sequence[str | Chem.Mol], radius: int = 2, n_bits: int = 2048, counts: bool = False
) -> np.ndarray:
    """Morgan fingerprints of a batch, shape (n_molecules, n_bits), uint8 bits or uint32 counts.

    Raises:
        MoleculeError: if a SMILES cannot be parsed (inputs are expected to come from the store).
    """
    return _matrix(morgan_generator(radius, n_bits), molecules, n_bits, counts)


def atom_pair_fingerprints(
    molecules: Sequence[str | Chem.Mol], n_bits: int = 2048, counts: bool = False
) -> np.ndarray:
    """Atom-pair fingerprints (Carhart 1985), shape (n_molecules, n_bits).

    Pairs of atoms with their topological distance encode size and shape, which matters for
    properties such as docking scores (MolPAL's default featurisation).
    """
    return _matrix(atom_pair_generator(n_bits), molecules, n_bits, counts)


def bulk_tanimoto(query: np.ndarray, references: np.ndarray) -> np.ndarray:
    """Tanimoto similarity of bit fingerprints.

    Args:
        query: shape (n_query, n_bits), 0/1.
        references: shape (n_ref, n_bits), 0/1.

    Returns:
        shape (n_query, n_ref), values in [0, 1].
    """
    a = query.astype(np.float32)
    b = references.astype(np.float32)
    intersection = a @ b.T
    union = a.sum(1, keepdims=True) + b.sum(1)[None, :] - intersection
    return np.divide(intersection, union, out=np.zeros_like(intersection), where=union > 0)
