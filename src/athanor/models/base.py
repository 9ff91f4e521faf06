"""The surrogate contract: scikit-learn-style estimators that return a `Prediction`.

Inputs are SMILES. A single-molecule model takes a list of n SMILES; a multi-component model
(e.g. dye + solvent) takes n tuples, or an array of shape (n, n_components). Targets have
shape (n, n_tasks) (or (n,) for one task); NaN marks a missing label, masked per task.
Optional ``conditions`` of shape (n, n_conditions) are numeric inputs that are not molecules
(temperature, concentration).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction
from athanor.models.persistence import ModelFileError, read_config, write_config
from athanor.models.registry import surrogate_class

Molecules = Sequence[str] | Sequence[Sequence[str]] | np.ndarray
ValidationData = tuple[Molecules, np.ndarray] | tuple[Molecules, np.ndarray, np.ndarray]


def as_components(molecules: Molecules) -> list[list[str]]:
    """SMILES inputs as component columns: a list of n_components lists of n SMILES.

    Raises:
        InputDataError: empty input, ragged tuples or non-string entries.
    """
    array = np.asarray(molecules, dtype=object)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[0] == 0:
        raise InputDataError(f"expected n SMILES or n tuples of SMILES; got shape {array.shape}")
    columns = [list(array[:, j]) for j in range(array.shape[1])]
    if not all(isinstance(s, str) for column in columns for s in column):
        raise InputDataError("every molecule must be given as a SMILES string")
    return columns


def as_targets(y: np.ndarray | Sequence, n: int) -> np.ndarray:
    """Targets as float64 of shape (n, n_tasks), NaN where missing.

    Raises:
        InputDataError: wrong length, infinite values, or a task without any label.
    """
    targets = np.asarray(y, dtype=np.float64)
    targets = targets[:, None] if targets.ndim == 1 else targets
    if targets.ndim != 2 or targets.shape[0] != n:
        raise InputDataError(f"targets must have shape ({n}, n_tasks); got {targets.shape}")
    if np.isinf(targets).any():
        raise InputDataError("targets contain infinite values (use NaN for a missing label)")
    empty = np.flatnonzero(np.isnan(targets).all(axis=0))
    if empty.size:
        raise InputDataError(f"task(s) {empty.tolist()} have no label at all")
    return targets


def as_conditions(conditions: np.ndarray | None, n: int) -> np.ndarray | None:
    """Conditions as float64 of shape (n, n_conditions), or None; NaN is refused."""
    if conditions is None:
        return None
    values = np.asarray(conditions, dtype=np.float64)
    values = values[:, None] if values.ndim == 1 else values
    if values.ndim != 2 or values.shape[0] != n or not np.isfinite(values).all():
        raise InputDataError(f"conditions must be finite with shape ({n}, n_conditions)")
    return values


class Surrogate:
    """Base class of every surrogate model.

    Subclasses store their hyper-parameters in ``__init__`` (and nothing else), learn state in
    attributes ending in ``_``, and implement `fit`, `predict` and the two weight hooks
    `_state` / `_restore` used by `save` / `load`. A model trained over epochs may also take
    an ``on_epoch`` keyword in `fit` (see `athanor.models.training.EpochCallback`); callers
    check the signature before passing it.
    """

    name: ClassVar[str] = ""

    def get_params(self) -> dict[str, Any]:
        """The constructor parameters, by name (JSON-serialisable)."""
        names = inspect.signature(type(self).__init__).parameters
        return {p: getattr(self, p) for p in names if p != "self"}

    def set_params(self, **params: Any) -> Self:
        """Change hyper-parameters (the model must be fitted again)."""
        allowed = self.get_params()
        for key, value in params.items():
            if key not in allowed:
                raise InputDataError(f"unknown parameter {key!r} for {type(self).__name__}")
            setattr(self, key, value)
        return self

    def check_params(self) -> bool:
        """Check the hyper-parameter values without fitting, where the model can.

        Returns:
            True when they were checked; False when the model checks them only in `fit`
            (the default).

        Raises:
            ConfigError: a value the model does not take.
        """
        return False

    def fit(
        self,
        smiles: Molecules,
        y: np.ndarray,
        *,
        conditions: np.ndarray | None = None,
        val: ValidationData | None = None,
    ) -> Self:
        """Learn from molecules and their (possibly partly missing) targets.

        Args:
            smiles: n SMILES, or n tuples of SMILES for multi-component inputs.
            y: shape (n, n_tasks) or (n,), NaN where a label is missing.
            conditions: optional shape (n, n_conditions), numeric non-molecular inputs.
            val: optional validation data ``(smiles, y[, conditions])`` for model selection.

        Returns:
            self, fitted.
        """
        raise NotImplementedError

    def predict(self, smiles: Molecules, *, conditions: np.ndarray | None = None) -> Prediction:
        """Predictive mean and standard deviation (and samples where the model has them).

        Returns:
            A `Prediction` with mean and std of shape (n, n_tasks).
        """
        raise NotImplementedError

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_tasks_"):
            raise InputDataError(f"{type(self).__name__} is not fitted: call fit() first")

    def _state(self, directory: Path) -> dict[str, Any]:
        """Write the learned weights into ``directory``; return small JSON state."""
        raise NotImplementedError

    def _restore(self, directory: Path, state: dict[str, Any]) -> None:
        """Read back what `_state` wrote."""
        raise NotImplementedError

    def save(self, directory: str | Path) -> Path:
        """Save to ``directory``: ``config.json`` plus weight files (never a pickle)."""
        self._check_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        state = self._state(directory)
        write_config(directory, self.name, self.get_params(), state)
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> Surrogate:
        """Load a saved model; on `Surrogate` itself, the class is taken from the file.

        Raises:
            ModelFileError: missing, truncated or corrupt files, a newer schema, or a model
                of another class than the one asked for.
        """
        config = read_config(Path(directory))
        model_class = surrogate_class(config["model"]) if cls is Surrogate else cls
        if model_class.name != config["model"]:
            raise ModelFileError(
                f"{directory} holds a {config['model']!r} model, not {model_class.name!r}"
            )
        try:
            model = model_class(**config["params"])
            model._restore(Path(directory), config["state"])
        except (KeyError, TypeError, ValueError) as error:  # a damaged or hand-edited config
            raise ModelFileError(
                f"{directory}: the saved {config['model']!r} model does not match its config "
                f"({type(error).__name__}: {error})"
            ) from None
        return model
