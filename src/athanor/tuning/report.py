"""The HTML report of a study: optimisation history, parameter importances, Pareto front and
the test-set comparison of default and tuned models."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import optuna
import pandas as pd

from athanor.core.errors import require
from athanor.reports.html import HtmlReport
from athanor.tuning.config import TuneConfig
from athanor.tuning.results import best_trial, summarize_comparison, tuned_params

if TYPE_CHECKING:
    from matplotlib.figure import Figure

logger = logging.getLogger(__name__)


def _figure(size: tuple[float, float] = (5.5, 3.5)) -> Figure:
    require("matplotlib", "plots")
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained")


def _completed(study: optuna.Study) -> list[optuna.trial.FrozenTrial]:
    return study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))


def history_figure(study: optuna.Study, metric: str) -> Figure:
    """Validation error of every completed trial and the best so far, by trial number."""
    trials = _completed(study)
    numbers = np.array([t.number for t in trials])
    values = np.array([t.values[0] for t in trials])
    figure = _figure()
    ax = figure.add_subplot()
    ax.scatter(numbers, values, s=12, alpha=0.6, label="trial")
    ax.step(numbers, np.minimum.accumulate(values), where="post", color="C3", label="best")
    ax.set(xlabel="trial", ylabel=f"validation {metric}")
    ax.legend()
    return figure


def importances(study: optuna.Study) -> pd.Series:
    """fANOVA-style importance of each parameter for the first objective (empty when fewer
    than two completed trials vary a parameter)."""
    try:
        values = optuna.importance.get_param_importances(
            study,
            evaluator=optuna.importance.FanovaImportanceEvaluator(seed=0),
            target=lambda trial: trial.values[0],
        )
    except (RuntimeError, ValueError) as error:
        logger.info("no parameter importances: %s", error)
        return pd.Series(dtype=float)
    return pd.Series(values, dtype=float)


def importance_figure(values: pd.Series) -> Figure:
    """Horizontal bars of parameter importances."""
    figure = _figure((5.5, 0.4 * len(values) + 1.2))
    ax = figure.add_subplot()
    ordered = values.sort_values()
    ax.barh(ordered.index, ordered.to_numpy())
    ax.set(xlabel="importance")
    return figure


def pareto_figure(study: optuna.Study, metric: str) -> Figure:
    """Validation error against fit time of every trial, Pareto front highlighted."""
    trials = _completed(study)
    figure = _figure()
    ax = figure.add_subplot()
    ax.scatter([t.values[1] for t in trials], [t.values[0] for t in trials], s=12, alpha=0.5)
    front = sorted(study.best_trials, key=lambda t: t.values[1])
    ax.plot([t.values[1] for t in front], [t.values[0] for t in front], "o-", color="C3")
    ax.set(xlabel="fit time (s)", ylabel=f"validation {metric}", xscale="log")
    return figure


def write_report(
    config: TuneConfig, study: optuna.Study, comparison: pd.DataFrame | None, path: str | Path
) -> Path:
    """Write the study report as one self-contained HTML page."""
    trial = best_trial(study)
    report = HtmlReport(f"Tuning {config.model}: study {config.study}")
    report.paragraph(
        f"{len(study.trials)} trials; best trial {trial.number} with validation "
        f"{config.metric} {trial.values[0]:.4g} ({config.split.strategy} split, "
        f"seed {config.split.seed})."
    )
    report.heading("Tuned parameters")
    params = tuned_params(config, trial)
    report.table(
        pd.DataFrame({"parameter": list(params), "value": list(map(str, params.values()))})
    )
    if comparison is not None:
        report.heading("Test set: default against tuned")
        report.table(summarize_comparison(comparison), caption="mean and std over seeds")
    report.heading("Optimisation history")
    report.figure(history_figure(study, config.metric))
    if len(study.directions) > 1:
        report.figure(pareto_figure(study, config.metric), caption="error against cost")
    values = importances(study)
    if not values.empty:
        report.heading("Parameter importances")
        report.figure(importance_figure(values))
    report.heading("Configuration")
    report.preformatted(config.model_dump_json(indent=2))
    return report.write(path)
