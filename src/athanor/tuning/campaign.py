"""Re-tune a campaign's surrogate on the labels it has so far, within a time budget."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import optuna

from athanor.datasets.labelled import Part, SplitData
from athanor.splits import make_split
from athanor.tuning.objective import TrialObjective, build_model
from athanor.tuning.space import SearchSpace, resolve_space

logger = logging.getLogger(__name__)


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
        val_rmse: validation RMSE of the best trial (on a 20 % scaffold hold-out).
        seconds: wall-clock seconds the search took.
    """

    params: dict[str, Any]
    n_trials: int
    val_rmse: float
    seconds: float


def _holdout(smiles: np.ndarray, y: np.ndarray, seed: int) -> SplitData:
    """80 % train, 20 % validation by scaffold (no test part: campaigns test on the oracle)."""
    indices = make_split("scaffold", [str(s) for s in smiles[:, 0]], (0.8, 0.2, 0.0), seed)
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
    their current values.

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
    """
    start = time.perf_counter()
    space = resolve_space(surrogate.model, space)
    molecules = np.asarray(smiles, dtype=object).reshape(len(y), -1)
    targets = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    fixed = {k: v for k, v in surrogate.params.items() if k not in space.ranges}
    searched = SearchSpace(ranges=space.ranges, fixed={**space.fixed, **fixed}, final=space.final)
    data = _holdout(molecules, targets, seed)
    objective = TrialObjective(surrogate.model, searched, data, "rmse", False, seed)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    current = build_model(surrogate.model, surrogate.params, seed).get_params()
    study.enqueue_trial(space.draws_of(current))
    study.optimize(objective, n_trials=max_trials, timeout=budget_s)
    result = Retuned(
        params=searched.tuned(study.best_trial.params),
        n_trials=len(study.trials),
        val_rmse=study.best_value,
        seconds=time.perf_counter() - start,
    )
    logger.info(
        "retune %s: %d trials in %.1f s, rmse %.4g",
        surrogate.model,
        result.n_trials,
        result.seconds,
        result.val_rmse,
    )
    return result
