"""Score each unique molecule once: oracle budgets count unique calls, not proposals."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class ScoredMolecule:
    """What an objective computed for one canonical SMILES.

    Attributes:
        score: scalar score in [0, 1], or shape (k,) in Pareto mode.
        values: component/constraint label -> raw value (NaN where it failed).
        status: ``ok``, ``failed`` (a component raised: score 0) or ``rejected`` (a constraint
            is violated: score 0).
        reason: why it failed or was rejected; empty when ok.
        call: 1-based index of this molecule among the unique molecules scored.
    """

    score: float | np.ndarray
    values: dict[str, float]
    status: str
    reason: str
    call: int


@dataclass
class ScoringCache:
    """Canonical SMILES -> `ScoredMolecule`, counting unique scorings and invalid inputs.

    Attributes:
        entries: the scored molecules, in the order they were first scored.
        n_invalid: inputs that could not be parsed (scored 0, never cached or counted as calls).
    """

    entries: dict[str, ScoredMolecule] = field(default_factory=dict)
    n_invalid: int = 0

    @property
    def n_calls(self) -> int:
        """Unique molecules scored so far (the oracle-call count of benchmarks such as PMO)."""
        return len(self.entries)

    def __contains__(self, smiles: str) -> bool:
        return smiles in self.entries

    def __getitem__(self, smiles: str) -> ScoredMolecule:
        return self.entries[smiles]

    def add(self, smiles: str, score, values: dict[str, float], status: str, reason: str) -> None:
        """Record a newly scored molecule (ignored when already cached)."""
        if smiles not in self.entries:
            self.entries[smiles] = ScoredMolecule(score, values, status, reason, self.n_calls + 1)
