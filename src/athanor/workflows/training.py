"""Train one surrogate on a split data set: fit on train (epochs chosen on validation),
calibrate uncertainty on held-out calibration rows, score the test part, and save the model
with everything needed to trust and reuse it.

>>> result = train_model(load_train_config("train.toml"), "models/esol-dmpnn")
>>> result.metrics          # one row per task and σ (raw, z-scaled)
>>> TrainedModel.load("models/esol-dmpnn").predict(["CCO"])

The output folder holds the model (``config.json``, weights, ``training.json``), the test
predictions, the metrics, ``run.json`` (resolved config, seed, versions, split sizes) and
``report.html``. The same config and seed give the same numbers.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import Field

from athanor.core.config import load_toml
from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction
from athanor.core.provenance import environment
from athanor.datasets.labelled import DataConfig, Part, SplitData, load_split_data
from athanor.evaluation import ConformalRegressor, ZScaling, evaluate_predictions
from athanor.evaluation.uncertainty import interval_coverage
from athanor.tuning.config import SurrogateSpec, TrainingConfig
from athanor.tuning.objective import build_model, fit_model
from athanor.workflows.trained_model import CalibratedPrediction, TrainedModel
from athanor.workflows.training_report import write_training_report

logger = logging.getLogger(__name__)


class TrainConfig(TrainingConfig):
    """What `athanor train` reads: the ``best.toml`` that `athanor tune` writes, plus a seed
    and the coverage of the conformal intervals.

    Attributes:
        seed: seed of the model (the split has its own, ``split.seed``).
        coverage: nominal coverage of the conformal prediction intervals.
    """

    seed: int = 0
    coverage: float = Field(default=0.9, gt=0, lt=1)


@dataclass(frozen=True)
class TrainResult:
    """Outcome of `train_model`.

    Attributes:
        model: the trained, calibrated model (also saved in `output`).
        metrics: test metrics, one row per (task, sigma) with sigma ``raw`` or ``z-scaled``.
        fit_seconds: wall-clock seconds of the fit.
        output: the folder written.
    """

    model: TrainedModel
    metrics: pd.DataFrame
    fit_seconds: float
    output: Path


def load_train_config(path: str | Path) -> TrainConfig:
    """Read a training TOML file; a relative data file is taken from the file's folder."""
    config = load_toml(path, TrainConfig)
    return config.model_copy(update={"data": config.data.relative_to(Path(path).parent)})


def _calibration_rows(data: SplitData, coverage: float) -> Part | None:
    """The rows that calibrate `coverage` intervals, checked before any fitting; None (and a
    warning) when the whole validation part is too small to calibrate them.

    Raises:
        InputDataError: the split left a part empty.
    """
    needed = int(np.ceil(coverage / (1 - coverage) - 1e-9))  # 9 rows for 90 % intervals
    sizes = data.sizes()
    empty = [part for part in ("train", "val", "test") if sizes[part] == 0]
    if empty:
        raise InputDataError(
            f"the split left {', '.join(empty)} empty ({sizes}): too few rows, or too few "
            "distinct scaffolds or groups for this split; use more data or another --split"
        )
    held_out = len(data.held_out().y)
    if held_out < needed:
        logger.warning(
            "the validation part has %d rows; %d are needed to calibrate %.0f%% intervals: "
            "the model is saved without calibration or intervals (use more data, or a larger "
            "validation share: [split] sizes in a config file)",
            held_out,
            needed,
            100 * coverage,
        )
        return None
    return data.calibration_part(needed)


def _test_metrics(
    part: Part, raw: Prediction, calibrated: CalibratedPrediction, names: list[str]
) -> pd.DataFrame:
    rows = []
    for sigma, prediction in (("raw", raw), ("z-scaled", calibrated.prediction)):
        table = evaluate_predictions(part.y, prediction, names).assign(sigma=sigma)
        rows.append(table.reset_index().set_index(["task", "sigma"]))
    metrics = pd.concat(rows)
    if calibrated.lower is None:
        metrics["conformal_coverage"] = np.nan
    else:
        conformal = interval_coverage(part.y, calibrated.lower, calibrated.upper)
        metrics["conformal_coverage"] = np.tile(conformal, 2)
    return metrics


