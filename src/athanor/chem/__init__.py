"""Molecule identity and cheminformatics on RDKit: parsing, standardisation, fingerprints,
scaffolds and descriptors.

Everything here takes SMILES (or RDKit molecules) and is safe to call in worker processes.
"""

from athanor.chem.parse import FailureReason, parse_molecule
from athanor.chem.standardize import (
    StandardizerOptions,
    standardize,
    standardize_many,
    standardize_mol,
)

__all__ = [
    "FailureReason",
    "StandardizerOptions",
    "parse_molecule",
    "standardize",
    "standardize_many",
    "standardize_mol",
]
