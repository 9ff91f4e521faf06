"""One trial: build the model from sampled parameters, fit on train, score on validation."""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
import optuna

from athanor.core.errors import AthanorError, ConfigError
from athanor.datasets.labelled import Part, SplitData
from athanor.evaluation import mae, rmse
from athanor.models import Surrogate
from athanor.models.registry import make_surrogate
from athanor.tuning.space import SearchSpace, model_parameters

if TYPE_CHECKING:  # the D-MPNN's training module loads torch
    from athanor.models.training import EpochCallback

logger = logging.getLogger(__name__)

METRICS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {"rmse": rmse, "mae": mae}
PROBE_ROWS = 16  # labelled training rows per task that `check_model_values` fits on


def route_optuna_logs() -> None:
    """Send Optuna's log records (a line per trial) through Python logging, like Athanor's
    own, instead of the stderr handler Optuna installs whatever the log level."""
    optuna.logging.disable_default_handler()
    optuna.logging.enable_propagation()


def build_model(model: str, params: dict[str, Any], seed: int) -> Surrogate:
    """An unfitted model; ``seed`` is used when the model takes one and params do not set it."""
    if "seed" in model_parameters(model):
        params = {"seed": seed, **params}
    return make_surrogate(model, params)


def enqueue_current(
    study: optuna.Study, space: SearchSpace, model: str, params: dict[str, Any], seed: int
) -> None:
    """Queue ``params`` (with the space's fixed ones; the model's defaults for the rest) as
    the next trial, so that the study's best is never worse than them on validation."""
    current = build_model(model, {**params, **space.fixed}, seed).get_params()
    study.enqueue_trial(space.draws_of(current))


def fit_model(model: Surrogate, data: SplitData, on_epoch: EpochCallback | None = None) -> float:
    """Fit on the train part, with the validation part for early stopping or model selection;
    ``on_epoch(epoch, val_loss)`` is passed to models whose ``fit`` accepts it.

    Returns:
        Wall-clock seconds spent fitting.
    """
    extra = {}
    if on_epoch is not None and "on_epoch" in inspect.signature(model.fit).parameters:
        extra["on_epoch"] = on_epoch
    start = time.perf_counter()
    model.fit(
        data.train.smiles,
        data.train.y,
        conditions=data.train.conditions,
        val=data.val.as_validation(),
        **extra,
    )
    return time.perf_counter() - start


def _rows(part: Part, rows: np.ndarray) -> Part:
    """The given rows of a part."""
    conditions = None if part.conditions is None else part.conditions[rows]
    return Part(part.smiles[rows], part.y[rows], conditions)


def _probe_data(data: SplitData) -> SplitData:
    """``data`` with a few training and validation rows: the first `PROBE_ROWS` labelled
    training rows of every task, the first `PROBE_ROWS` validation rows."""
    y = data.train.y
    per_task = [np.flatnonzero(~np.isnan(y[:, task]))[:PROBE_ROWS] for task in range(y.shape[1])]
    train = _rows(data.train, np.unique(np.concatenate(per_task)))
    val = _rows(data.val, np.arange(min(PROBE_ROWS, len(data.val.y))))
    return replace(data, train=train, val=val)


def check_model_values(model: str, space: SearchSpace, data: SplitData, seed: int) -> None:
    """Refuse, before any trial, a value the model does not take: each fixed parameter (with
    the fixed ones before it), then both ends of every range and every choice (with the fixed
    ones). A model that checks its parameters without fitting (`Surrogate.check_params`, the
    D-MPNN) does so; the others check theirs when fitting, so they are fitted on a few
    training rows (`PROBE_ROWS` per task).

    Raises:
        ConfigError: naming the ``[space]`` table, the parameter, the value and what the
            model said.
    """
    fixed = list(space.fixed.items())
    probes = [("fixed", name, value, dict(fixed[: i + 1])) for i, (name, value) in enumerate(fixed)]
    probes += [
        ("ranges", name, value, {**space.fixed, name: value})
        for name, spec in space.ranges.items()
        for value in spec.ends()
    ]
    probe_data = _probe_data(data)
    logger.info("checking %d parameter value(s) of model %r", len(probes), model)
    for table, name, value, params in probes:
        surrogate = build_model(model, params, seed)
        try:
            if not surrogate.check_params():
                fit_model(surrogate, probe_data)
        except AthanorError:
            raise
        except Exception as error:  # the model's own check, whatever it raises
            said = next(iter(str(error).splitlines()), "")
            raise ConfigError(
                f"[space.{table}] {name}: model {model!r} does not take {name} = {value!r} "
                f"({type(error).__name__}: {said})"
            ) from error


