"""A design campaign's scores in the store: the objective acts as an oracle there.

The objective is registered like an oracle, fingerprinted by its configuration, so that a
successful score of a (molecule, objective) is computed once, ever: scores are committed as
they are computed, and a campaign refills the objective's cache from the store instead of
scoring again. A failure is final only within the campaign that met it (each unique molecule
is scored once per campaign); another campaign computes that molecule again, as the failure
may have been the set-up's (a missing program, a licence), since fixed. Scores and raw
component values are the evaluation's values; a molecule that failed keeps its reason as the
message, and a rejected one (constraint) is ``ok`` with score 0 and the violated bound as the
message.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

from athanor.core.errors import StoreError
from athanor.core.records import Evaluation
from athanor.objectives.objective import Objective, ScoreBatch
from athanor.store import Store

OBJECTIVE_VERSION = "1"


def score_columns(objective: Objective) -> list[str]:
    """``["score"]``, or ``score_<label>`` per component in Pareto mode."""
    if objective.config.mode == "pareto":
        return [f"score_{label}" for label in objective.labels]
    return ["score"]


def _relabelled(objective: Objective) -> list[str] | None:
    """The component and constraint labels, when they differ from those of the first rule
    (name, else kind): an unnamed ``oracle`` component was labelled ``oracle`` before it was
    labelled by its property, and scores stored under the old labels must not be read with
    the new ones. None when the labels are as they always were."""
    config = objective.config
    specs = [*config.component_specs(), *config.constraint_specs()]
    labels = [spec.label for spec in specs]
    return labels if labels != [spec.name or spec.kind for spec in specs] else None


def register_objective(store: Store, objective: Objective) -> str:
    """Register the objective as an oracle of the store; return its fingerprint (that of
    its configuration, and of its labels where they changed, see `_relabelled`)."""
    parameters = objective.config.model_dump(mode="json")
    identity = {"name": "objective", "version": OBJECTIVE_VERSION, "parameters": parameters}
    if (labels := _relabelled(objective)) is not None:
        identity["labels"] = labels
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    fingerprint = hashlib.sha256(text.encode()).hexdigest()[:16]
    properties = dict.fromkeys(score_columns(objective) + objective.value_labels, "")
    store.register_oracle(fingerprint, "objective", OBJECTIVE_VERSION, parameters, properties)
    return fingerprint


def record_scores(
    store: Store, fingerprint: str, run_id: int, ids: list[int], batch: ScoreBatch, columns
) -> None:
    """Commit one evaluation per scored molecule (`ids` aligned with the batch rows)."""
    scores = batch.scores.reshape(len(ids), -1)
    for i, molecule_id in enumerate(ids):
        values = {label: float(v[i]) for label, v in batch.values.items()}
        values |= {name: float(scores[i, j]) for j, name in enumerate(columns)}
        status = "failed" if batch.status[i] == "failed" else "ok"
        evaluation = Evaluation(status, values if status == "ok" else {}, batch.reasons[i])
        store.record_evaluation(molecule_id, fingerprint, evaluation, run_id=run_id)


def load_scores(store: Store, fingerprint: str, run_id: int) -> pd.DataFrame:
    """The objective's stored scores that count for the run `run_id`, one per molecule, in
    the order they were stored: molecule_id, smiles, status, message, values. What the run
    recorded itself wins (a resumed run sees what it saw), else a success of another run;
    other runs' failures are left out, to be computed again."""
    frame = store.evaluations_frame(fingerprint)
    if frame.empty:
        return frame
    own = frame["run_id"] == run_id
    frame = frame[own | (frame["status"] == "ok")]
    frame = frame.sort_values("run_id", key=lambda runs: runs != run_id, kind="stable")
    frame = frame.drop_duplicates("molecule_id").sort_values("id").reset_index(drop=True)
    rejected = (frame["status"] == "ok") & (frame["message"].fillna("") != "")
    frame.loc[rejected, "status"] = "rejected"
    return frame


def prefill_cache(objective: Objective, scores: pd.DataFrame) -> None:
    """Put stored scores (`load_scores`) into the objective's cache: not computed again."""
    columns = score_columns(objective)
    for row in scores.to_dict("records"):
        values = {label: _number(row.get(label)) for label in objective.value_labels}
        score = np.array([_number(row.get(c), 0.0) for c in columns])
        score = score if objective.config.mode == "pareto" else float(score[0])
        objective.cache.add(row["smiles"], score, values, row["status"], row["message"] or "")


def _proposals_table(run_id: int) -> str:
    return f"design-{run_id}-proposals"


def save_proposals(store: Store, run_id: int, proposals: pd.DataFrame) -> None:
    """Write the per-round counts of proposals and invalid proposals (a small table)."""
    store.write_table(_proposals_table(run_id), proposals, kind="design", run_id=run_id)


def load_proposals(store: Store, run_id: int, empty: pd.DataFrame) -> pd.DataFrame:
    """The per-round proposal counts written so far, or `empty` for a new run."""
    try:
        return store.read_table(_proposals_table(run_id))
    except StoreError:
        return empty


def _number(value, default: float = float("nan")) -> float:
    return default if value is None or pd.isna(value) else float(value)
