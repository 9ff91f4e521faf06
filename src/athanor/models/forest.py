"""Random forest on fingerprints, with the spread over trees as uncertainty.

Trees are grown by scikit-learn, then kept as flat node arrays (one set per task): prediction
walks all trees for all molecules at once in NumPy, and saving writes those arrays to an
``.npz`` file, so no pickle is ever needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from athanor.core.prediction import Prediction
from athanor.models.feature_model import FeatureSurrogate, labelled
from athanor.models.persistence import load_arrays, save_arrays
from athanor.models.registry import register

ARRAYS_FILE = "forest.npz"


@dataclass(frozen=True)
class TreeArrays:
    """All trees of one forest as flat arrays over their nodes (n_nodes in all).

    Attributes:
        left, right: (n_nodes,) int64 global child indices, -1 at leaves.
        feature: (n_nodes,) int64 split feature (any value at leaves).
        threshold: (n_nodes,) float64; a sample goes left when ``x[feature] <= threshold``.
        value: (n_nodes,) float64 mean target of the node.
        roots: (n_trees,) int64 index of each tree's root.
    """

    left: np.ndarray
    right: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    value: np.ndarray
    roots: np.ndarray

    @classmethod
    def from_sklearn(cls, estimators: list) -> TreeArrays:
        """Flatten fitted `DecisionTreeRegressor` s (single output)."""
        trees = [estimator.tree_ for estimator in estimators]
        sizes = np.array([tree.node_count for tree in trees])
        roots = np.concatenate(([0], np.cumsum(sizes)[:-1]))

        def children(tree, offset: int, side: np.ndarray) -> np.ndarray:
            return np.where(side >= 0, side + offset, -1)

        return cls(
            left=np.concatenate(
                [children(t, o, t.children_left) for t, o in zip(trees, roots, strict=True)]
            ),
            right=np.concatenate(
                [children(t, o, t.children_right) for t, o in zip(trees, roots, strict=True)]
            ),
            feature=np.concatenate([t.feature for t in trees]).astype(np.int64),
            threshold=np.concatenate([t.threshold for t in trees]),
            value=np.concatenate([t.value[:, 0, 0] for t in trees]),
            roots=roots.astype(np.int64),
        )

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Leaf values of every tree for every row of ``features`` (n, d): (n_trees, n)."""
        x = features.astype(np.float32)  # scikit-learn compares float32 inputs
        node = np.repeat(self.roots[:, None], len(x), axis=1)
        rows = np.arange(len(x))[None, :]
        while True:
            inner = self.left[node] >= 0
            if not inner.any():
                return self.value[node]
            go_left = x[rows, np.maximum(self.feature[node], 0)] <= self.threshold[node]
            step = np.where(go_left, self.left[node], self.right[node])
            node = np.where(inner, step, node)


@register("rf")
class RandomForestSurrogate(FeatureSurrogate):
    """Random forest regressor (one forest per task); std and samples from the trees.

    Args:
        n_estimators: trees per task.
        max_features: fraction of features tried at each split.
        min_samples_leaf: smallest leaf.
        max_depth: deepest split (None: grow until the leaves are pure or minimal; MolPAL's
            baseline uses 8).
        features: ``"morgan"``, ``"morgan_counts"``, ``"atompair"``, ``"atompair_counts"`` or
            ``"descriptors"``.
        radius, n_bits: Morgan fingerprint settings.
        seed: random state of the forest.
    """

    def __init__(
        self,
        *,
        n_estimators: int = 300,
        max_features: float = 0.3,
        min_samples_leaf: int = 1,
        max_depth: int | None = None,
        features: str = "morgan_counts",
        radius: int = 2,
        n_bits: int = 2048,
        seed: int = 0,
    ):
        self.n_estimators = n_estimators
        self.max_features = max_features
        self.min_samples_leaf = min_samples_leaf
        self.max_depth = max_depth
        self.features = features
        self.radius = radius
        self.n_bits = n_bits
        self.seed = seed

    def _fit_tasks(self, features: np.ndarray, targets: np.ndarray) -> None:
        from sklearn.ensemble import RandomForestRegressor

        self.forests_ = []
        for task in range(targets.shape[1]):
            rows = labelled(targets, task)
            forest = RandomForestRegressor(
                n_estimators=self.n_estimators,
                max_features=self.max_features,
                min_samples_leaf=self.min_samples_leaf,
                max_depth=self.max_depth,
                random_state=self.seed + task,
            ).fit(features[rows], targets[rows, task])
            self.forests_.append(TreeArrays.from_sklearn(forest.estimators_))

    def _predict_features(self, features: np.ndarray) -> Prediction:
        """Mean and std over trees, (n, t); samples are the trees' predictions (s, n, t)."""
        trees = np.stack([forest.predict(features) for forest in self.forests_], axis=-1)
        return Prediction(mean=trees.mean(axis=0), std=trees.std(axis=0), samples=trees)

    def _save_tasks(self, directory: Path) -> dict[str, Any]:
        arrays = {
            f"{task}_{name}": getattr(forest, name)
            for task, forest in enumerate(self.forests_)
            for name in TreeArrays.__dataclass_fields__
        }
        save_arrays(directory / ARRAYS_FILE, arrays)
        return {}

    def _load_tasks(self, directory: Path, state: dict[str, Any]) -> None:
        arrays = load_arrays(directory / ARRAYS_FILE)
        self.forests_ = [
            TreeArrays(
                **{name: arrays[f"{task}_{name}"] for name in TreeArrays.__dataclass_fields__}
            )
            for task in range(self.n_tasks_)
        ]