def error_on(model: Surrogate, part: Part, metric: str) -> float:
    """The metric on a part, averaged over the tasks that have labels there (NaN labels
    masked; NaN when no task has any)."""
    prediction = model.predict(part.smiles, conditions=part.conditions)
    per_task = METRICS[metric](part.y, prediction.mean)
    return float(np.nanmean(per_task)) if np.isfinite(per_task).any() else float("nan")


def pruning_callback(trial: optuna.Trial) -> EpochCallback:
    """An ``on_epoch`` callback reporting validation losses to the trial's pruner.

    Raises (from the callback):
        optuna.TrialPruned: when the pruner stops the trial.
    """

    def report(epoch: int, val_loss: float) -> None:
        trial.report(val_loss, epoch)
        if trial.should_prune():
            raise optuna.TrialPruned(f"pruned at epoch {epoch} (validation loss {val_loss:.4g})")

    return report


class TrialObjective:
    """The function Optuna minimises: validation error, or (error, fit seconds). The model
    chooses its epoch on the validation part, as it will in training; the error is taken on
    every held-out row, the calibration share included (`SplitData.held_out`).

    With ``n_fits`` > 1 a trial fits that many models (seeds ``seed``, ``seed + 1``, ...)
    and scores their mean error, so that configurations are ranked by what they do rather
    than by one initialisation; the pruner follows the first fit's validation curve.

    Args:
        model: registered surrogate name.
        space: the checked search space.
        data: the study's split data.
        metric: ``"rmse"`` or ``"mae"``.
        with_cost: also return the fit time (multi-objective; no pruning then, as Optuna
            cannot prune multi-objective trials).
        seed: model seed when the space does not set one.
        n_fits: models fitted per trial (1 for a model without a seed parameter, or with
            the seed fixed by the space: their fits would be identical).
    """

    def __init__(
        self,
        model: str,
        space: SearchSpace,
        data: SplitData,
        metric: str,
        with_cost: bool,
        seed: int,
        n_fits: int = 1,
    ) -> None:
        self.model = model
        self.space = space
        self.data = data
        self.metric = metric
        self.with_cost = with_cost
        self.seed = seed
        chosen = space.fixed | (space.ranges or {})
        seeded = "seed" in model_parameters(model) and "seed" not in chosen
        self.n_fits = n_fits if seeded else 1
        if self.n_fits < n_fits:
            logger.warning("trial_seeds = %d ignored: the model's seed is not free", n_fits)

    def __call__(self, trial: optuna.Trial) -> float | tuple[float, float]:
        params = self.space.sample(trial)
        errors, seconds = [], 0.0
        for k in range(self.n_fits):
            model = build_model(self.model, params, self.seed + k)
            on_epoch = None if self.with_cost or k else pruning_callback(trial)
            seconds += fit_model(model, self.data, on_epoch)
            errors.append(error_on(model, self.data.held_out(), self.metric))
        error, seconds = float(np.mean(errors)), seconds / self.n_fits  # a fit's cost
        trial.set_user_attr("fit_seconds", seconds)
        if self.n_fits > 1:
            trial.set_user_attr("fit_errors", errors)
        logger.info("trial %d: %s %.4g in %.1f s", trial.number, self.metric, error, seconds)
        return (error, seconds) if self.with_cost else error
