"""Conformance checks every oracle must pass (the `check_estimator` of oracles).

Third-party oracles can run them in their own test suites:

>>> from athanor.oracles.conformance import check_oracle
>>> check_oracle(MyOracle(), valid=["CCO", "c1ccccc1"])
"""

from __future__ import annotations

import math
import pickle
import re
from collections.abc import Sequence

from athanor.oracles.base import Oracle
from athanor.oracles.registry import make_oracle

INVALID_SMILES = "C1CC(not a molecule"


class ConformanceError(AssertionError):
    """An oracle breaks the contract."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ConformanceError(message)


def check_identity(oracle: Oracle) -> None:
    """Name, version, fingerprint and properties are well formed; parameters rebuild it."""
    _require(bool(oracle.name) and bool(oracle.version), "name and version must be set")
    _require(re.fullmatch(r"[0-9a-f]{16}", oracle.fingerprint) is not None, "bad fingerprint")
    properties = oracle.properties
    _require(bool(properties), "an oracle must declare at least one property")
    _require(all(isinstance(u, str) for u in properties.values()), "units must be strings")
    rebuilt = make_oracle(oracle.name, **oracle.identity()["parameters"])
    _require(rebuilt.fingerprint == oracle.fingerprint, "parameters do not rebuild the oracle")
    copy = pickle.loads(pickle.dumps(oracle))
    _require(copy.fingerprint == oracle.fingerprint, "pickling changes the fingerprint")


def _check_ok(oracle: Oracle, smiles: str, evaluation) -> None:
    _require(evaluation.status == "ok", f"{smiles}: {evaluation.status}: {evaluation.message}")
    _require(
        set(evaluation.values) == set(oracle.properties),
        f"{smiles}: values {sorted(evaluation.values)} != properties",
    )
    _require(all(isinstance(v, float) for v in evaluation.values.values()), "values not floats")
    _require(all(math.isfinite(v) for v in evaluation.values.values()), f"{smiles}: not finite")
    _require(evaluation.runtime_s >= 0, "negative runtime")


def check_batch(oracle: Oracle, valid: Sequence[str]) -> None:
    """One result per input, in order; a bad molecule fails alone with a message."""
    _require(oracle.evaluate([]) == [], "an empty batch must give an empty list")
    batch = [valid[0], INVALID_SMILES, *valid[1:]]
    try:
        results = oracle.evaluate(batch)
    except Exception as error:
        raise ConformanceError(f"evaluate raised {type(error).__name__}: {error}") from error
    _require(len(results) == len(batch), "one evaluation per input")
    bad = results.pop(1)
    _require(bad.status == "failed" and bool(bad.message), "an invalid SMILES must fail")
    for smiles, evaluation in zip(valid, results, strict=True):
        _check_ok(oracle, smiles, evaluation)


def check_deterministic(oracle: Oracle, smiles: str, rel: float = 1e-6) -> None:
    """The same molecule gives the same values twice, also from a pickled copy (a worker)."""
    first = oracle.evaluate([smiles])[0]
    again = pickle.loads(pickle.dumps(oracle)).evaluate([smiles])[0]
    for name, value in first.values.items():
        other = again.values[name]
        _require(
            math.isclose(value, other, rel_tol=rel, abs_tol=rel), f"{name}: {value} then {other}"
        )


def check_oracle(oracle: Oracle, valid: Sequence[str]) -> None:
    """Run every check; `valid` are molecules the oracle must evaluate successfully.

    Raises:
        ConformanceError: naming the broken rule.
    """
    check_identity(oracle)
    check_batch(oracle, valid)
    check_deterministic(oracle, valid[0])