def predictions_frame(
    part: Part, columns: list[str], calibrated: CalibratedPrediction, names: list[str]
) -> pd.DataFrame:
    """Inputs, measured values and predictions (mean, σ, interval) of each row."""
    frame = pd.DataFrame(part.smiles, columns=columns)
    prediction = calibrated.prediction
    for t, name in enumerate(names):
        frame[name] = part.y[:, t]
        frame[f"{name}_pred"] = prediction.mean[:, t]
        frame[f"{name}_std"] = prediction.std[:, t]
        if calibrated.lower is not None:
            frame[f"{name}_lower"] = calibrated.lower[:, t]
            frame[f"{name}_upper"] = calibrated.upper[:, t]
    return frame


def fit_calibrated(
    spec: SurrogateSpec, data: SplitData, columns: DataConfig, seed: int, coverage: float
) -> tuple[TrainedModel, float]:
    """Fit on train (validation for early stopping), then calibrate σ and conformal intervals
    on the calibration rows (not for a model whose σ is 0: it has no uncertainty, nor when
    the validation part is too small to calibrate them).

    Returns:
        The trained model and the wall-clock seconds of the fit.
    """
    calibrating = _calibration_rows(data, coverage)
    surrogate = build_model(spec.model, spec.params, seed)
    seconds = fit_model(surrogate, data)
    smiles, targets = columns.columns()
    trained = TrainedModel(surrogate, smiles, targets, columns.conditions)
    if calibrating is None:
        return trained, seconds
    validation = surrogate.predict(calibrating.smiles, conditions=calibrating.conditions)
    if not np.all(validation.std > 0):
        logger.warning(
            "%s reports no uncertainty (σ = 0): no calibration or intervals; choose an "
            "uncertainty method (e.g. uncertainty = 'ensemble')",
            spec.model,
        )
        return trained, seconds
    zscaling = ZScaling().fit(validation, calibrating.y)
    conformal = ConformalRegressor(coverage).fit(validation, calibrating.y)
    return replace(trained, zscaling=zscaling, conformal=conformal), seconds


def score_on_part(
    trained: TrainedModel, part: Part
) -> tuple[Prediction, CalibratedPrediction, pd.DataFrame]:
    """Raw and calibrated predictions of a part, and their metrics (see `TrainResult`)."""
    raw = trained.surrogate.predict(part.smiles, conditions=part.conditions)
    calibrated = trained.calibrate(raw)
    metrics = _test_metrics(part, raw, calibrated, trained.task_names(raw.n_tasks))
    return raw, calibrated, metrics


def _write_run(config: TrainConfig, data: SplitData, seconds: float, output: Path) -> None:
    run = {
        "config": config.model_dump(mode="json"),
        "seed": config.seed,
        "split_sizes": data.sizes(),
        "fit_seconds": seconds,
        "environment": environment(),
    }
    (output / "run.json").write_text(json.dumps(run, indent=2, default=str))


def train_model(config: TrainConfig, output: str | Path) -> TrainResult:
    """Fit, calibrate, test, save and report one model.

    Args:
        config: data, split, model and seed.
        output: folder for the model and its results (created; files in it are replaced).

    Raises:
        InputDataError: missing columns, an empty split part, no usable row in the data.
        ConfigError: an unknown model or parameter.
    """
    output = Path(output)
    data = load_split_data(config.data, config.split)
    trained, seconds = fit_calibrated(
        config.surrogate, data, config.data, config.seed, config.coverage
    )
    trained.save(output)
    raw, calibrated, metrics = score_on_part(trained, data.test)
    metrics.to_csv(output / "test_metrics.csv")
    names = trained.task_names(raw.n_tasks)
    frame = predictions_frame(data.test, trained.smiles_columns, calibrated, names)
    frame.to_csv(output / "test_predictions.csv", index=False)
    _write_run(config, data, seconds, output)
    config_text = json.dumps(config.model_dump(mode="json"), indent=2)
    path = output / "report.html"
    write_training_report(trained, data, raw, calibrated, metrics, path, config_text)
    logger.info("trained %s in %.1f s; written to %s", config.surrogate.model, seconds, output)
    return TrainResult(trained, metrics, seconds, output)
