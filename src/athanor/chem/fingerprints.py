"""Morgan (ECFP-like) fingerprints as dense NumPy arrays."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from rdkit import Chem
from rdkit.Chem import rdFingerprintGenerator

from athanor.chem.parse import parse_molecule


@cache
def morgan_generator(radius: int, n_bits: int) -> rdFingerprintGenerator.FingerprintGenerator64:
    """A cached RDKit Morgan generator (radius 2 = ECFP4-like)."""
    return rdFingerprintGenerator.GetMorganGenerator(radius=radius, fpSize=n_bits)


def _as_mol(molecule: str | Chem.Mol) -> Chem.Mol:
    return molecule if isinstance(molecule, Chem.Mol) else parse_molecule(molecule)


def morgan_fingerprint(
    molecule: str | Chem.Mol, radius: int = 2, n_bits: int = 2048, counts: bool = False
) -> np.ndarray:
    """One Morgan fingerprint, shape (n_bits,): bits (uint8 0/1) or counts (uint32)."""
    generator = morgan_generator(radius, n_bits)
    mol = _as_mol(molecule)
    if counts:
        return generator.GetCountFingerprintAsNumPy(mol).astype(np.uint32, copy=False)
    return generator.GetFingerprintAsNumPy(mol).astype(np.uint8, copy=False)


def morgan_fingerprints(
    molecules: Sequence[str | Chem.Mol], radius: int = 2, n_bits: int = 2048, counts: bool = False
) -> np.ndarray:
    """Morgan fingerprints of a batch, shape (n_molecules, n_bits).

    Raises:
        MoleculeError: if a SMILES cannot be parsed (inputs are expected to come from the store).
    """
    dtype = np.uint32 if counts else np.uint8
    matrix = np.zeros((len(molecules), n_bits), dtype=dtype)
    for row, molecule in enumerate(molecules):
        matrix[row] = morgan_fingerprint(molecule, radius, n_bits, counts)
    return matrix


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
