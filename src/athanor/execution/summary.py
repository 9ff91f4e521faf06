"""What a run did: counts by status and the most common failure reasons."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from athanor.core.records import Evaluation

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d+(\.\d+)?")


def failure_reason(message: str) -> str:
    """A message with its molecule-specific parts (quoted text, numbers) masked, for counting.

    >>> failure_reason("cannot parse smiles 'C1CC'")
    "cannot parse smiles '…'"
    """
    return _NUMBER.sub("N", _QUOTED.sub("'…'", message))


@dataclass
class RunSummary:
    """Counts of one oracle run.

    Attributes:
        oracle: oracle name.
        fingerprint: oracle fingerprint.
        requested: molecules given as input.
        invalid: inputs that could not be standardised (never sent to the oracle).
        cached: molecules already finished in the store (not recomputed).
        counts: final status of each molecule computed in this run (``ok``, ``failed``,
            ``timeout``).
        retries: attempts repeated after a transient failure (a worker died).
        reasons: failure reason -> count, over invalid inputs and failed/timeout results.
        wall_s: wall time of the run in seconds.
        molecule_ids: store ids of the valid inputs (computed now or earlier).
    """

    oracle: str
    fingerprint: str
    requested: int = 0
    invalid: int = 0
    cached: int = 0
    counts: Counter = field(default_factory=Counter)
    retries: int = 0
    reasons: Counter = field(default_factory=Counter)
    wall_s: float = 0.0
    molecule_ids: set[int] = field(default_factory=set)

    @property
    def computed(self) -> int:
        """Molecules given a final result in this run."""
        return sum(self.counts.values())

    def add(self, evaluation: Evaluation) -> None:
        self.counts[evaluation.status] += 1
        if not evaluation.ok:
            self.reasons[failure_reason(evaluation.message)] += 1

    def add_invalid(self, message: str) -> None:
        self.invalid += 1
        self.reasons[f"invalid input: {failure_reason(message)}"] += 1

    def format(self, top: int = 5) -> str:
        """A few lines for the terminal: totals, then the `top` failure reasons."""
        lines = [
            f"{self.oracle} [{self.fingerprint}]: {self.requested} molecules, "
            f"{self.cached} already done, {self.invalid} invalid, {self.computed} computed "
            f"in {self.wall_s:.1f} s",
            f"  ok {self.counts['ok']}, failed {self.counts['failed']}, "
            f"timeout {self.counts['timeout']}, retried {self.retries}",
        ]
        lines += [f"  {count:6d}  {reason}" for reason, count in self.reasons.most_common(top)]
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {
            "oracle": self.oracle,
            "fingerprint": self.fingerprint,
            "requested": self.requested,
            "invalid": self.invalid,
            "cached": self.cached,
            "counts": dict(self.counts),
            "retries": self.retries,
            "reasons": dict(self.reasons.most_common()),
            "wall_s": self.wall_s,
        }
