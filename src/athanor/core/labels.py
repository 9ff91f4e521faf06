"""Display labels."""

from __future__ import annotations

from collections.abc import Sequence


def unique_labels(labels: Sequence[str]) -> list[str]:
    """Repeated labels suffixed by their occurrence: ``rf, dmpnn, rf_2``."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label}_{seen[label]}")
    return out
