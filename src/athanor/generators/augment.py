"""SMILES enumeration: random atom orderings of the same molecule (Bjerrum 2017).

Training a language model on random SMILES instead of canonical ones teaches it that the
order in which atoms are written carries no meaning (permutation invariance by example), and
gives many more distinct training strings per molecule (Arús-Pous et al. 2019).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rdkit import Chem, rdBase


def randomize_smiles(smiles: str, rng: np.random.Generator) -> str:
    """One random (non-canonical) SMILES of the molecule; the input if it cannot be parsed.

    Args:
        smiles: a molecule.
        rng: source of randomness (the atom order is drawn from it, so results are
            reproducible).
    """
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    if mol is None or mol.GetNumAtoms() == 0:
        return smiles
    order = rng.permutation(mol.GetNumAtoms()).tolist()
    shuffled = Chem.RenumberAtoms(mol, order)
    return Chem.MolToSmiles(shuffled, canonical=False)


def randomize_many(smiles: Sequence[str], rng: np.random.Generator) -> list[str]:
    """`randomize_smiles` of each molecule."""
    return [randomize_smiles(text, rng) for text in smiles]
