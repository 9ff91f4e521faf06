"""Oracle set-up errors fail when the oracle (or the objective using it) is built, before any
molecule is scored; the built oracle still reaches worker processes."""

from __future__ import annotations

import pickle
import re

import pytest
from rdkit import Chem

from athanor.core.errors import ConfigError
from athanor.objectives import Objective
from athanor.objectives.predictions import OracleComponent, OracleParams
from athanor.oracles import make_oracle


def _heavy_atoms(smiles: str) -> dict[str, float]:
    return {"heavy": float(Chem.MolFromSmiles(smiles).GetNumHeavyAtoms())}


def _traced(function):
    def wrapper(smiles: str) -> dict[str, float]:  # a decorator without functools.wraps
        return function(smiles)

    return wrapper


# importable by its path, but the function object itself cannot be pickled (a local object)
heavy_atoms = _traced(_heavy_atoms)
HEAVY = {"function": f"{__name__}:heavy_atoms", "properties": {"heavy": "count"}}


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["/opt/nosuch/dock", "{smiles}"], "'/opt/nosuch/dock' is not an executable file"),
        (["nosuch-docking-program"], "'nosuch-docking-program' is not found on PATH"),
        (["bin/dock", "{input}"], "'bin/dock' is a relative path; give an absolute one"),
        ([], "give the program and its arguments"),
    ],
)
def test_command_oracle_checks_its_program_when_built(command, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        make_oracle("command", command=command, properties={"n": "1"})


def test_command_oracle_refuses_a_file_that_is_not_executable(tmp_path):
    script = tmp_path / "dock.sh"
    script.write_text("#!/bin/sh\necho '{\"n\": 1}'\n")
    for program in (script, tmp_path):  # no execute permission; a directory
        with pytest.raises(ConfigError, match="is not an executable file"):
            make_oracle("command", command=[str(program)], properties={"n": "1"})
    script.chmod(0o755)
    oracle = make_oracle("command", command=[str(script)], properties={"n": "1"})
    assert oracle.evaluate(["CCO"])[0].values == {"n": 1.0}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"function": "os:nosuch", "properties": {"y": ""}}, "cannot import 'os:nosuch'"),
        ({"function": "nosuchmod:f", "properties": {"y": ""}}, "No module named 'nosuchmod'"),
        ({"command": ["/opt/nosuch/dock"], "properties": {"y": ""}}, "/opt/nosuch/dock"),
    ],
)
def test_an_objective_with_a_broken_oracle_fails_when_built(options, message):
    oracle = "python" if "function" in options else "command"
    table = {"components": [{"kind": "oracle", "params": {
        "oracle": oracle, "property": "y", "options": options}}]}  # fmt: skip
    with pytest.raises(ConfigError, match=re.escape(message)):
        Objective.from_config(table)


def test_a_python_oracle_pickles_after_its_function_is_checked_and_used():
    oracle = make_oracle("python", **HEAVY)
    assert oracle.evaluate(["CCO"])[0].values == {"heavy": 3.0}
    copy = pickle.loads(pickle.dumps(oracle))  # what `LocalExecutor.start` sends a worker
    assert copy.evaluate(["c1ccccc1"])[0].values == {"heavy": 6.0}


def test_an_oracle_component_scores_in_its_worker_with_such_a_function():
    component = OracleComponent(OracleParams(oracle="python", property="heavy", options=HEAVY))
    try:
        values, reasons = component.values(None, ["CCO", "CCCC"])
    finally:
        component.close()
    assert values.tolist() == [3.0, 4.0] and reasons == ["", ""]
