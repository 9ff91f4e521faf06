"""RDKit property components: drug-likeness, synthesisability, size, polarity, rings."""

from __future__ import annotations

from collections.abc import Callable

from rdkit import Chem
from rdkit.Chem import Crippen, Descriptors, GraphDescriptors, Lipinski, rdMolDescriptors

from athanor.chem.descriptors import qed, sa_score
from athanor.core.config import StrictModel
from athanor.objectives.components import Component, register_component

PROPERTIES: dict[str, Callable[[Chem.Mol], float]] = {
    "qed": qed,
    "sa": sa_score,
    "logp": Crippen.MolLogP,
    "mw": Descriptors.MolWt,
    "tpsa": rdMolDescriptors.CalcTPSA,
    "hbd": Lipinski.NumHDonors,
    "hba": Lipinski.NumHAcceptors,
    "rotatable_bonds": rdMolDescriptors.CalcNumRotatableBonds,
    "rings": rdMolDescriptors.CalcNumRings,
    "aromatic_rings": rdMolDescriptors.CalcNumAromaticRings,
    "heavy_atoms": Chem.Mol.GetNumHeavyAtoms,
    "fraction_csp3": rdMolDescriptors.CalcFractionCSP3,
    "bertz": GraphDescriptors.BertzCT,
    "formal_charge": Chem.GetFormalCharge,
}


class PropertyComponent(Component):
    """A parameter-free RDKit property (one subclass per entry of `PROPERTIES`)."""

    def value(self, mol: Chem.Mol) -> float:
        return float(PROPERTIES[self.kind](mol))


UNIT_INTERVAL = {"qed", "fraction_csp3"}

for _kind in PROPERTIES:
    _attributes = {"unit_interval": _kind in UNIT_INTERVAL}
    register_component(_kind)(type(f"Property_{_kind}", (PropertyComponent,), _attributes))


class AtomCountParams(StrictModel):
    """Parameters of ``atom_count``.

    Attributes:
        element: element symbol; ``H`` counts implicit hydrogens too.
    """

    element: str


@register_component("atom_count")
class AtomCount(Component):
    """Number of atoms of one element."""

    Params = AtomCountParams

    def value(self, mol: Chem.Mol) -> float:
        mol = Chem.AddHs(mol) if self.params.element == "H" else mol
        return float(sum(atom.GetSymbol() == self.params.element for atom in mol.GetAtoms()))
