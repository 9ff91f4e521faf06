"""The result of a split: which rows are for training, validation and testing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from athanor.core.errors import InputDataError

PARTS = ("train", "val", "test")


def check_sizes(sizes: Sequence[float]) -> tuple[float, float, float]:
    """Validate the (train, val, test) fractions: three numbers >= 0 that sum to 1.

    Raises:
        InputDataError: if they are not three non-negative fractions summing to 1, or the
            training fraction is 0.
    """
    values = tuple(float(size) for size in sizes)
    if len(values) != 3 or min(values) < 0 or not np.isclose(sum(values), 1.0):
        raise InputDataError(
            f"sizes must be three fractions (train, val, test) >= 0 summing to 1; got {sizes}"
        )
    if values[0] == 0:
        raise InputDataError("the training fraction must be > 0")
    return values[0], values[1], values[2]


@dataclass(frozen=True, eq=False)
class SplitIndices:
    """A partition of rows ``0..n-1`` into train, validation and test parts.

    Compare two splits by their `labels`; ``==`` is identity, as for NumPy-holding records.

    Attributes:
        train: shape (n_train,), sorted row indices.
        val: shape (n_val,), sorted row indices (may be empty).
        test: shape (n_test,), sorted row indices (may be empty).
    """

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray

    def __post_init__(self) -> None:
        for part in PARTS:
            object.__setattr__(self, part, np.sort(np.asarray(getattr(self, part), dtype=np.int64)))
        rows = np.concatenate([self.train, self.val, self.test])
        if not np.array_equal(np.sort(rows), np.arange(rows.size)):
            raise InputDataError("train, val and test must partition the rows 0..n-1")

    @property
    def n_rows(self) -> int:
        return self.train.size + self.val.size + self.test.size

    def labels(self) -> np.ndarray:
        """The part of each row, shape (n_rows,), values ``"train"``, ``"val"``, ``"test"``."""
        labels = np.empty(self.n_rows, dtype=object)
        for part in PARTS:
            labels[getattr(self, part)] = part
        return labels

    def to_frame(self) -> pd.DataFrame:
        """One row per input row, with its ``split`` label (what a run saves beside results)."""
        return pd.DataFrame({"split": self.labels()}).rename_axis("row")

    @classmethod
    def from_labels(cls, labels: Sequence[str]) -> SplitIndices:
        """Rebuild a split from per-row labels, e.g. the ``split`` column of `to_frame`.

        Raises:
            InputDataError: if a label is not one of ``train``, ``val``, ``test``.
        """
        labels = np.asarray(labels, dtype=object)
        unknown = set(labels) - set(PARTS)
        if unknown:
            raise InputDataError(
                f"unknown split labels {sorted(map(str, unknown))}; expected {PARTS}"
            )
        return cls(*(np.flatnonzero(labels == part) for part in PARTS))
