"""Text (SMILES, InChI, mol block) to an RDKit molecule, with specific error messages."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from rdkit import Chem, rdBase

from athanor.core.errors import MoleculeError

MoleculeFormat = Literal["auto", "smiles", "inchi", "molblock"]


class FailureReason(StrEnum):
    """Why an input could not become a molecule (stored with every per-item failure)."""

    EMPTY = "empty"
    UNPARSABLE = "unparsable"
    VALENCE = "valence"
    KEKULIZE = "kekulize"
    ELEMENT = "element"
    TOO_LARGE = "too_large"
    STANDARDIZATION = "standardization"


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _detect_format(text: str) -> MoleculeFormat:
    if text.startswith("InChI="):
        return "inchi"
    if "\n" in text and ("M  END" in text or "V2000" in text or "V3000" in text):
        return "molblock"
    return "smiles"


def _read_unsanitized(text: str, fmt: MoleculeFormat) -> Chem.Mol | None:
    with rdBase.BlockLogs():
        if fmt == "inchi":
            return Chem.MolFromInchi(text, sanitize=False, removeHs=False)
        if fmt == "molblock":
            return Chem.MolFromMolBlock(text, sanitize=False, removeHs=False)
        return Chem.MolFromSmiles(text, sanitize=False)


def _sanitize(mol: Chem.Mol, text: str) -> Chem.Mol:
    """Sanitise in place, turning RDKit's problems into a `MoleculeError` with its reason."""
    with rdBase.BlockLogs():
        problems = Chem.DetectChemistryProblems(mol)
    if problems:
        first = problems[0]
        reason = (
            FailureReason.KEKULIZE
            if first.GetType() == "KekulizeException"
            else FailureReason.VALENCE
        )
        raise MoleculeError(reason, f"{first.Message()} in '{_excerpt(text)}'")
    with rdBase.BlockLogs():
        Chem.SanitizeMol(mol)
    return mol


def parse_molecule(text: str, fmt: MoleculeFormat = "auto") -> Chem.Mol:
    """Parse a SMILES, InChI or mol block into a sanitised RDKit molecule.

    Args:
        text: the molecule as text.
        fmt: the format, or ``auto`` to detect InChI (``InChI=`` prefix) and mol blocks.

    Raises:
        MoleculeError: with reason ``empty``, ``unparsable``, ``valence`` or ``kekulize``.
    """
    if not isinstance(text, str) or not text.strip():
        raise MoleculeError(FailureReason.EMPTY, "empty molecule input")
    text = text.strip() if "\n" not in text.strip() else text
    fmt = _detect_format(text) if fmt == "auto" else fmt
    mol = _read_unsanitized(text, fmt)
    if mol is None:
        raise MoleculeError(FailureReason.UNPARSABLE, f"cannot parse {fmt} '{_excerpt(text)}'")
    return _sanitize(mol, text)
