"""A trained surrogate with what prediction files need: its input columns, target names and
the calibration fitted on its validation set.

The folder holds the surrogate's own files (``config.json`` + weights, see
`athanor.models.Surrogate.save`) and ``training.json``. A folder written by
`Surrogate.save` alone loads too, with default column names and no calibration.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from athanor.core.prediction import Prediction
from athanor.evaluation.calibration import ConformalRegressor, ZScaling
from athanor.models.base import Surrogate
from athanor.models.persistence import ModelFileError

TRAINING_FILE = "training.json"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CalibratedPrediction:
    """Predictions of n molecules and t tasks with calibrated uncertainty.

    Attributes:
        prediction: means and σ (σ z-scaled when the model has a calibration), shape (n, t).
        lower, upper: conformal interval bounds, shape (n, t), or None without calibration.
    """

    prediction: Prediction
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None


@dataclass(frozen=True)
class TrainedModel:
    """A fitted surrogate and the metadata to apply it to a file.

    Attributes:
        surrogate: the fitted model.
        smiles_columns: input molecule columns (several for dye + solvent models).
        targets: names of the t predicted tasks.
        conditions: numeric input columns that are not molecules.
        zscaling: σ recalibration fitted on the validation set, or None.
        conformal: conformal intervals fitted on the validation set, or None.
    """

    surrogate: Surrogate
    smiles_columns: list[str] = field(default_factory=lambda: ["smiles"])
    targets: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    zscaling: ZScaling | None = None
    conformal: ConformalRegressor | None = None

    def predict(
        self, smiles: np.ndarray | list, conditions: np.ndarray | None = None
    ) -> CalibratedPrediction:
        """Calibrated predictions for n molecules (or (n, n_components) SMILES)."""
        return self.calibrate(self.surrogate.predict(smiles, conditions=conditions))

    def calibrate(self, raw: Prediction) -> CalibratedPrediction:
        """The surrogate's raw prediction with z-scaled σ and conformal intervals (unchanged,
        without intervals, when the model has no calibration)."""
        if self.zscaling is None or self.conformal is None:
            return CalibratedPrediction(raw)
        lower, upper = self.conformal.predict_interval(raw)
        return CalibratedPrediction(self.zscaling.transform(raw), lower, upper)

    def task_names(self, n_tasks: int) -> list[str]:
        """The target names, or ``task_0``, ... when the model was saved without them."""
        return self.targets or [f"task_{t}" for t in range(n_tasks)]

    def save(self, directory: str | Path) -> Path:
        """Write the surrogate's files and ``training.json`` into ``directory``."""
        directory = self.surrogate.save(directory)
        metadata = {
            "smiles_columns": self.smiles_columns,
            "targets": self.targets,
            "conditions": self.conditions,
            "zscaling": None if self.zscaling is None else self.zscaling.to_json(),
            "conformal": None if self.conformal is None else self.conformal.to_json(),
        }
        (directory / TRAINING_FILE).write_text(json.dumps(metadata, indent=1))
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> TrainedModel:
        """Load a folder written by `save` (or by `Surrogate.save`).

        Raises:
            ModelFileError: missing, truncated or corrupt files, or a newer schema.
        """
        surrogate = Surrogate.load(directory)
        path = Path(directory) / TRAINING_FILE
        if not path.exists():
            logger.warning(
                "%s has no %s (a bare Surrogate.save folder?): predicting without calibration "
                "or intervals, on a 'smiles' column",
                directory,
                TRAINING_FILE,
            )
            return cls(surrogate)
        try:
            data = json.loads(path.read_text())
            return cls(
                surrogate,
                smiles_columns=list(data["smiles_columns"]),
                targets=list(data["targets"]),
                conditions=list(data["conditions"]),
                zscaling=data["zscaling"] and ZScaling.from_json(data["zscaling"]),
                conformal=data["conformal"] and ConformalRegressor.from_json(data["conformal"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ModelFileError(f"{path} is not a valid training file ({error})") from None
