"""Functions the tests wrap as `python` oracles (importable by worker processes)."""

from __future__ import annotations

import time

from rdkit import Chem
from rdkit.Chem import Crippen


def logp(smiles: str) -> dict[str, float]:
    """Crippen logP; fails (raises) for molecules with a sulfur, to test recorded failures."""
    mol = Chem.MolFromSmiles(smiles)
    if any(atom.GetSymbol() == "S" for atom in mol.GetAtoms()):
        raise ValueError("no parameters for sulfur in this test oracle")
    return {"logp": Crippen.MolLogP(mol)}


def slow_logp(smiles: str) -> dict[str, float]:
    time.sleep(0.2)
    return {"logp": Crippen.MolLogP(Chem.MolFromSmiles(smiles))}


def logp_tpsa(smiles: str) -> dict[str, float]:
    """Crippen logP and topological polar surface area: two objectives that pull apart."""
    from rdkit.Chem import rdMolDescriptors

    mol = Chem.MolFromSmiles(smiles)
    return {"logp": Crippen.MolLogP(mol), "tpsa": rdMolDescriptors.CalcTPSA(mol)}


def logp_unless_told_to_fail(smiles: str) -> dict[str, float]:
    """Crippen logP; fails while ATHANOR_TEST_FAIL is set (a broken program, fixed later)."""
    import os

    if os.environ.get("ATHANOR_TEST_FAIL"):
        raise RuntimeError("the program is broken")
    return {"logp": Crippen.MolLogP(Chem.MolFromSmiles(smiles))}
