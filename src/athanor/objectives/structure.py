"""Structure components: similarity to references, substructures, structural alerts, isomers."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Literal, get_args

import numpy as np
from pydantic import field_validator
from rdkit import Chem
from rdkit.Chem.FilterCatalog import FilterCatalog, FilterCatalogParams

from athanor.chem.parse import parse_molecule
from athanor.core.config import StrictModel
from athanor.core.errors import MoleculeError
from athanor.objectives.components import Component, register_component
from athanor.objectives.similarity import (
    FingerprintType,
    similarity_fingerprint,
    tanimoto_to_references,
)


class SimilarityParams(StrictModel):
    """Parameters of ``similarity``.

    Attributes:
        smiles: reference molecule(s).
        fingerprint: GuacaMol fingerprint type (ECFP4 = unfolded count Morgan radius 2, ...).
        reduce: similarity to the closest reference (``max``) or the ``mean`` over them.
    """

    smiles: str | list[str]
    fingerprint: FingerprintType = "ECFP4"
    reduce: Literal["max", "mean"] = "max"

    @field_validator("smiles")
    @classmethod
    def _parsable(cls, value: str | list[str]) -> str | list[str]:
        if not value:
            raise ValueError("give at least one reference SMILES")
        for smiles in [value] if isinstance(value, str) else value:
            try:
                parse_molecule(smiles)
            except MoleculeError as error:
                raise ValueError(f"reference {smiles!r}: {error}") from None
        return value


@register_component("similarity")
class Similarity(Component):
    """Tanimoto similarity to reference molecules, in [0, 1]."""

    Params = SimilarityParams
    unit_interval = True

    @cached_property
    def _references(self) -> list:
        smiles = self.params.smiles
        smiles = [smiles] if isinstance(smiles, str) else smiles
        return [similarity_fingerprint(parse_molecule(s), self.params.fingerprint) for s in smiles]

    def value(self, mol: Chem.Mol) -> float:
        fingerprint = similarity_fingerprint(mol, self.params.fingerprint)
        similarities = tanimoto_to_references(fingerprint, self._references)
        return float(np.max(similarities) if self.params.reduce == "max" else np.mean(similarities))


class SubstructureParams(StrictModel):
    """Parameters of ``substructure``.

    Attributes:
        smarts: the pattern.
        forbidden: score 1 when the pattern is absent instead of present.
    """

    smarts: str
    forbidden: bool = False

    @field_validator("smarts")
    @classmethod
    def _valid(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the pattern is empty")
        if Chem.MolFromSmarts(value) is None:
            raise ValueError(f"not a valid SMARTS: {value!r}")
        return value


@register_component("substructure")
class Substructure(Component):
    """1 if the molecule contains the SMARTS pattern (lacks it when `forbidden`), else 0."""

    Params = SubstructureParams
    unit_interval = True

    @cached_property
    def _pattern(self) -> Chem.Mol:
        return Chem.MolFromSmarts(self.params.smarts)

    def value(self, mol: Chem.Mol) -> float:
        return float(mol.HasSubstructMatch(self._pattern) != self.params.forbidden)


Catalog = Literal["PAINS", "BRENK", "NIH", "ZINC", "CHEMBL"]


class AlertsParams(StrictModel):
    """Parameters of ``alerts``: which RDKit FilterCatalog rule sets to apply (one or more)."""

    catalogs: list[Catalog] = ["PAINS", "BRENK"]

    @field_validator("catalogs")
    @classmethod
    def _not_empty(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError(f"give one or more of {', '.join(get_args(Catalog))}")
        return value


@register_component("alerts")
class StructuralAlerts(Component):
    """Number of structural alerts (PAINS, Brenk, ...) the molecule matches; 0 is clean."""

    Params = AlertsParams

    @cached_property
    def _catalog(self) -> FilterCatalog:
        params = FilterCatalogParams()
        for name in self.params.catalogs:
            params.AddCatalog(getattr(FilterCatalogParams.FilterCatalogs, name))
        return FilterCatalog(params)

    def value(self, mol: Chem.Mol) -> float:
        return float(len(self._catalog.GetMatches(mol)))


# the element symbols RDKit knows (H to Og), looked up in a set: the periodic table's
# GetAtomicNumber prints a C++ stack trace for an unknown symbol before it raises
_TABLE = Chem.GetPeriodicTable()
ELEMENTS = frozenset(_TABLE.GetElementSymbol(z) for z in range(1, _TABLE.GetMaxAtomicNumber() + 1))


def parse_formula(formula: str) -> dict[str, int]:
    """``"C9H10N2O2PF2Cl"`` -> ``{"C": 9, "H": 10, "N": 2, "O": 2, "P": 1, "F": 2, "Cl": 1}``."""
    counts: dict[str, int] = {}
    for element, count in re.findall(r"([A-Z][a-z]?)(\d*)", formula):
        counts[element] = counts.get(element, 0) + int(count or 1)
    return counts


class IsomerParams(StrictModel):
    """Parameters of ``isomer``.

    Attributes:
        formula: target molecular formula, e.g. ``C7H8N2O2``.
        mean: how the per-element scores combine (GuacaMol's default is geometric).
    """

    formula: str
    mean: Literal["geometric", "arithmetic"] = "geometric"

    @field_validator("formula")
    @classmethod
    def _valid(cls, value: str) -> str:
        if not parse_formula(value) or re.sub(r"[A-Z][a-z]?\d*", "", value):
            raise ValueError(f"not a molecular formula: {value!r}")
        unknown = [element for element in parse_formula(value) if element not in ELEMENTS]
        if unknown:
            raise ValueError(f"{value!r}: unknown element symbol(s) {', '.join(unknown)}")
        return value


@register_component("isomer")
class Isomer(Component):
    """GuacaMol isomer score in [0, 1]: a Gaussian (sigma 1) on each element count of the
    formula and one (sigma 2) on the total atom count, hydrogens included, then averaged."""

    Params = IsomerParams
    unit_interval = True

    @cached_property
    def _target(self) -> dict[str, int]:
        return parse_formula(self.params.formula)

    def value(self, mol: Chem.Mol) -> float:
        atoms = [atom.GetSymbol() for atom in Chem.AddHs(mol).GetAtoms()]
        counts = np.array([atoms.count(e) for e in self._target], dtype=float)
        target = np.array(list(self._target.values()), dtype=float)
        scores = np.exp(-0.5 * (counts - target) ** 2)
        total = np.exp(-0.5 * ((len(atoms) - target.sum()) / 2.0) ** 2)
        scores = np.append(scores, total)
        if self.params.mean == "arithmetic":
            return float(scores.mean())
        return float(np.prod(scores) ** (1.0 / len(scores)))
