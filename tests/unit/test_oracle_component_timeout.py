"""The ``oracle`` objective component runs its calls in a worker process under a time limit:
a molecule that hangs or crashes the oracle fails alone, and the batch carries on."""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import time

import numpy as np
import pytest

from athanor.core.errors import ConfigError, WorkerStartError
from athanor.objectives import Objective
from athanor.objectives.components import make_component
from athanor.oracles.python_fn import PythonOracle

MOLECULES = ["CCO", "c1ccccc1", "CCN"]  # benzene is the one that misbehaves


def hang_on_benzene(smiles: str) -> dict[str, float]:
    """One carbon count per molecule; never returns (in time) on benzene."""
    if smiles == "c1ccccc1":
        time.sleep(60)
    return {"carbons": smiles.upper().count("C")}


def crash_on_benzene(smiles: str) -> dict[str, float]:
    """Segfaults the process that evaluates benzene."""
    if smiles == "c1ccccc1":
        ctypes.string_at(0)
    return {"carbons": smiles.upper().count("C")}


def process_id(smiles: str) -> dict[str, float]:
    """The id of the process that evaluates the molecule."""
    return {"pid": os.getpid()}


def _component(function, properties: dict[str, str], **params):
    """An ``oracle`` component over the `python` oracle wrapping `function`."""
    prop = next(iter(properties))
    options = {"function": f"{__name__}:{function.__name__}", "properties": properties}
    table = {"oracle": "python", "property": prop, "options": options, **params}
    return make_component("oracle", table)


@pytest.fixture
def closing():
    """Build components with `_component` and stop their workers after the test."""
    built = []
    yield lambda *args, **kwargs: built.append(_component(*args, **kwargs)) or built[-1]
    for component in built:
        component.close()


def test_a_hanging_molecule_times_out_alone(closing):
    component = closing(hang_on_benzene, {"carbons": "count"}, timeout_s=1.0)
    start = time.perf_counter()
    values, reasons = component.values([None] * 3, MOLECULES)
    assert time.perf_counter() - start < 20  # the call sleeps 60 s
    np.testing.assert_array_equal(values[[0, 2]], [2.0, 2.0])
    assert np.isnan(values[1])
    assert reasons[0] == reasons[2] == ""
    assert reasons[1].startswith("oracle python: timeout: exceeded the 1 s per-call timeout")


def test_a_crashing_molecule_fails_alone(closing):
    component = closing(crash_on_benzene, {"carbons": "count"}, timeout_s=30.0)
    values, reasons = component.values([None] * 3, MOLECULES)
    np.testing.assert_array_equal(values[[0, 2]], [2.0, 2.0])
    assert np.isnan(values[1])
    assert reasons[1] == "oracle python: failed: worker process died (SIGSEGV) while evaluating"


def test_one_worker_process_serves_the_component_until_closed():
    component = _component(process_id, {"pid": "id"})  # the default time limit
    first, _ = component.values([None] * 2, ["CCO", "CCN"])
    second, _ = component.values([None], ["CCC"])
    pid = int(second[0])
    assert pid != os.getpid() and set(first) == {pid}
    component.close()
    with pytest.raises(ProcessLookupError):  # stopped and reaped
        os.kill(pid, 0)


def test_the_time_limit_is_positive_or_none():
    assert _component(process_id, {"pid": "id"}, timeout_s=None).params.timeout_s is None
    with pytest.raises(ConfigError, match="timeout_s"):
        _component(process_id, {"pid": "id"}, timeout_s=0)


class UnloadableOracle(PythonOracle):
    """An oracle that a worker process cannot load (as if a library were missing there)."""

    def __setstate__(self, state):
        raise ImportError("tblite is not installed in the worker environment")


def test_an_oracle_the_worker_cannot_load_stops_the_objective():
    objective = Objective.from_config({"components": [
        {"kind": "oracle", "params": {"oracle": "python", "property": "carbons", "options": {
            "function": f"{__name__}:hang_on_benzene", "properties": {"carbons": "count"}}},
         "desirability": {"kind": "sigmoid", "center": 1, "scale": 1}},
    ]})  # fmt: skip
    objective.components[0].oracle.__class__ = UnloadableOracle
    with objective, pytest.raises(WorkerStartError, match="loading the oracle"):
        objective(["CCO", "CCN"])  # not two molecules recorded as failed


def test_a_molecule_whose_idle_worker_died_is_tried_again(closing):
    component = closing(process_id, {"pid": "id"})
    first, _ = component.values([None], ["CCO"])
    os.kill(int(first[0]), signal.SIGKILL)  # e.g. the OOM killer, between two rounds
    values, reasons = component.values([None] * 2, ["CCN", "CCC"])
    assert np.isfinite(values).all() and reasons == ["", ""]


def test_a_used_component_can_be_copied_and_the_copy_starts_its_own_worker(closing):
    component = closing(process_id, {"pid": "id"})
    first, _ = component.values([None], ["CCO"])
    copy = pickle.loads(pickle.dumps(component))
    second, _ = copy.values([None], ["CCO"])
    copy.close()
    assert first[0] != second[0]
