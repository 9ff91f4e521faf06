"""`run_oracle` says where in the input its failures are, and refuses molecules over a size cap.

An in-process executor stands in for the worker processes, so these tests stay fast.
"""

from __future__ import annotations

import pytest

from athanor.execution import Outcome, RunSummary, Task, run_oracle
from athanor.oracles.python_fn import PythonOracle

C120 = "C" * 120  # 120 heavy atoms: accepted by default (150), refused under a cap of 100


def carbons(smiles: str) -> dict[str, float]:
    """Counts carbons; fails on chlorine."""
    if "Cl" in smiles:
        raise ValueError("no chlorine please")
    return {"carbons": float(smiles.upper().count("C") - smiles.count("Cl"))}


class InlineExecutor:
    """Evaluates each task as it is submitted, in this process."""

    workers, timeout_s = 1, None

    def start(self, oracle) -> None:
        self.oracle, self.done, self.seen = oracle, [], []

    def submit(self, task: Task) -> None:
        self.seen.append(task.smiles)
        self.done.append(Outcome(task, self.oracle.evaluate([task.smiles])[0]))

    def poll(self, timeout_s: float) -> list[Outcome]:
        done, self.done = self.done, []
        return done

    def close(self) -> None:
        pass


@pytest.fixture
def oracle():
    return PythonOracle.from_function(carbons, {"carbons": "count"})


def _run(oracle, smiles, store, **options) -> tuple[RunSummary, list[str]]:
    executor = InlineExecutor()
    summary = run_oracle(oracle, smiles, store, executor, **options)
    return summary, getattr(executor, "seen", [])


def test_failures_name_the_file_lines_of_their_inputs(oracle, store):
    smiles = ["CCO", "C1CC", "CCCl", "OCC", "ClCCO", "C1CC"]
    summary, _ = _run(oracle, smiles, store, lines=[2, 4, 5, 7, 9, 12])
    text = summary.format()
    assert "invalid input: cannot parse smiles 'C1CC' (lines 4, 12)" in text
    assert "2  ValueError: no chlorine please (lines 5, 9)" in text
    assert summary.input_ids[0] == summary.input_ids[3] is not None  # OCC is CCO
    assert summary.input_ids[1] is None and summary.input_ids[5] is None
    assert summary.input_errors == {
        1: "cannot parse smiles 'C1CC'",
        5: "cannot parse smiles 'C1CC'",
    }


def test_without_lines_failures_name_input_rows(oracle, store):
    summary, _ = _run(oracle, ["CCO", "", "CCCl"], store)
    assert "invalid input: empty molecule input (input row 2)" in summary.format()
    assert "no chlorine please (input row 3)" in summary.format()
    _run(oracle, ["CCO"], store, lines=[3], position="record")
    with pytest.raises(ValueError, match="2 lines for 1 molecules"):
        _run(oracle, ["CCO"], store, lines=[1, 2])


def test_records_and_long_lists_stay_short(oracle, store):
    summary, _ = _run(oracle, ["C1CC"] * 8, store, lines=list(range(1, 9)), position="record")
    assert "invalid input: cannot parse smiles 'C1CC' (records 1, 2, 3, 4, 5 and 3 more)" in (
        summary.format()
    )


def test_molecules_over_the_cap_are_refused_not_sent(oracle, store):
    summary, seen = _run(oracle, ["CCO", C120], store, max_heavy_atoms=100, lines=[2, 3])
    assert seen == ["CCO"] and summary.invalid == 1 and summary.counts == {"ok": 1}
    assert "invalid input: 120 heavy atoms exceeds the maximum of 100 (line 3)" in summary.format()
    assert summary.input_errors == {1: "120 heavy atoms exceeds the maximum of 100"}


def test_the_cap_applies_to_stored_molecules_and_may_exceed_the_default(oracle, store):
    assert _run(oracle, ["C" * 160], store)[0].invalid == 1  # the standardiser's 150
    summary, seen = _run(oracle, ["C" * 160], store, max_heavy_atoms=200)
    assert seen == ["C" * 160] and summary.counts == {"ok": 1}
    stored, _ = _run(oracle, [C120, "CCN"], store)  # stored now, computed
    assert stored.counts == {"ok": 2}
    capped, seen = _run(oracle, [C120, "CCN"], store, max_heavy_atoms=100, retry_failed=True)
    assert capped.invalid == 1 and capped.cached == 1 and seen == []
    assert capped.input_ids[0] is None and capped.molecule_ids == {capped.input_ids[1]}
