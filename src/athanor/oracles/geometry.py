"""3-D structures for quantum-chemical oracles: RDKit ETKDG embedding + MMFF relaxation.

The structure carries what a QM code needs (atomic numbers, Cartesian coordinates, total
charge, number of unpaired electrons) plus the method that produced the coordinates, and
converts to and from XYZ text: the xTB and DFT oracles return it with each evaluation for the
store. No oracle reads a stored geometry back: each embeds the molecule again (same seed, same
force-field geometry) and, where asked, optimises it itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rdkit import Chem, rdBase
from rdkit.Chem import AllChem, Descriptors

from athanor.chem.parse import parse_molecule
from athanor.oracles.base import OracleFailure


@dataclass(frozen=True)
class Structure:
    """A molecular geometry.

    Attributes:
        numbers: atomic numbers, shape (n_atoms,).
        positions: Cartesian coordinates in Å, shape (n_atoms, 3).
        charge: total charge in e.
        unpaired: number of unpaired electrons (multiplicity - 1).
        method: what produced the coordinates (``"ETKDG/MMFF94"``, ``"GFN2-xTB"``; one
            word), or ``""`` if unknown.
    """

    numbers: np.ndarray
    positions: np.ndarray
    charge: int = 0
    unpaired: int = 0
    method: str = ""

    @property
    def symbols(self) -> list[str]:
        table = Chem.GetPeriodicTable()
        return [table.GetElementSymbol(int(z)) for z in self.numbers]

    @property
    def centre_of_mass(self) -> np.ndarray:
        """Mass-weighted mean position in Å, shape (3,)."""
        table = Chem.GetPeriodicTable()
        masses = np.array([table.GetAtomicWeight(int(z)) for z in self.numbers])
        return masses @ self.positions / masses.sum()

    def to_xyz(self, comment: str = "") -> str:
        """XYZ text (Å); the comment line records charge, unpaired electrons and method."""
        method = f" method={self.method}" if self.method else ""
        header = f"charge={self.charge} unpaired={self.unpaired}{method} {comment}"
        lines = [str(len(self.numbers)), header]
        for symbol, (x, y, z) in zip(self.symbols, self.positions, strict=True):
            lines.append(f"{symbol:2s} {x:14.8f} {y:14.8f} {z:14.8f}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_xyz(cls, text: str) -> Structure:
        """Read XYZ text written by `to_xyz` (charge/unpaired default to 0, method to "")."""
        lines = text.strip().splitlines()
        n_atoms = int(lines[0])
        fields = dict(item.split("=", 1) for item in lines[1].split() if "=" in item)
        table = Chem.GetPeriodicTable()
        rows = [line.split() for line in lines[2 : 2 + n_atoms]]
        return cls(
            numbers=np.array([table.GetAtomicNumber(row[0]) for row in rows]),
            positions=np.array([[float(v) for v in row[1:4]] for row in rows]),
            charge=int(fields.get("charge", 0)),
            unpaired=int(fields.get("unpaired", 0)),
            method=fields.get("method", ""),
        )


def _embed(mol: Chem.Mol, seed: int) -> None:
    """ETKDGv3 embedding; a second try from random coordinates for awkward ring systems."""
    params = AllChem.ETKDGv3()
    params.randomSeed = seed
    with rdBase.BlockLogs():
        if AllChem.EmbedMolecule(mol, params) == 0:
            return
        params.useRandomCoords = True
        params.maxIterations = 2000
        if AllChem.EmbedMolecule(mol, params) == 0:
            return
    raise OracleFailure("3-D embedding failed (ETKDG, also from random coordinates)")


def _relax(mol: Chem.Mol, max_iterations: int) -> str:
    """MMFF94 relaxation, or UFF where MMFF has no parameters (e.g. B, Si, Se).

    Returns:
        the force field used, ``""`` if neither has parameters (the ETKDG geometry is kept).
    """
    with rdBase.BlockLogs():
        if AllChem.MMFFHasAllMoleculeParams(mol):
            AllChem.MMFFOptimizeMolecule(mol, maxIters=max_iterations)
            return "MMFF94"
        if AllChem.UFFHasAllMoleculeParams(mol):
            AllChem.UFFOptimizeMolecule(mol, maxIters=max_iterations)
            return "UFF"
    return ""


def embed_structure(
    smiles: str, *, max_heavy_atoms: int, seed: int = 42, max_iterations: int = 500
) -> Structure:
    """A force-field geometry of one molecule with hydrogens (method ``"ETKDG/MMFF94"``,
    ``"ETKDG/UFF"`` or, without force-field parameters, ``"ETKDG"``).

    Args:
        smiles: the molecule.
        max_heavy_atoms: larger molecules are refused before any 3-D work.
        seed: random seed of the ETKDG embedding (same seed, same geometry).
        max_iterations: force-field optimisation steps.

    Raises:
        MoleculeError: unparsable SMILES.
        OracleFailure: too many heavy atoms, or the molecule cannot be embedded in 3-D.
    """
    mol = parse_molecule(smiles, "smiles")
    if mol.GetNumHeavyAtoms() > max_heavy_atoms:
        raise OracleFailure(
            f"{mol.GetNumHeavyAtoms()} heavy atoms exceeds this oracle's limit of {max_heavy_atoms}"
        )
    mol = Chem.AddHs(mol)
    _embed(mol, seed)
    force_field = _relax(mol, max_iterations)
    return Structure(
        numbers=np.array([atom.GetAtomicNum() for atom in mol.GetAtoms()]),
        positions=np.array(mol.GetConformer().GetPositions()),
        charge=Chem.GetFormalCharge(mol),
        unpaired=Descriptors.NumRadicalElectrons(mol),
        method=f"ETKDG/{force_field}" if force_field else "ETKDG",
    )
