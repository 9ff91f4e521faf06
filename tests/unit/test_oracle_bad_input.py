"""Each class of bad input becomes one recorded failure with a specific message; the rest of
the batch completes."""

from __future__ import annotations

import re
import sys

import pytest

from athanor.oracles import make_oracle
from athanor.oracles.python_fn import PythonOracle

GOOD = "CCO"


def _check(oracle, bad: str, status: str, message: str, good: str = GOOD) -> None:
    results = oracle.evaluate([good, bad, good])
    assert [r.status for r in results] == ["ok", status, "ok"]
    assert message in results[1].message


def test_unparsable_smiles():
    _check(make_oracle("xtb"), "C1CC", "failed", "cannot parse smiles")


def test_300_heavy_atoms_is_refused_before_any_3d_work():
    _check(make_oracle("xtb"), "C" * 300, "failed", "300 heavy atoms exceeds")
    _check(_small_dft(), "C" * 300, "failed", "300 heavy atoms exceeds", good="O")


def test_element_outside_gfn2():
    _check(make_oracle("xtb"), "C[Fr]", "failed", "not parametrised in GFN2-xTB")


def _small_dft():
    return make_oracle("dft", basis="sto-3g", xtb_geometry=False)


def test_element_outside_the_basis_set():
    _check(_small_dft(), "C[Cs]", "failed", "has no functions for Cs", good="O")
    # 6-31G* stops at Kr: iodine is refused before any SCF
    refused = make_oracle("dft").evaluate(["CI"])[0]
    assert refused.status == "failed" and "6-31g* has no functions for I" in refused.message


def _command(code: str, **options):
    return make_oracle(
        "command", command=[sys.executable, "-c", code], properties={"n": "1"}, **options
    )


def _dispatch(code_for_bad: str) -> str:
    """Program text: the bad molecule runs `code_for_bad`, others print a valid result."""
    return (
        "import sys, json\n"
        f"if sys.stdin.read().strip() == 'CCCC':\n    {code_for_bad}\n"
        "print(json.dumps({'n': 1}))"
    )


def test_command_writing_garbage():
    _check(
        _command(_dispatch("print('Segmentation fault?'); sys.exit(0)")),
        "CCCC",
        "failed",
        "not a JSON object: 'Segmentation fault?'",
    )


def test_command_that_segfaults():
    code = _dispatch("import ctypes; ctypes.string_at(0)")
    _check(_command(code), "CCCC", "failed", "killed by signal SIGSEGV")


def test_command_that_hangs_times_out():
    code = _dispatch("import time; time.sleep(60)")
    _check(_command(code, timeout_s=1), "CCCC", "timeout", "exceeded its 1 s timeout")


def test_command_exit_status_quotes_stderr():
    code = _dispatch("sys.exit('docking box outside the receptor')")
    _check(_command(code), "CCCC", "failed", "status 1: docking box outside the receptor")


def fragile(smiles: str) -> dict[str, float]:
    if smiles == "CCCC":
        raise RuntimeError("butane not supported")
    if smiles == "CCC":
        return {"n": "many"}
    return {"n": len(smiles)}


def test_python_function_that_raises_or_returns_junk():
    oracle = PythonOracle.from_function(fragile, {"n": "1"})
    _check(oracle, "CCCC", "failed", "RuntimeError: butane not supported")
    _check(oracle, "CCC", "failed", "non-numeric property value")


def fragile_batch(batch: list[str]) -> list[dict[str, float]]:
    return [fragile(smiles) for smiles in batch]


def test_batch_function_failure_is_isolated_to_the_bad_molecule():
    oracle = PythonOracle.from_function(fragile_batch, {"n": "1"}, batch=True)
    _check(oracle, "CCCC", "failed", "butane not supported")


def test_table_miss_is_a_failure(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("smiles,score\nCCO,-7.1\nCCN,\n")
    oracle = make_oracle("table", path=str(path))
    _check(oracle, "CCCl", "failed", "molecule not in table scores.csv")
    _check(oracle, "CCN", "failed", "no value for score")


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("lambda_fn", "must be given as 'module:function'"),
        ("os:nosuch", "cannot import 'os:nosuch'"),
        ("nosuchmod:f", "cannot import 'nosuchmod:f': No module named 'nosuchmod'"),
        ("os:sep", "'os:sep' is not callable"),
    ],
)
def test_python_oracle_rejects_unimportable_functions_when_built(path, message):
    from athanor.core.errors import ConfigError

    with pytest.raises(ConfigError, match=re.escape(message)):
        PythonOracle(function=path, properties={"n": "1"})  # not a failure per molecule
    with pytest.raises(ConfigError):
        PythonOracle.from_function(lambda s: {"n": 1}, {"n": "1"})
