"""Re-tuning a screening campaign's surrogate every few rounds (the ``[retune]`` table).

Each re-tuning is written to the store table ``screen-<run id>-retune`` (round, parameters as
JSON, trials, validation RMSE, seconds) before the round's batch is chosen: a resumed campaign
reads the parameters back instead of tuning again, and the report shows them.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pandas as pd

from athanor.core.errors import StoreError
from athanor.store import Store
from athanor.workflows.screening_config import ScreeningConfig
from athanor.workflows.screening_selection import round_seed

log = logging.getLogger(__name__)
MIN_LABELS = 10  # fewer labels make no useful training / validation split


def retune_table(run_id: int) -> str:
    """Name of the store table that records a campaign's re-tunings."""
    return f"screen-{run_id}-retune"


def tuning_history(store: Store, run_id: int) -> pd.DataFrame:
    """The campaign's re-tunings so far, one row per re-tuned round (empty when none)."""
    try:
        return store.read_table(retune_table(run_id))
    except StoreError:  # not re-tuned yet
        return pd.DataFrame(columns=["round", "params", "n_trials", "val_rmse", "seconds"])


def _due(history: pd.DataFrame, round_: int, every_rounds: int) -> bool:
    return history.empty or round_ - int(history["round"].max()) >= every_rounds


def _retune(
    store: Store, run_id: int, config: ScreeningConfig, round_: int, labels: pd.DataFrame
) -> pd.DataFrame:
    """Tune on the labels (utility units), append the outcome to the table, return it."""
    from athanor.tuning import retune

    settings = config.retune
    result = retune(
        config.surrogate,
        labels["smiles"].tolist(),
        labels["utility"].to_numpy(),
        settings.budget_s,
        max_trials=settings.max_trials,
        seed=round_seed(config, round_),
    )
    row = {
        "round": round_,
        "params": json.dumps(result.params, sort_keys=True),
        "n_trials": result.n_trials,
        "val_rmse": result.val_rmse,
        "seconds": result.seconds,
    }
    history = pd.DataFrame([*tuning_history(store, run_id).to_dict("records"), row])
    store.write_table(retune_table(run_id), history, kind="retune", run_id=run_id)
    log.info("round %d: surrogate re-tuned in %d trials: %s", round_, result.n_trials, row)
    return history


def surrogate_params(
    store: Store, run_id: int, config: ScreeningConfig, round_: int, labels: pd.DataFrame
) -> dict[str, Any]:
    """The surrogate's parameters for ``round_``: re-tuned first when due (and with at least
    `MIN_LABELS` labels), else the latest tuned ones, else the configured ones.

    Args:
        store: the campaign's store.
        run_id: the campaign's run.
        config: the campaign (its ``retune`` table may be None: no re-tuning).
        round_: the acquisition round (>= 1).
        labels: ``smiles`` and ``utility`` of the molecules measured so far.
    """
    history = tuning_history(store, run_id)
    settings = config.retune
    if (
        settings is not None
        and len(labels) >= MIN_LABELS
        and _due(history, round_, settings.every_rounds)
    ):
        history = _retune(store, run_id, config, round_, labels)
    if history.empty:
        return dict(config.surrogate.params)
    return json.loads(history["params"].iloc[-1])
