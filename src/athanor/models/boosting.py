"""Gradient-boosted trees (LightGBM) on fingerprints; uncertainty from a small ensemble of
boosters trained on different bootstrap-like subsamples (seeds ``seed, seed + 1, ...``).

Boosters are saved in LightGBM's own text format (exact, human-readable, no pickle).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from athanor.core.prediction import Prediction
from athanor.models.feature_model import FeatureSurrogate, labelled
from athanor.models.persistence import ModelFileError
from athanor.models.registry import register
from athanor.models.uncertainty import combine_members


@register("lightgbm")
class LightGBMSurrogate(FeatureSurrogate):
    """LightGBM regressor per task; std over ``ensemble_size`` subsampled boosters.

    Args:
        n_estimators: boosting rounds.
        learning_rate: shrinkage.
        num_leaves: leaves per tree.
        min_child_samples: smallest leaf.
        subsample: fraction of rows drawn for each tree (differs between members).
        colsample: fraction of features drawn for each tree.
        ensemble_size: boosters per task (1: std is 0).
        features, radius, n_bits: see `athanor.models.featurizers.make_featurizer`.
        seed: seed of the first booster.
    """

    def __init__(
        self,
        *,
        n_estimators: int = 500,
        learning_rate: float = 0.05,
        num_leaves: int = 31,
        min_child_samples: int = 5,
        subsample: float = 0.8,
        colsample: float = 0.5,
        ensemble_size: int = 5,
        features: str = "morgan_counts",
        radius: int = 2,
        n_bits: int = 2048,
        seed: int = 0,
    ):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.subsample = subsample
        self.colsample = colsample
        self.ensemble_size = ensemble_size
        self.features = features
        self.radius = radius
        self.n_bits = n_bits
        self.seed = seed

    def _booster_params(self, seed: int) -> dict[str, Any]:
        return {
            "objective": "regression",
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples,
            "bagging_fraction": self.subsample,
            "bagging_freq": 1,
            "feature_fraction": self.colsample,
            "seed": seed,
            "deterministic": True,
            "num_threads": 1,
            "verbosity": -1,
        }

    def _fit_tasks(self, features: np.ndarray, targets: np.ndarray) -> None:
        import lightgbm

        self.boosters_ = []
        for task in range(targets.shape[1]):
            rows = labelled(targets, task)
            data = lightgbm.Dataset(features[rows], targets[rows, task], free_raw_data=False)
            self.boosters_.append(
                [
                    lightgbm.train(self._booster_params(self.seed + m), data, self.n_estimators)
                    for m in range(self.ensemble_size)
                ]
            )

    def _predict_features(self, features: np.ndarray) -> Prediction:
        """Mean and std over boosters (n, t); samples are the boosters' predictions."""
        members = np.stack(
            [np.stack([b.predict(features) for b in task]) for task in self.boosters_], axis=-1
        )
        return combine_members(members)

    def _save_tasks(self, directory: Path) -> dict[str, Any]:
        for task, boosters in enumerate(self.boosters_):
            for member, booster in enumerate(boosters):
                (directory / f"booster_{task}_{member}.txt").write_text(booster.model_to_string())
        return {}

    def _load_tasks(self, directory: Path, state: dict[str, Any]) -> None:
        import lightgbm

        def read(path: Path) -> lightgbm.Booster:
            try:
                return lightgbm.Booster(model_str=path.read_text())
            except (OSError, lightgbm.basic.LightGBMError) as error:
                raise ModelFileError(f"cannot read booster {path}: {error}") from None

        self.boosters_ = [
            [read(directory / f"booster_{task}_{m}.txt") for m in range(self.ensemble_size)]
            for task in range(self.n_tasks_)
        ]
