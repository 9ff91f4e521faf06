"""Fixed-length molecule vectors for the fingerprint models: Morgan bits or counts, and RDKit
2-D descriptors standardised on the training set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Self

import numpy as np

from athanor.chem.descriptors import descriptor_matrix
from athanor.chem.fingerprints import morgan_fingerprints
from athanor.core.errors import ConfigError
from athanor.models.scaling import Standardizer

FeatureKind = Literal["morgan", "morgan_counts", "descriptors"]
DESCRIPTOR_CLIP = 10.0  # standardised descriptors beyond ±10 sd are clipped (heavy tails)


class MorganFeaturizer:
    """Morgan (ECFP-like) fingerprints, shape (n, n_bits), float32.

    Args:
        radius: Morgan radius (2 ≈ ECFP4).
        n_bits: fingerprint length.
        counts: occurrence counts instead of bits.
    """

    def __init__(self, radius: int = 2, n_bits: int = 2048, counts: bool = False):
        self.radius, self.n_bits, self.counts = radius, n_bits, counts

    def fit(self, smiles: Sequence[str]) -> Self:
        """Nothing to learn; for a uniform interface."""
        return self

    def transform(self, smiles: Sequence[str]) -> np.ndarray:
        """Shape (n, n_bits), float32."""
        matrix = morgan_fingerprints(smiles, self.radius, self.n_bits, self.counts)
        return matrix.astype(np.float32)

    def to_json(self) -> dict[str, Any]:
        return {}


class DescriptorFeaturizer:
    """All RDKit 2-D descriptors (217), standardised with the training set's mean and standard
    deviation, clipped to ±10, and 0 (the mean) where RDKit gives no value."""

    def __init__(self, scaler: Standardizer | None = None):
        self.scaler = scaler

    def fit(self, smiles: Sequence[str]) -> Self:
        """Learn the column means and standard deviations, shape (217,)."""
        self.scaler = Standardizer.fit(self._raw(smiles))
        return self

    def transform(self, smiles: Sequence[str]) -> np.ndarray:
        """Shape (n, 217), float32."""
        scaled = self.scaler.transform(self._raw(smiles))
        return np.clip(np.nan_to_num(scaled, nan=0.0), -DESCRIPTOR_CLIP, DESCRIPTOR_CLIP)

    @staticmethod
    def _raw(smiles: Sequence[str]) -> np.ndarray:
        raw = descriptor_matrix(smiles)
        raw[~np.isfinite(raw)] = np.nan  # a few descriptors overflow on exotic molecules
        return raw

    def to_json(self) -> dict[str, Any]:
        return {"scaler": self.scaler.to_json()}


def make_featurizer(
    kind: FeatureKind, radius: int, n_bits: int, state: dict[str, Any] | None = None
) -> MorganFeaturizer | DescriptorFeaturizer:
    """The featuriser named ``kind``; ``state`` restores a fitted one (from ``to_json``)."""
    if kind in ("morgan", "morgan_counts"):
        return MorganFeaturizer(radius, n_bits, counts=kind == "morgan_counts")
    if kind == "descriptors":
        scaler = Standardizer.from_json(state["scaler"]) if state else None
        return DescriptorFeaturizer(scaler)
    raise ConfigError(f"unknown features {kind!r}; choose morgan, morgan_counts or descriptors")
