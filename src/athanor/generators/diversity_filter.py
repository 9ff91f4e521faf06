"""REINVENT's diversity filter: scaffold buckets that stop rewarding a crowded scaffold.

Without it, reinforcement learning collapses onto a few high-scoring molecules. Each
Bemis–Murcko scaffold is a bucket; once `bucket_size` molecules scoring at least `min_score`
share a scaffold, later molecules with that scaffold score 0, as does any molecule already
seen (Blaschke et al. 2020).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from athanor.chem.parse import canonical_smiles
from athanor.chem.scaffolds import murcko_scaffold
from athanor.core.errors import MoleculeError


class ScaffoldDiversityFilter:
    """Penalises repeated molecules and full scaffold buckets.

    Args:
        bucket_size: good molecules rewarded per scaffold.
        min_score: score from which a molecule counts towards its bucket.
    """

    def __init__(self, bucket_size: int = 25, min_score: float = 0.4):
        self.bucket_size = bucket_size
        self.min_score = min_score
        self.buckets_: Counter[str] = Counter()
        self.seen_: set[str] = set()

    def __call__(self, smiles: Sequence[str], scores: np.ndarray) -> np.ndarray:
        """Filtered scores, shape (n,), recording the molecules as seen.

        Invalid molecules get 0 (whatever score they were given).
        """
        filtered = np.zeros(len(smiles))
        for row, (text, score) in enumerate(zip(smiles, scores, strict=True)):
            canonical = canonical_smiles(text)
            if canonical is None or canonical in self.seen_:
                continue
            self.seen_.add(canonical)
            try:
                scaffold = murcko_scaffold(canonical)
            except MoleculeError:
                continue
            if self.buckets_[scaffold] >= self.bucket_size:
                continue
            filtered[row] = score
            if score >= self.min_score:
                self.buckets_[scaffold] += 1
        return filtered
