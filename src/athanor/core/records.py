"""The records shared by all components: molecule identity, per-item failures, evaluations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EvaluationStatus = Literal["ok", "failed", "timeout"]


@dataclass(frozen=True, slots=True)
class Molecule:
    """A standardised molecule: its identity in the store.

    Attributes:
        smiles: canonical SMILES of the standardised molecule; the store key.
        inchikey: standard InChIKey of the same structure (may collide for tautomers, so it is
            recorded and indexed but is not the key).
        heavy_atoms: number of non-hydrogen atoms.
        formal_charge: net formal charge after standardisation.
        radical_electrons: total number of unpaired electrons.
    """

    smiles: str
    inchikey: str
    heavy_atoms: int
    formal_charge: int = 0
    radical_electrons: int = 0


@dataclass(frozen=True, slots=True)
class MoleculeFailure:
    """Why one input could not become a `Molecule`.

    Attributes:
        input: the text as given (SMILES, InChI or a short excerpt of a mol block).
        reason: category such as ``empty``, ``unparsable``, ``valence``, ``element``,
            ``too_large`` (see `athanor.chem.FailureReason`).
        message: a human-readable explanation.
    """

    input: str
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One oracle result for one molecule.

    Attributes:
        status: ``ok`` with `values`, or ``failed`` / ``timeout`` with `message`.
        values: property name -> value (units declared by the oracle).
        message: why it failed; empty when ok.
        runtime_s: wall time of the calculation in seconds.
        geometry: optional 3-D structure (XYZ or mol block) for reuse by a higher level.
    """

    status: EvaluationStatus
    values: dict[str, float] = field(default_factory=dict)
    message: str = ""
    runtime_s: float = 0.0
    geometry: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"
