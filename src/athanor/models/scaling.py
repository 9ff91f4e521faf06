"""Per-column standardisation that ignores missing values and saves as plain JSON."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Standardizer:
    """``(x - center) / scale`` per column.

    Attributes:
        center: shape (d,), column means (NaN ignored).
        scale: shape (d,), column standard deviations, 1 where a column is constant.
    """

    center: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, values: np.ndarray) -> Standardizer:
        """Fit to ``values`` of shape (n, d); NaN entries are ignored."""
        center = np.nan_to_num(np.nanmean(values, axis=0))
        scale = np.nan_to_num(np.nanstd(values, axis=0))
        return cls(center, np.where(scale > 0, scale, 1.0))

    def transform(self, values: np.ndarray) -> np.ndarray:
        """Shape (n, d) → standardised (n, d), float32 (NaN stays NaN)."""
        return ((values - self.center) / self.scale).astype(np.float32)

    def to_json(self) -> dict[str, list[float]]:
        """Exact JSON form (Python floats round-trip bit for bit)."""
        return {"center": self.center.tolist(), "scale": self.scale.tolist()}

    @classmethod
    def from_json(cls, data: dict[str, list[float]]) -> Standardizer:
        return cls(np.array(data["center"], dtype=np.float64), np.array(data["scale"]))
