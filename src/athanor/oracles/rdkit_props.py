"""RDKit oracle: drug-likeness and size descriptors computed from the molecular graph."""

from __future__ import annotations

from rdkit import Chem
from rdkit.Chem import Crippen, Descriptors, Lipinski, rdMolDescriptors

from athanor.chem.descriptors import qed, sa_score
from athanor.chem.parse import parse_molecule
from athanor.core.config import StrictModel
from athanor.oracles.base import Oracle
from athanor.oracles.registry import register_oracle

# property -> (unit, function of an RDKit molecule)
_PROPERTIES = {
    "qed": ("1", qed),
    "sa_score": ("1", sa_score),
    "logp": ("1", Crippen.MolLogP),
    "mol_weight": ("g/mol", Descriptors.MolWt),
    "tpsa": ("Å^2", rdMolDescriptors.CalcTPSA),
    "hbd": ("count", Lipinski.NumHDonors),
    "hba": ("count", Lipinski.NumHAcceptors),
    "rotatable_bonds": ("count", rdMolDescriptors.CalcNumRotatableBonds),
    "rings": ("count", rdMolDescriptors.CalcNumRings),
    "aromatic_rings": ("count", rdMolDescriptors.CalcNumAromaticRings),
    "heavy_atoms": ("count", Chem.Mol.GetNumHeavyAtoms),
    "fraction_csp3": ("1", rdMolDescriptors.CalcFractionCSP3),
}


class RDKitParameters(StrictModel):
    """Options of the RDKit oracle.

    Attributes:
        all_descriptors: also return every RDKit 2-D descriptor (``Descriptors.descList``,
            ~210 values, prefixed ``rdkit_``).
    """

    all_descriptors: bool = False


@register_oracle("rdkit")
class RDKitOracle(Oracle):
    """QED, SA score, Crippen logP, MW, TPSA, H-bond donors/acceptors, rotatable bonds and
    ring counts (optionally all RDKit 2-D descriptors). About 1-3 ms per molecule."""

    version = "1"
    Parameters = RDKitParameters

    @property
    def properties(self) -> dict[str, str]:
        units = {name: unit for name, (unit, _) in _PROPERTIES.items()}
        if self.parameters.all_descriptors:
            units.update({f"rdkit_{name}": "1" for name, _ in Descriptors.descList})
        return units

    def evaluate_one(self, smiles: str) -> dict[str, float]:
        mol = parse_molecule(smiles, "smiles")
        values = {name: float(function(mol)) for name, (_, function) in _PROPERTIES.items()}
        if self.parameters.all_descriptors:
            all_values = Descriptors.CalcMolDescriptors(mol, missingVal=float("nan"))
            values.update({f"rdkit_{name}": float(v) for name, v in all_values.items()})
        return values
