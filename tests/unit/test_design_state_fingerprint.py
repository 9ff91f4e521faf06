"""The objective's store fingerprint: unchanged for configurations whose labels never
changed, new where an unnamed oracle component's label did (its old scores were stored under
``oracle`` and must not be read as its property's)."""

from __future__ import annotations

import hashlib
import json

from athanor.objectives import Objective
from athanor.store import Store
from athanor.workflows.design_state import OBJECTIVE_VERSION, register_objective

QED = {"kind": "qed"}
LOGP = {"kind": "oracle", "params": {"oracle": "rdkit", "property": "logp"}}
LOGP_SCORE = {**LOGP, "desirability": {"kind": "sigmoid", "center": 2, "scale": 1}}


def _old_fingerprint(objective: Objective) -> str:
    """The fingerprint as every earlier version computed it: the configuration alone."""
    parameters = objective.config.model_dump(mode="json")
    identity = {"name": "objective", "version": OBJECTIVE_VERSION, "parameters": parameters}
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def test_labels_as_before_keep_the_fingerprint(tmp_path):
    objective = Objective.from_config({"components": [QED, {**LOGP_SCORE, "name": "lipo"}]})
    with Store.open(tmp_path) as store:
        assert register_objective(store, objective) == _old_fingerprint(objective)


def test_an_unnamed_oracle_component_gets_a_new_fingerprint(tmp_path):
    objective = Objective.from_config({"components": [QED, LOGP_SCORE]})
    assert objective.labels == ["qed", "logp"]
    with Store.open(tmp_path) as store:
        assert register_objective(store, objective) != _old_fingerprint(objective)
