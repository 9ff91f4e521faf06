"""What a run did: counts by status and the most common failure reasons, with where in the
input (file line, SDF/Parquet record, or input row) the failing molecules are."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from athanor.core.records import Evaluation

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBER = re.compile(r"\d+(\.\d+)?")
MAX_PLACES = 5  # input positions listed per failure reason


def failure_reason(message: str) -> str:
    """A message with its molecule-specific parts (quoted text, numbers) masked, for counting.

    >>> failure_reason("cannot parse smiles 'C1CC'")
    "cannot parse smiles '…'"
    """
    return _NUMBER.sub("N", _QUOTED.sub("'…'", message))


@dataclass
class RunSummary:
    """Counts of one oracle run, and where in the input its failures are.

    Attributes:
        oracle: oracle name.
        fingerprint: oracle fingerprint.
        requested: molecules given as input.
        invalid: distinct inputs refused before the oracle (unparsable, too large, ...).
        cached: molecules already finished in the store (not recomputed).
        counts: final status of each molecule computed in this run (``ok``, ``failed``,
            ``timeout``).
        retries: attempts repeated after a transient failure (a worker died).
        reasons: failure reason -> count, over invalid inputs and failed/timeout results.
        wall_s: wall time of the run in seconds.
        molecule_ids: store ids of the valid inputs (computed now or earlier).
        lines: (requested,) file line or record number of each input; None: input rows
            1..n.
        position: what `lines` count, for messages: ``line``, ``record`` or ``input row``.
        input_ids: (requested,) store id of each input, None where it was refused.
        input_errors: 0-based input index -> why that input was refused.
        places: failure reason -> `lines` numbers of the inputs that failed with it.
        examples: failure reason -> its first message, unmasked.
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
    lines: list[int] | None = None
    position: str = "input row"
    input_ids: list[int | None] = field(default_factory=list)
    input_errors: dict[int, str] = field(default_factory=dict)
    places: dict[str, list[int]] = field(default_factory=dict)
    examples: dict[str, str] = field(default_factory=dict)
    _rows: dict[int, list[int]] = field(default_factory=dict, init=False, repr=False)

    @property
    def computed(self) -> int:
        """Molecules given a final result in this run."""
        return sum(self.counts.values())

    def set_inputs(self, input_ids: list[int | None]) -> None:
        """Note the store id of each input (None: refused), to place later failures."""
        self.input_ids = input_ids
        self.molecule_ids = {key for key in input_ids if key is not None}
        for row, key in enumerate(input_ids):
            if key is not None:
                self._rows.setdefault(key, []).append(row)

    def add(self, evaluation: Evaluation, molecule_id: int | None = None) -> None:
        """Count the final result of one molecule (of store id `molecule_id`, if known)."""
        self.counts[evaluation.status] += 1
        if not evaluation.ok:
            message = evaluation.message
            self._add_reason(failure_reason(message), message, self._rows.get(molecule_id, []))

    def add_invalid(self, message: str, rows: Sequence[int] = ()) -> None:
        """Count one distinct refused input, found at 0-based input indices `rows`."""
        self.invalid += 1
        self.input_errors.update(dict.fromkeys(rows, message))
        reason = f"invalid input: {failure_reason(message)}"
        self._add_reason(reason, f"invalid input: {message}", rows)

    def _add_reason(self, reason: str, message: str, rows: Sequence[int]) -> None:
        self.reasons[reason] += 1
        self.examples.setdefault(reason, message)
        numbers = [self.lines[row] if self.lines else row + 1 for row in rows]
        self.places.setdefault(reason, []).extend(numbers)

    def _where(self, reason: str) -> str:
        """`` (lines 3, 8 and 2 more)``: where the inputs failing for `reason` are."""
        numbers = sorted(self.places.get(reason, []))
        if not numbers:
            return ""
        listed = ", ".join(map(str, numbers[:MAX_PLACES]))
        more = f" and {len(numbers) - MAX_PLACES} more" if len(numbers) > MAX_PLACES else ""
        plural = "s" if len(numbers) > 1 else ""
        return f" ({self.position}{plural} {listed}{more})"

    def format(self, top: int = 5) -> str:
        """A few lines for the terminal: totals, then the `top` failure reasons (a reason seen
        once with its full message) and where in the input they are."""
        lines = [
            f"{self.oracle} [{self.fingerprint}]: {self.requested} molecules, "
            f"{self.cached} already done, {self.invalid} invalid, {self.computed} computed "
            f"in {self.wall_s:.1f} s",
            f"  ok {self.counts['ok']}, failed {self.counts['failed']}, "
            f"timeout {self.counts['timeout']}, retried {self.retries}",
        ]
        for reason, count in self.reasons.most_common(top):
            shown = self.examples[reason] if count == 1 else reason
            lines.append(f"  {count:6d}  {shown}{self._where(reason)}")
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
