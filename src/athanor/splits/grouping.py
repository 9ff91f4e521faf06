"""Assign whole groups of rows (scaffolds, clusters, any column) to train, val and test."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

from athanor.splits.indices import SplitIndices


def group_rows(keys: Sequence[Hashable]) -> list[np.ndarray]:
    """Row indices of each distinct key, in order of first appearance.

    Args:
        keys: length n, one hashable key per row (a scaffold, a cluster id, a dye name).

    Returns:
        one int array per distinct key; together they partition ``0..n-1``.
    """
    rows: dict[Hashable, list[int]] = {}
    for row, key in enumerate(keys):
        rows.setdefault(key, []).append(row)
    return [np.asarray(members, dtype=np.int64) for members in rows.values()]


def _unfilled_fraction(targets: np.ndarray, filled: np.ndarray) -> np.ndarray:
    """Shape (3,), the fraction of each part's target still free; -inf for an empty target."""
    free = np.full(3, -np.inf)
    np.divide(targets - filled, targets, out=free, where=targets > 0)
    return free


def assign_groups(
    groups: Sequence[np.ndarray], sizes: tuple[float, float, float], seed: int
) -> SplitIndices:
    """Balanced assignment of whole groups, as chemprop's balanced scaffold split.

    Groups larger than half the (non-empty) validation or test target are "big": placed first,
    largest first, so they land in the training set; the other groups follow in an order
    shuffled by `seed` (chemprop shuffles the big groups too, which can send the largest
    scaffold set to the test set when it does not fit after another big one).
    Each group goes to the first part (train, val, test) it fits in; a group that fits nowhere
    goes to the part with the largest fraction of its target still free. No group is ever divided.

    Args:
        groups: row indices of each group; together a partition of ``0..n-1``.
        sizes: (train, val, test) fractions, already validated.
        seed: seeds the shuffle of the groups.

    Returns:
        the split; part sizes match `sizes` up to the granularity of the groups.
    """
    n_rows = sum(len(group) for group in groups)
    targets = np.asarray(sizes) * n_rows
    held_out = targets[1:][targets[1:] > 0]  # an empty part (no test) sets no threshold
    threshold = held_out.min() / 2 if held_out.size else np.inf
    is_big = [len(group) > threshold for group in groups]
    order = np.random.default_rng(seed).permutation(len(groups))
    # largest first, so that the biggest sets are the ones that fill the training part
    big = sorted((groups[i] for i in order if is_big[i]), key=len, reverse=True)
    small = [groups[i] for i in order if not is_big[i]]
    parts: list[list[np.ndarray]] = [[], [], []]
    filled = np.zeros(3)
    for group in big + small:
        fits = np.flatnonzero(filled + len(group) <= targets + 1e-9)
        part = fits[0] if fits.size else int(np.argmax(_unfilled_fraction(targets, filled)))
        parts[part].append(group)
        filled[part] += len(group)
    return SplitIndices(*(np.concatenate(part or [np.empty(0, np.int64)]) for part in parts))
