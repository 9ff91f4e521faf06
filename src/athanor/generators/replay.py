"""Experience replay: the best molecules found so far, replayed into each RL update."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class ReplayBuffer:
    """Keeps the `capacity` highest-scoring distinct molecules.

    Args:
        capacity: molecules kept.
    """

    def __init__(self, capacity: int = 100):
        self.capacity = capacity
        self.memory_: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self.memory_)

    def add(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        """Offer molecules (zero scores are ignored) and keep the best `capacity`."""
        for text, score in zip(smiles, scores, strict=True):
            if score > 0:
                self.memory_[text] = max(float(score), self.memory_.get(text, 0.0))
        best = sorted(self.memory_.items(), key=lambda item: -item[1])[: self.capacity]
        self.memory_ = dict(best)

    def sample(self, k: int, rng: np.random.Generator) -> tuple[list[str], np.ndarray]:
        """`k` distinct molecules drawn uniformly (fewer if the buffer is smaller).

        Returns:
            the SMILES and their scores, shape (k,).
        """
        items = list(self.memory_.items())
        rows = rng.choice(len(items), size=min(k, len(items)), replace=False)
        return [items[i][0] for i in rows], np.array([items[i][1] for i in rows])

    def smiles(self) -> list[str]:
        """The molecules kept, best first."""
        return list(self.memory_)
