"""The objective: components, constraints, cache, invalid input and failing components."""

from __future__ import annotations

import numpy as np
import pytest
from rdkit import Chem

from athanor.core.errors import ConfigError
from athanor.objectives import Component, Objective, register_component


@register_component("test_fails_on_nitrogen")
class FailsOnNitrogen(Component):
    """Raises for molecules with nitrogen; counts its calls."""

    calls = 0
    unit_interval = True

    def value(self, mol: Chem.Mol) -> float:
        type(self).calls += 1
        if any(atom.GetSymbol() == "N" for atom in mol.GetAtoms()):
            raise RuntimeError("no nitrogen please")
        return 1.0


def test_components_desirability_and_geometric_mean():
    objective = Objective.from_config({
        "components": [
            {"kind": "heavy_atoms", "desirability": {"kind": "window", "lower": 2, "upper": 6}},
            {"kind": "similarity", "params": {"smiles": "CCO"}},
        ],
    })  # fmt: skip
    batch = objective(["CCO", "CCCCCCCCCC"])
    np.testing.assert_allclose(batch.scores, [1.0, 0.0])
    assert batch.values["heavy_atoms"].tolist() == [3.0, 10.0]
    assert batch.status == ["ok", "ok"]


def test_constraint_zeroes_score_and_says_why():
    objective = Objective.from_config(
        {"components": [{"kind": "qed"}], "constraints": [{"kind": "mw", "max": 100}]}
    )
    batch = objective(["CCO", "c1ccccc1C(=O)Nc1ccccc1"])
    assert batch.scores[0] > 0.3 and batch.scores[1] == 0.0
    assert batch.status == ["ok", "rejected"] and "mw <= 100" in batch.reasons[1]


def test_alerts_substructure_and_isomer():
    objective = Objective.from_config({
        "components": [
            {"kind": "alerts", "params": {"catalogs": ["PAINS", "BRENK"]},
             "desirability": {"kind": "step", "threshold": 0, "above": False}},
            {"kind": "substructure", "params": {"smarts": "c1ccccc1", "forbidden": True}},
            {"kind": "isomer", "params": {"formula": "C2H6O"}},
        ],
        "aggregate": "arithmetic",
    })  # fmt: skip
    batch = objective(["CCO", "O=C1C=CC(=O)C=C1"])
    assert batch.values["isomer"][0] == pytest.approx(1.0)  # ethanol is C2H6O
    assert batch.values["alerts"][1] >= 1  # quinone: a Brenk alert
    assert batch.values["substructure"].tolist() == [1.0, 1.0]


def test_a_constraint_on_a_components_value_computes_it_once():
    objective = Objective.from_config({
        "components": [{"kind": "test_fails_on_nitrogen"}],
        "constraints": [{"kind": "test_fails_on_nitrogen", "min": 0.5},
                        {"kind": "test_fails_on_nitrogen", "max": 2}],
    })  # fmt: skip
    FailsOnNitrogen.calls = 0
    batch = objective(["CCO", "CCC"])
    assert FailsOnNitrogen.calls == 2 and batch.status == ["ok", "ok"]


def test_a_constraint_labelled_like_a_component_must_bound_the_same_value():
    table = {
        "components": [{"kind": "similarity", "params": {"smiles": "CCO"}}],
        "constraints": [{"kind": "similarity", "params": {"smiles": "c1ccccc1"}, "max": 0.5}],
    }
    with pytest.raises(ConfigError, match="constraint 'similarity' bounds another value"):
        Objective.from_config(table)
    table["constraints"][0]["name"] = "benzene_similarity"
    batch = Objective.from_config(table)(["CCO"])
    assert batch.values["similarity"][0] == 1.0
    assert batch.values["benzene_similarity"][0] < 0.5


def test_cache_counts_unique_calls_and_invalid_inputs():
    objective = Objective.from_config({"components": [{"kind": "test_fails_on_nitrogen"}]})
    FailsOnNitrogen.calls = 0
    objective(["CCO", "OCC", "CCO", "C1CC", ""])
    objective(["CCO", "c1ccccc1"])
    assert FailsOnNitrogen.calls == 2 and objective.cache.n_calls == 2
    assert objective.cache.n_invalid == 2


def test_invalid_smiles_score_zero_with_reason():
    objective = Objective.from_config({"components": [{"kind": "qed"}]})
    batch = objective(["C1CC", "CCO"])
    assert batch.scores[0] == 0.0 and batch.status[0] == "invalid"
    assert "unparsable" in batch.reasons[0] and not batch.valid[0] and batch.valid[1]


def test_raising_component_gives_recorded_zero_with_reason():
    objective = Objective.from_config(
        {"components": [{"kind": "qed"}, {"kind": "test_fails_on_nitrogen"}]}
    )
    batch = objective(["CCN", "CCO"])
    assert batch.scores[0] == 0.0 and batch.status[0] == "failed"
    assert "no nitrogen please" in batch.reasons[0]
    assert batch.scores[1] > 0 and objective.cache["CCN"].status == "failed"


def test_pareto_mode_returns_one_column_per_component():
    objective = Objective.from_config(
        {
            "components": [{"kind": "qed"}, {"kind": "similarity", "params": {"smiles": "CCO"}}],
            "mode": "pareto",
        }
    )
    batch = objective(["CCO", "c1ccccc1O", "xx"])
    assert batch.scores.shape == (3, 2) and batch.scores[0, 1] == 1.0
    assert objective.n_objectives == 2 and (batch.scores[2] == 0).all()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"components": [{"kind": "qde"}]}, "unknown objective component 'qde' .*valid: .*qed"),
        ({"components": [{"kind": "qed", "wieght": 2}]}, "allowed: desirability, kind, name"),
        (
            {"components": [{"kind": "similarity", "params": {"smile": "C"}}]},
            "allowed: fingerprint, reduce, smiles",
        ),
        ({"components": [{"kind": "qed"}], "agregate": "min"}, "allowed: aggregate, components"),
        ({"components": [{"kind": "qed"}], "constraints": [{"kind": "sa"}]}, "'min' and/or"),
        ({"components": [{"kind": "logp"}]}, r"\('logp'\): its raw values are not in \[0, 1\]"),
        (
            {"components": [{"kind": "surrogate", "params": {"model": "/no/such/model"}}]},
            "cannot load the surrogate: no saved model in /no/such/model",
        ),
        (
            {"components": [{"kind": "oracle", "params": {"oracle": "rdkit", "property": "gap"}}]},
            "oracle 'rdkit' has no property 'gap' \\(it has: qed",
        ),
    ],
)
def test_config_errors_name_allowed_keys(table, message):
    with pytest.raises(ConfigError, match=message):
        Objective.from_config(table)
