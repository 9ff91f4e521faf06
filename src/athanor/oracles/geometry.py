"""3-D structures for quantum-chemical oracles: RDKit ETKDG embedding + MMFF relaxation.

The structure carries what a QM code needs (atomic numbers, Cartesian coordinates, total
charge, number of unpaired electrons) and converts to and from XYZ text, so that a higher level
of theory (DFT) can reuse the geometry an xTB evaluation stored.
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
    """

    numbers: np.ndarray
    positions: np.ndarray
    charge: int = 0
    unpaired: int = 0

    @property
    def symbols(self) -> list[str]:
        table = Chem.GetPeriodicTable()
        return [table.GetElementSymbol(int(z)) for z in self.numbers]

    def to_xyz(self, comment: str = "") -> str:
        """XYZ text (Å); the comment line records charge and unpaired electrons."""
        lines = [str(len(self.numbers)), f"charge={self.charge} unpaired={self.unpaired} {comment}"]
        for symbol, (x, y, z) in zip(self.symbols, self.positions, strict=True):
            lines.append(f"{symbol:2s} {x:14.8f} {y:14.8f} {z:14.8f}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_xyz(cls, text: str) -> Structure:
        """Read XYZ text written by `to_xyz` (charge/unpaired default to 0 if absent)."""
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


def _relax(mol: Chem.Mol, max_iterations: int) -> None:
    """MMFF94 relaxation, or UFF where MMFF has no parameters (e.g. B, Si, Se)."""
    with rdBase.BlockLogs():
        if AllChem.MMFFHasAllMoleculeParams(mol):
            AllChem.MMFFOptimizeMolecule(mol, maxIters=max_iterations)
        elif AllChem.UFFHasAllMoleculeParams(mol):
            AllChem.UFFOptimizeMolecule(mol, maxIters=max_iterations)


def embed_structure(
    smiles: str, *, max_heavy_atoms: int, seed: int = 42, max_iterations: int = 500
) -> Structure:
    """A force-field geometry of one molecule with hydrogens.

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
    _relax(mol, max_iterations)
    return Structure(
        numbers=np.array([atom.GetAtomicNum() for atom in mol.GetAtoms()]),
        positions=np.array(mol.GetConformer().GetPositions()),
        charge=Chem.GetFormalCharge(mol),
        unpaired=Descriptors.NumRadicalElectrons(mol),
    )
