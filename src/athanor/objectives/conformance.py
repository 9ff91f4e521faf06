"""Conformance checks every objective component must pass (like scikit-learn's
``check_estimator``): run them on a new component in its own tests.

>>> from athanor.objectives.conformance import check_component
>>> check_component("qed")
"""

from __future__ import annotations

import numpy as np

from athanor.chem.parse import parse_molecule
from athanor.objectives.components import make_component
from athanor.objectives.objective import Objective

PROBES = ("CCO", "c1ccccc1O", "CC(=O)Nc1ccc(O)cc1", "[Na+].[Cl-]")


def check_component(kind: str, params: dict | None = None) -> None:
    """Assert the component contract for `kind`.

    Checks: `values` returns one float (or NaN with a reason) per molecule, in order, for an
    empty batch too, within [0, 1] when the component declares `unit_interval`; results are
    deterministic; an objective built on it scores invalid input 0 without calling it.

    Raises:
        AssertionError: the first violated rule.
    """
    component = make_component(kind, params)
    mols = [parse_molecule(s) for s in PROBES]
    values, reasons = component.values(mols, list(PROBES))
    assert np.shape(values) == (len(PROBES),), f"{kind}: one value per molecule"
    assert len(reasons) == len(PROBES), f"{kind}: one reason per molecule"
    for value, reason in zip(values, reasons, strict=True):
        assert np.isfinite(value) or reason, f"{kind}: a NaN value needs a reason"
    again, _ = component.values(mols, list(PROBES))
    np.testing.assert_array_equal(values, again, err_msg=f"{kind}: not deterministic")
    empty, empty_reasons = component.values([], [])
    assert len(empty) == 0 and not empty_reasons, f"{kind}: empty batch"
    if component.unit_interval:
        finite = values[np.isfinite(values)]
        assert np.all((finite >= 0) & (finite <= 1)), f"{kind}: values leave [0, 1]"
    table = {"kind": kind, "params": params or {}}
    if not component.unit_interval:
        table["desirability"] = {"kind": "sigmoid", "center": 0.0, "scale": 1.0}
    objective = Objective.from_config({"components": [table]})
    batch = objective(["not a smiles"])
    assert batch.scores[0] == 0 and batch.status == ["invalid"], f"{kind}: invalid input"
