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


def _read(text: str, fmt: MoleculeFormat, sanitize: bool) -> Chem.Mol | None:
    with rdBase.BlockLogs():
        if fmt == "inchi":
            return Chem.MolFromInchi(text, sanitize=sanitize, removeHs=sanitize)
        if fmt == "molblock":
            return Chem.MolFromMolBlock(text, sanitize=sanitize, removeHs=sanitize)
        return Chem.MolFromSmiles(text, sanitize=sanitize)


def _diagnose(text: str, fmt: MoleculeFormat) -> MoleculeError:
    """Why RDKit refused `text`: unparsable, or the first chemistry problem it finds."""
    raw = _read(text, fmt, sanitize=False)
    if raw is None:
        return MoleculeError(FailureReason.UNPARSABLE, f"cannot parse {fmt} '{_excerpt(text)}'")
    with rdBase.BlockLogs():
        problems = Chem.DetectChemistryProblems(raw)
    if not problems:
        return MoleculeError(FailureReason.UNPARSABLE, f"RDKit cannot read '{_excerpt(text)}'")
    first = problems[0]
    kekulize = first.GetType() == "KekulizeException"
    reason = FailureReason.KEKULIZE if kekulize else FailureReason.VALENCE
    return MoleculeError(reason, f"{first.Message()} in '{_excerpt(text)}'")


def parse_molecule(text: str, fmt: MoleculeFormat = "auto") -> Chem.Mol:
    """Parse a SMILES, InChI or mol block into a sanitised RDKit molecule.

    RDKit's own readers do the work (sanitisation and stereo perception); a refused input is
    read again without sanitisation only to say precisely what is wrong with it.

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
    if fmt == "smiles" and any(space in text for space in " \t"):
        # RDKit reads what follows a space as the molecule's name: 'c1ccccc1 Cl' is benzene
        raise MoleculeError(
            FailureReason.UNPARSABLE,
            f"cannot parse smiles '{_excerpt(text)}': whitespace inside it (a name after "
            "the SMILES, or a tab-separated file read as CSV?)",
        )
    mol = _read(text, fmt, sanitize=True)
    if mol is None:
        raise _diagnose(text, fmt)
    return mol


def as_mol(molecule: str | Chem.Mol) -> Chem.Mol:
    """The molecule itself, or the parsed SMILES / InChI / mol block (see `parse_molecule`)."""
    return molecule if isinstance(molecule, Chem.Mol) else parse_molecule(molecule)


def canonical_smiles(smiles: str, stereo: bool = True) -> str | None:
    """RDKit canonical SMILES, or None for an invalid or empty string."""
    if not isinstance(smiles, str) or not smiles.strip():
        return None
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    if mol is None or mol.GetNumAtoms() == 0:
        return None
    return Chem.MolToSmiles(mol, isomericSmiles=stereo)


def molblock_smiles(block: str) -> str:
    """The canonical SMILES of a mol block (an SDF record).

    Raises:
        MoleculeError: RDKit cannot read the block (see `parse_molecule`).
    """
    return Chem.MolToSmiles(parse_molecule(block, fmt="molblock"))


def smiles_problem(text: object) -> str | None:
    """Why `text` is not a usable SMILES (empty, unparsable, valence, ...), or None if it is."""
    try:
        parse_molecule(text, "smiles")
    except MoleculeError as error:
        return str(error)
    return None
