"""Common ground of the fingerprint models (random forest, gradient boosting, Gaussian
process): featurise each input component, append conditions, fit one model per task on the
rows where that task is labelled."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import numpy as np

from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction
from athanor.models.base import (
    Molecules,
    Surrogate,
    ValidationData,
    as_components,
    as_conditions,
    as_targets,
)
from athanor.models.featurizers.fingerprints import make_featurizer


class FeatureSurrogate(Surrogate):
    """A surrogate on fixed-length features; subclasses implement the per-task learner.

    Subclasses' constructors set ``features``, ``radius`` and ``n_bits`` (see
    `athanor.models.featurizers.make_featurizer`) and ``seed``, and implement `_fit_tasks`,
    `_predict_features`, `_save_tasks` and `_load_tasks`.
    """

    features: str
    radius: int
    n_bits: int

    def _matrix(self, components: list[list[str]], conditions: np.ndarray | None) -> np.ndarray:
        """Features of all components side by side, then conditions: (n, n_features)."""
        if len(components) != self.n_components_:
            raise InputDataError(
                f"the model takes {self.n_components_} molecule(s) per row, got {len(components)}"
            )
        if (conditions is None) != (self.n_conditions_ == 0):
            raise InputDataError("give conditions at prediction exactly when fitted with them")
        blocks = [
            featurizer.transform(c)
            for featurizer, c in zip(self.featurizers_, components, strict=True)
        ]
        if conditions is not None:
            blocks.append(conditions.astype(np.float32))
        return np.hstack(blocks)

    def fit(
        self,
        smiles: Molecules,
        y: np.ndarray,
        *,
        conditions: np.ndarray | None = None,
        val: ValidationData | None = None,
    ) -> Self:
        """Fit one learner per task on its labelled rows (``val`` is not used by these
        models). Shapes as in `Surrogate.fit`."""
        components = as_components(smiles)
        targets = as_targets(y, len(components[0]))
        conditions = as_conditions(conditions, len(targets))
        self.n_components_ = len(components)
        self.n_conditions_ = 0 if conditions is None else conditions.shape[1]
        self.featurizers_ = [
            make_featurizer(self.features, self.radius, self.n_bits).fit(c) for c in components
        ]
        features = self._matrix(components, conditions)
        self._fit_tasks(features, targets)
        self.n_tasks_ = targets.shape[1]
        return self

    def predict(self, smiles: Molecules, *, conditions: np.ndarray | None = None) -> Prediction:
        """Predictive mean and std, shape (n, n_tasks) (see the subclass for samples)."""
        self._check_fitted()
        components = as_components(smiles)
        features = self._matrix(components, as_conditions(conditions, len(components[0])))
        return self._predict_features(features)

    def _fit_tasks(self, features: np.ndarray, targets: np.ndarray) -> None:
        """Fit on features (n, d) and targets (n, t) with NaN where missing."""
        raise NotImplementedError

    def _predict_features(self, features: np.ndarray) -> Prediction:
        raise NotImplementedError

    def _save_tasks(self, directory: Path) -> dict[str, Any]:
        raise NotImplementedError

    def _load_tasks(self, directory: Path, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def _state(self, directory: Path) -> dict[str, Any]:
        return {
            "n_components": self.n_components_,
            "n_conditions": self.n_conditions_,
            "n_tasks": self.n_tasks_,
            "featurizers": [featurizer.to_json() for featurizer in self.featurizers_],
            "tasks": self._save_tasks(directory),
        }

    def _restore(self, directory: Path, state: dict[str, Any]) -> None:
        self.n_components_ = state["n_components"]
        self.n_conditions_ = state["n_conditions"]
        self.n_tasks_ = state["n_tasks"]
        self.featurizers_ = [
            make_featurizer(self.features, self.radius, self.n_bits, featurizer_state)
            for featurizer_state in state["featurizers"]
        ]
        self._load_tasks(directory, state["tasks"])


def labelled(targets: np.ndarray, task: int) -> np.ndarray:
    """Row indices where ``task`` has a label, shape (n_labelled,)."""
    return np.flatnonzero(~np.isnan(targets[:, task]))
