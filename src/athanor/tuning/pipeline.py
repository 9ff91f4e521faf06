"""The whole of `athanor tune`: run or resume the study, write the tuned training config,
compare default and tuned models on the test set, and write the report."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import optuna
import pandas as pd

from athanor.core.errors import ConfigError
from athanor.core.provenance import environment
from athanor.tuning.config import TuneConfig
from athanor.tuning.report import write_report
from athanor.tuning.results import (
    best_trial,
    compare_on_test,
    tuned_params,
    write_training_config,
)
from athanor.tuning.study import load_study_data, run_study

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TuneResult:
    """Outcome of `tune`.

    Attributes:
        study: the Optuna study (reload it with `open_study`).
        best_params: the tuned model's parameters: the space's fixed ones, the best trial's
            draws, then the final ones (the model's defaults for the rest).
        best_value: validation error of the best trial.
        pareto: (error, fit seconds) of the Pareto-optimal trials (multi-objective only).
        comparison: test-set rows per model and seed, or None when skipped.
        output: folder of ``best.toml``, ``report.html``, ``comparison.csv``, ``run.json``.
    """

    study: optuna.Study
    best_params: dict[str, Any]
    best_value: float
    pareto: list[tuple[float, float]]
    comparison: pd.DataFrame | None
    output: Path


def output_dir(config: TuneConfig, project: str | Path) -> Path:
    """Where a study's results go: ``<project>/.athanor/tuning/<study>``."""
    return Path(project) / ".athanor" / "tuning" / config.study


def tune(config: TuneConfig, project: str | Path = ".", compare: bool = True) -> TuneResult:
    """Tune, then write the tuned config, the comparison on the test set and the report.

    Args:
        config: the study.
        project: project directory (storage and outputs live in its ``.athanor`` folder).
        compare: fit default and tuned models with every test seed and score the test set.

    Raises:
        ConfigError: before any trial, for a bad search space or split, a value the model
            does not take, a study file written by another configuration, or (with
            ``compare``) a split without a test part (see `run_study`).
    """
    data = load_study_data(config)
    if compare and len(data.test.y) == 0:
        raise ConfigError("the split has no test part to compare on: give [split] sizes "
                          "a test share, or skip the comparison (--no-compare)")  # fmt: skip
    study = run_study(config, project, data)
    output = output_dir(config, project)
    output.mkdir(parents=True, exist_ok=True)
    trial = best_trial(study)
    params = tuned_params(config, trial)
    write_training_config(config, study, output / "best.toml")
    comparison = None
    if compare:
        comparison = compare_on_test(config, params, data, cache=output / "test_fits")
        comparison.to_csv(output / "comparison.csv", index=False)
    write_report(config, study, comparison, output / "report.html")
    pareto = [tuple(t.values) for t in study.best_trials] if len(study.directions) > 1 else []
    run = {"config": config.model_dump(mode="json"), "environment": environment()}
    (output / "run.json").write_text(json.dumps(run, indent=2, default=str))
    logger.info("study %r: best %s %.4g", config.study, config.metric, trial.values[0])
    return TuneResult(study, params, trial.values[0], pareto, comparison, output)
