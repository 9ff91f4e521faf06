"""The prediction record: what every surrogate returns and every acquisition consumes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from athanor.core.errors import InputDataError


@dataclass(frozen=True)
class Prediction:
    """Predicted means with uncertainty, for n molecules and t tasks.

    Attributes:
        mean: shape (n, t), predictive mean in target units.
        std: shape (n, t), predictive standard deviation (total: aleatoric + epistemic where
            the model separates them), >= 0, same units.
        samples: optional shape (s, n, t), draws from the predictive distribution (ensemble
            members, dropout masks, trees); used by Thompson sampling and batch acquisition.
    """

    mean: np.ndarray
    std: np.ndarray
    samples: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.mean.ndim != 2 or self.mean.shape != self.std.shape:
            raise InputDataError(
                f"mean and std must both have shape (n, t); got {self.mean.shape} "
                f"and {self.std.shape}"
            )
        if self.samples is not None and self.samples.shape[1:] != self.mean.shape:
            raise InputDataError(
                f"samples must have shape (s, n, t) = (s, *{self.mean.shape}); "
                f"got {self.samples.shape}"
            )

    @property
    def n_molecules(self) -> int:
        return self.mean.shape[0]

    @property
    def n_tasks(self) -> int:
        return self.mean.shape[1]

    def subset(self, index: np.ndarray | slice) -> Prediction:
        """The predictions of some molecules (rows), all tasks."""
        samples = None if self.samples is None else self.samples[:, index]
        return Prediction(self.mean[index], self.std[index], samples)

    def task(self, t: int) -> Prediction:
        """The predictions of one task, keeping the 2-D shape (n, 1)."""
        samples = None if self.samples is None else self.samples[:, :, t : t + 1]
        return Prediction(self.mean[:, t : t + 1], self.std[:, t : t + 1], samples)
