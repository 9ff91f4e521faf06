"""Re-tune a campaign's surrogate on the labels it has so far, within a time budget."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import optuna

from athanor.core.errors import InputDataError
from athanor.datasets.labelled import Part, SplitData
from athanor.splits import make_split
from athanor.tuning.objective import TrialObjective, enqueue_current, route_optuna_logs
from athanor.tuning.space import SearchSpace, resolve_space

logger = logging.getLogger(__name__)
MIN_VALIDATION = 2  # rows: fewer give no validation error worth choosing by


class SurrogateSettings(Protocol):
    """Anything with a model name and parameters (e.g. a campaign's ``[surrogate]`` table)."""

    model: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Retuned:
    """Outcome of `retune`.

    Attributes:
        params: the surrogate's parameters: searched ones tuned, the others as they were.
        n_trials: trials run.
        val_rmse: validation RMSE of the best trial (on a 20 % scaffold hold-out; NaN when
            no trial completed).
        seconds: wall-clock seconds the search took.
    """

    params: dict[str, Any]
    n_trials: int
    val_rmse: float
    seconds: float


def _holdout(smiles: np.ndarray, y: np.ndarray, seed: int) -> SplitData:
    """80 % train, 20 % validation by scaffold (no test part: campaigns test on the oracle);
    at random when the scaffolds leave fewer than `MIN_VALIDATION` rows to validate on (a
    congeneric series shares one scaffold).

    Raises:
        InputDataError: too few rows to hold out `MIN_VALIDATION` of them.
    """
    keys, sizes = [str(s) for s in smiles[:, 0]], (0.8, 0.2, 0.0)
    indices = make_split("scaffold", keys, sizes, seed)
    if len(indices.val) < MIN_VALIDATION:
        logger.info("retune: %d scaffold(s) only; validating on a random 20 %%", len(set(keys)))
        indices = make_split("random", keys, sizes, seed)
    if len(indices.val) < MIN_VALIDATION or len(indices.train) < MIN_VALIDATION:
        raise InputDataError(f"{len(keys)} labelled molecules are too few to re-tune on")
    train, val = (Part(smiles[rows], y[rows], None) for rows in (indices.train, indices.val))
    return SplitData(train=train, val=val, test=Part(smiles[:0], y[:0], None))


def retune(
    surrogate: SurrogateSettings,
    smiles: np.ndarray | list,
    y: np.ndarray,
    budget_s: float,
    *,
    space: SearchSpace | None = None,
    max_trials: int = 50,
    seed: int = 0,
) -> Retuned:
    """Parameters for the surrogate, searched for at most ``budget_s`` seconds.

    The current parameters (where the space can draw them) are the first trial, so the
    result is not worse than them on the validation part; parameters outside the space keep
    their current values. A trial that raises is recorded as failed and the search goes on;
    when none completes, the current parameters are kept (a campaign never stops here).

    Args:
        surrogate: current model name and parameters.
        smiles: n SMILES, or (n, n_components).
        y: (n, n_tasks) or (n,) labels, NaN where missing.
        budget_s: wall-clock budget in seconds.
        space: ranges to search; the model's default ranges when None.
        max_trials: stop earlier after this many trials.
        seed: seed of the split, the sampler and the models.

    Raises:
        ConfigError: a search space that does not fit the model.
        InputDataError: too few labelled molecules to hold out a validation part.
    """
    start = time.perf_counter()
    space = resolve_space(surrogate.model, space)
    molecules = np.asarray(smiles, dtype=object).reshape(len(y), -1)
    targets = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    fixed = {k: v for k, v in surrogate.params.items() if k not in space.ranges}
    searched = SearchSpace(ranges=space.ranges, fixed={**space.fixed, **fixed}, final=space.final)
    data = _holdout(molecules, targets, seed)
    route_optuna_logs()
    objective = TrialObjective(surrogate.model, searched, data, "rmse", False, seed)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    enqueue_current(study, space, surrogate.model, surrogate.params, seed)
    study.optimize(objective, n_trials=max_trials, timeout=budget_s, catch=(Exception,))
    if study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,)):
        params, val_rmse = searched.tuned(study.best_trial.params), study.best_value
    else:
        logger.warning("retune %s: no trial completed; parameters kept", surrogate.model)
        params, val_rmse = dict(surrogate.params), float("nan")
    result = Retuned(params, len(study.trials), val_rmse, time.perf_counter() - start)
    logger.info(
        "retune %s: %d trials in %.1f s, rmse %.4g",
        surrogate.model,
        result.n_trials,
        result.seconds,
        result.val_rmse,
    )
    return result
