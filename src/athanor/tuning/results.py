"""What a study yields: the best trial, a training config TOML, and the test-set comparison
of the tuned model against the model's defaults."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import Any

import optuna
import pandas as pd

from athanor.core.errors import InputDataError
from athanor.core.toml_writer import dumps_toml
from athanor.datasets.labelled import SplitData
from athanor.tuning.config import SurrogateSpec, TrainingConfig, TuneConfig
from athanor.tuning.objective import build_model, error_on, fit_model

logger = logging.getLogger(__name__)


def best_trial(study: optuna.Study) -> optuna.trial.FrozenTrial:
    """The trial of lowest validation error (on a Pareto front: its most accurate member).

    Raises:
        InputDataError: the study has no completed trial.
    """
    if not study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,)):
        raise InputDataError(f"study {study.study_name!r} has no completed trial yet")
    if len(study.directions) == 1:
        return study.best_trial
    return min(study.best_trials, key=lambda trial: trial.values[0])


def tuned_params(config: TuneConfig, trial: optuna.trial.FrozenTrial) -> dict[str, Any]:
    """The fixed parameters of the space, the trial's draws, then the space's final ones."""
    return config.search_space().tuned(trial.params)


def training_config(config: TuneConfig, study: optuna.Study) -> TrainingConfig:
    """The best trial as a training config."""
    trial = best_trial(study)
    return TrainingConfig(
        surrogate=SurrogateSpec(model=config.model, params=tuned_params(config, trial)),
        data=config.data,
        split=config.split,
        tuning={
            "study": config.study,
            "trial": trial.number,
            f"val_{config.metric}": trial.values[0],
            "n_trials": len(study.trials),
            "fingerprint": config.fingerprint(),
        },
    )


def write_training_config(config: TuneConfig, study: optuna.Study, path: str | Path) -> Path:
    """Write the best configuration as TOML (reload with `load_toml(path, TrainingConfig)`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = dumps_toml(training_config(config, study).model_dump(mode="json"))
    path.write_text(f"# written by `athanor tune` from study {config.study!r}\n{text}")
    return path


def _fit_key(config: TuneConfig, params: dict, data: SplitData, seed: int) -> str:
    """Hash of what a test fit depends on: model, data and split (the config and the rows
    themselves, so that an edited data file is fitted again), parameters and seed."""
    defining = config.defining(include={"model", "data", "split"})
    defining |= {"rows": data.digest(), "params": params, "seed": seed}
    text = json.dumps(defining, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _test_row(config: TuneConfig, params: dict, data: SplitData, seed: int) -> dict:
    unseeded = {name: value for name, value in params.items() if name != "seed"}
    surrogate = build_model(config.model, unseeded, seed)
    seconds = fit_model(surrogate, data)
    return {
        "seed": seed,
        "test_rmse": error_on(surrogate, data.test, "rmse"),
        "test_mae": error_on(surrogate, data.test, "mae"),
        "fit_seconds": seconds,
    }


def _cached_test_row(
    config: TuneConfig, params: dict, data: SplitData, seed: int, cache: Path | None
) -> dict:
    """`_test_row`, read from ``cache/<key>.json`` when that fit was already made there."""
    if cache is None:
        return _test_row(config, params, data, seed)
    path = cache / f"{_fit_key(config, params, data, seed)}.json"
    if path.is_file():
        return json.loads(path.read_text())["row"]
    row = _test_row(config, params, data, seed)
    cache.mkdir(parents=True, exist_ok=True)
    record = {"model": config.model, "params": params, "row": row}
    partial = path.with_suffix(".partial")  # a kill while writing leaves no half file
    partial.write_text(json.dumps(record, indent=2, default=str))
    partial.replace(path)
    return row


def compare_on_test(
    config: TuneConfig, params: dict[str, Any], data: SplitData, cache: Path | None = None
) -> pd.DataFrame:
    """Default and tuned models, each fitted on train (validation for early stopping) with
    every seed of ``config.test_seeds`` and scored on the test part, never seen in tuning.
    Both take the space's fixed and final parameters (the latter: the training budget of
    the comparison), so the default differs from the tuned model only in what the search
    chose (`SearchSpace.default`).

    Args:
        config: the study.
        params: the tuned model's parameters.
        data: the split.
        cache: a folder keeping each finished fit's scores, so that a comparison killed
            halfway resumes at the next fit (None: nothing kept).

    Returns:
        One row per (model, seed): model ("default" or "tuned"), seed, test_rmse, test_mae,
        fit_seconds.
    """
    rows = []
    default = config.search_space().default()
    for seed in config.test_seeds:
        for label, chosen in (("default", default), ("tuned", params)):
            rows.append({"model": label, **_cached_test_row(config, chosen, data, seed, cache)})
            logger.info("test %s seed %d: rmse %.4g", label, seed, rows[-1]["test_rmse"])
    return pd.DataFrame(rows)


def summarize_comparison(comparison: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of each column, per model."""
    summary = comparison.drop(columns="seed").groupby("model").agg(["mean", "std"])
    summary.columns = [f"{column}_{stat}" for column, stat in summary.columns]
    return summary.reset_index()
