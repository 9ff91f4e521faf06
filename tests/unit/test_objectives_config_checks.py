"""Objective configs that cannot work are refused at start, naming the table and the field."""

from __future__ import annotations

import pytest

from athanor.core.errors import ConfigError
from athanor.objectives import ComponentSpec, ConstraintSpec, Objective
from athanor.objectives.objective import RESERVED_LABELS
from athanor.store.schema import evaluations

NAN, INF = float("nan"), float("inf")
QED = {"kind": "qed"}
ORACLE_LOGP = {
    "kind": "oracle",
    "params": {"oracle": "rdkit", "property": "logp"},
    "desirability": {"kind": "sigmoid", "center": 2, "scale": 1},
}


def _refused(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Objective.from_config(table)


@pytest.mark.parametrize("name", ["oracle", "smiles", "round", "score", "status", "score_qed"])
def test_a_component_labelled_like_a_result_column_is_refused(name):
    _refused(
        {"components": [QED, QED | {"name": name}]},
        rf"objective.components\[1\]: label '{name}' names a column .*reserved: attempt, call",
    )


def test_a_constraint_labelled_like_a_result_column_is_refused():
    constraint = {"kind": "sa", "name": "molecule_id", "max": 3}
    _refused(
        {"components": [QED], "constraints": [constraint]},
        r"objective.constraints\[0\]: label 'molecule_id' names a column",
    )


def test_reserved_labels_cover_the_columns_of_stored_evaluations_and_history():
    stored = set(evaluations.columns.keys()) - {"values"}  # values become their own columns
    assert stored | {"smiles", "oracle", "round", "call", "reason"} <= RESERVED_LABELS


def test_an_unnamed_oracle_component_or_constraint_is_labelled_by_its_property():
    assert ComponentSpec(**ORACLE_LOGP).label == "logp"
    assert ConstraintSpec(kind="oracle", params=ORACLE_LOGP["params"], max=5).label == "logp"
    assert ComponentSpec(**ORACLE_LOGP | {"name": "clogp"}).label == "clogp"
    assert Objective.from_config({"components": [ORACLE_LOGP, QED]}).labels == ["logp", "qed"]


@pytest.mark.parametrize(
    ("components", "message"),
    [
        ([QED | {"name": "a"}, QED | {"name": "a"}], r"components\[1\]: label 'a' is already"),
        ([QED, QED | {"name": "qed"}], r"components\[1\]: label 'qed' is already that of .*\[0\]"),
        ([QED, QED, QED | {"name": "qed_2"}], r"components\[2\]: label 'qed_2' is already"),
    ],
)
def test_two_components_of_one_label_are_refused(components, message):
    _refused({"components": components}, message)


def test_repeated_unnamed_components_are_numbered():
    similar = {"kind": "similarity", "params": {"smiles": "CCO"}}
    objective = Objective.from_config({"components": [similar, similar, QED | {"name": "x"}]})
    assert objective.labels == ["similarity", "similarity_2", "x"]


@pytest.mark.parametrize(
    ("constraint", "message"),
    [
        ({"kind": "sa", "min": 5, "max": 2}, r"constraints\[0\]: .*'min' \(5\) exceeds 'max'"),
        ({"kind": "sa", "max": NAN}, r"constraints\[0\]: .*'max': Input should be a finite"),
        ({"kind": "sa", "min": -INF}, r"constraints\[0\]: .*'min': Input should be a finite"),
    ],
)
def test_constraint_bounds_no_value_can_meet_are_refused(constraint, message):
    _refused({"components": [QED], "constraints": [constraint]}, message)


@pytest.mark.parametrize("weight", [INF, NAN, 0.0])
def test_a_weight_must_be_finite_and_positive(weight):
    _refused({"components": [QED | {"weight": weight}]}, r"components\[0\]: .*'weight'")


@pytest.mark.parametrize(
    ("desirability", "field"),
    [
        ({"kind": "window", "lower": NAN, "upper": 3}, "lower"),
        ({"kind": "linear", "lower": 0, "upper": INF}, "upper"),
        ({"kind": "gaussian", "mu": NAN, "sigma": 1}, "mu"),
        ({"kind": "step", "threshold": INF}, "threshold"),
    ],
)
def test_desirability_parameters_must_be_finite(desirability, field):
    component = {"kind": "tpsa", "desirability": desirability}
    _refused(
        {"components": [QED, component]},
        rf"components\[1\] \('tpsa'\) desirability: .*'{field}': Input should be a finite",
    )


def test_an_inverted_window_names_its_component():
    window = {"kind": "window", "lower": 90, "upper": 40}
    _refused(
        {"components": [QED, {"kind": "tpsa", "desirability": window}]},
        r"^objective.components\[1\] \('tpsa'\) desirability: .*lower must not exceed upper",
    )


@pytest.mark.parametrize(
    ("component", "message"),
    [
        ({"kind": "similarity", "params": {"smiles": []}}, "give at least one reference SMILES"),
        ({"kind": "similarity", "params": {"smiles": ""}}, "give at least one reference SMILES"),
        ({"kind": "isomer", "params": {"formula": "Qz2C3"}}, "unknown element symbol.* Qz$"),
        ({"kind": "substructure", "params": {"smarts": ""}}, "'smarts': .*the pattern is empty"),
        ({"kind": "substructure", "params": {"smarts": "  "}}, "the pattern is empty"),
        (
            {"kind": "alerts", "params": {"catalogs": []}},
            "'catalogs': .*give one or more of PAINS, BRENK, NIH, ZINC, CHEMBL",
        ),
        (
            {"kind": "oracle", "params": {**ORACLE_LOGP["params"], "timeout_s": INF}},
            "'timeout_s': Input should be a finite number",
        ),
        (
            {"kind": "surrogate", "params": {"model": None, "bound": "upper", "beta": INF}},
            "'beta': Input should be a finite number",
        ),
    ],
)
def test_component_parameters_that_cannot_work_are_refused(component, message):
    _refused({"components": [QED, component]}, rf"^objective.components\[1\] .*{message}")


def test_a_constraints_parameters_are_located_too():
    constraint = {"kind": "isomer", "params": {"formula": "C2Xx"}, "min": 0.5}
    _refused(
        {"components": [QED], "constraints": [constraint]},
        r"^objective.constraints\[0\] \('isomer'\): .*unknown element symbol\(s\) Xx",
    )
