"""Fixed-length molecule vectors for the fingerprint models: Morgan or atom-pair bits or counts,
and RDKit 2-D descriptors standardised on the training set."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Self

import numpy as np

from athanor.chem.descriptors import descriptor_matrix
from athanor.chem.fingerprints import atom_pair_fingerprints, morgan_fingerprints
from athanor.core.errors import ConfigError
from athanor.models.scaling import Standardizer

FeatureKind = Literal["morgan", "morgan_counts", "atompair", "atompair_counts", "descriptors"]
DESCRIPTOR_CLIP = 10.0  # standardised descriptors beyond ±10 sd are clipped (heavy tails)


class MorganFeaturizer:
    """Morgan (ECFP-like) or atom-pair fingerprints, shape (n, n_bits), float32.

    Args:
        radius: Morgan radius (2 ≈ ECFP4); unused by atom pairs.
        n_bits: fingerprint length.
        counts: occurrence counts instead of bits.
        atom_pairs: atom-pair fingerprints (MolPAL's default) instead of Morgan.
    """

    def __init__(
        self, radius: int = 2, n_bits: int = 2048, counts: bool = False, atom_pairs: bool = False
    ):
        self.radius, self.n_bits, self.counts = radius, n_bits, counts
        self.atom_pairs = atom_pairs

    def fit(self, smiles: Sequence[str]) -> Self:
        """Nothing to learn; for a uniform interface."""
        return self

    def transform(self, smiles: Sequence[str]) -> np.ndarray:
        """Shape (n, n_bits), float32."""
        if self.atom_pairs:
            matrix = atom_pair_fingerprints(smiles, self.n_bits, self.counts)
        else:
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

    @property
    def width(self) -> int:
        """Columns of the fitted featuriser (217 with the RDKit this was fitted with)."""
        return len(self.scaler.center)

    @staticmethod
    def _raw(smiles: Sequence[str]) -> np.ndarray:
        """Shape (n, 217), float64: each distinct SMILES computed once (solvents repeat)."""
        distinct, rows = np.unique(np.asarray(smiles, dtype=object), return_inverse=True)
        raw = descriptor_matrix(distinct)[rows.reshape(-1)]
        raw[~np.isfinite(raw)] = np.nan  # a few descriptors overflow on exotic molecules
        return raw

    def to_json(self) -> dict[str, Any]:
        return {"scaler": self.scaler.to_json()}


def make_featurizer(
    kind: FeatureKind, radius: int, n_bits: int, state: dict[str, Any] | None = None
) -> MorganFeaturizer | DescriptorFeaturizer:
    """The featuriser named ``kind``; ``state`` restores a fitted one (from ``to_json``)."""
    if kind in ("morgan", "morgan_counts", "atompair", "atompair_counts"):
        counts, atom_pairs = kind.endswith("_counts"), kind.startswith("atompair")
        return MorganFeaturizer(radius, n_bits, counts=counts, atom_pairs=atom_pairs)
    if kind == "descriptors":
        scaler = Standardizer.from_json(state["scaler"]) if state else None
        return DescriptorFeaturizer(scaler)
    raise ConfigError(
        f"unknown features {kind!r}; choose morgan, morgan_counts, atompair, atompair_counts "
        "or descriptors"
    )
