"""Bemis–Murcko scaffolds (the basis of scaffold splits)."""

from __future__ import annotations

from rdkit import Chem
from rdkit.Chem.Scaffolds import MurckoScaffold

from athanor.chem.parse import as_mol


def murcko_scaffold(molecule: str | Chem.Mol, generic: bool = False) -> str:
    """Canonical SMILES of the Bemis–Murcko scaffold; ``""`` for acyclic molecules.

    Args:
        molecule: SMILES or RDKit molecule.
        generic: replace every atom by carbon and every bond by a single bond (the
            "framework"), which groups more molecules together.
    """
    mol = as_mol(molecule)
    scaffold = MurckoScaffold.GetScaffoldForMol(mol)
    if generic and scaffold.GetNumAtoms():
        scaffold = MurckoScaffold.MakeScaffoldGeneric(scaffold)
    return Chem.MolToSmiles(scaffold)
