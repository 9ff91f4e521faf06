"""RDKit 2-D descriptors, QED and the synthetic-accessibility (SA) score."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
from rdkit import Chem
from rdkit.Chem import QED, Descriptors

from athanor.chem.parse import as_mol


def descriptor_names() -> list[str]:
    """Names of all RDKit 2-D descriptors, in a fixed order."""
    return [name for name, _ in Descriptors.descList]


def descriptor_matrix(
    molecules: Sequence[str | Chem.Mol], names: Sequence[str] | None = None
) -> np.ndarray:
    """RDKit descriptors of a batch, shape (n_molecules, n_descriptors), float64.

    Args:
        molecules: SMILES or RDKit molecules.
        names: descriptors to compute (default: all, in `descriptor_names()` order).
    """
    names = list(names or descriptor_names())
    functions = dict(Descriptors.descList)
    matrix = np.full((len(molecules), len(names)), np.nan)
    for row, molecule in enumerate(molecules):
        mol = as_mol(molecule)
        for column, name in enumerate(names):
            try:
                matrix[row, column] = functions[name](mol)
            except (ValueError, RuntimeError, ZeroDivisionError, OverflowError):
                continue  # stays NaN: a few descriptors fail on exotic molecules
    return matrix


def qed(molecule: str | Chem.Mol) -> float:
    """Quantitative estimate of drug-likeness (Bickerton 2012), in [0, 1]."""
    return float(QED.qed(as_mol(molecule)))


@cache
def _sascorer():
    from rdkit.Contrib.SA_Score import sascorer  # shipped with the RDKit wheel

    return sascorer


def sa_score(molecule: str | Chem.Mol) -> float:
    """Synthetic accessibility score (Ertl & Schuffenhauer 2009): 1 easy … 10 hard."""
    return float(_sascorer().calculateScore(as_mol(molecule)))
