"""The oracle contract: a labelled, fingerprinted source of property values for molecules.

An oracle is shaped like an ASE calculator: it declares its name, version, parameters and the
properties it yields (with units), and computes them. Unlike a calculator it takes a batch of
molecules and returns one `Evaluation` per input: a calculation that goes wrong for one
molecule becomes a ``failed`` (or ``timeout``) record with a specific message and the runtime,
never an exception out of the batch.

Subclasses set `name`, `version`, `Parameters` and implement `properties` and
`evaluate_one`. Errors that describe the molecule or the calculation are raised from
`evaluate_one` as `OracleFailure` (or `MoleculeError`); anything else is a bug and is also
turned into a failure so the batch completes, with the exception type in the message.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from athanor.core.config import StrictModel, validate_config
from athanor.core.errors import AthanorError, MoleculeError
from athanor.core.records import Evaluation, EvaluationStatus
from athanor.oracles.threads import single_threaded

log = logging.getLogger(__name__)


class OracleFailure(AthanorError):
    """A calculation failed for one molecule (deterministically: retrying will not help).

    Attributes:
        status: ``"failed"``, or ``"timeout"`` when the calculation ran out of time.
    """

    def __init__(self, message: str, status: EvaluationStatus = "failed"):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class OracleResult:
    """Property values of one molecule plus the geometry they were computed on.

    Attributes:
        values: property name -> value, in the units the oracle declares.
        geometry: XYZ block (Å) for reuse by a higher level of theory, or None.
    """

    values: dict[str, float]
    geometry: str | None = None


class NoParameters(StrictModel):
    """Parameters of an oracle that has none."""


class Oracle:
    """Base class of all oracles.

    Class attributes:
        name: registry name (``"xtb"``), part of the fingerprint.
        version: bumped whenever a code change can change the numbers.
        Parameters: the pydantic model (a `StrictModel`) of the oracle's options.

    Args:
        parameters: a `Parameters` instance, or keyword options validated into one
            (unknown keys raise `ConfigError` naming the allowed ones).
    """

    name: ClassVar[str] = ""
    version: ClassVar[str] = "1"
    Parameters: ClassVar[type[StrictModel]] = NoParameters

    def __init__(self, parameters: StrictModel | None = None, **options: Any):
        if parameters is None:
            parameters = validate_config(self.Parameters, options)
        self.parameters = parameters

    @property
    def properties(self) -> dict[str, str]:
        """Property name -> unit of every value an ``ok`` evaluation may hold."""
        raise NotImplementedError

    def identity(self) -> dict[str, Any]:
        """What the fingerprint hashes: name, version and parameters (JSON-serialisable)."""
        return {
            "name": self.name,
            "version": self.version,
            "parameters": self.parameters.model_dump(mode="json"),
        }

    @cached_property
    def fingerprint(self) -> str:
        """16 hex digits of the SHA-256 of the canonical JSON of `identity()` (parameters are
        immutable, so it is computed once)."""
        text = json.dumps(self.identity(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def evaluate_one(self, smiles: str) -> OracleResult | dict[str, float]:
        """Compute the properties of one molecule.

        Raises:
            OracleFailure: the calculation failed for this molecule.
            MoleculeError: the SMILES cannot be parsed or the molecule is out of scope.
        """
        raise NotImplementedError

    def evaluate(self, smiles: Sequence[str]) -> list[Evaluation]:
        """Evaluate a batch; one `Evaluation` per input, in order, never raising per item.

        Args:
            smiles: n molecules as SMILES (canonical SMILES from the store in campaigns).

        Returns:
            n evaluations with status ``ok``, ``failed`` or ``timeout``.
        """
        with single_threaded():
            return [self.guarded(self.evaluate_one, item) for item in smiles]

    def guarded(self, compute: Callable[..., OracleResult | dict], *args: Any) -> Evaluation:
        """Run ``compute(*args)`` and turn its result or its exception into an `Evaluation`.

        The result is checked inside the guard as well: values that are not exactly the
        declared properties, or not numbers, make this one item ``failed``.
        """
        start = time.perf_counter()
        try:
            result = self._checked_result(compute(*args))
        except OracleFailure as error:
            return Evaluation(error.status, message=str(error), runtime_s=_since(start))
        except MoleculeError as error:
            return Evaluation("failed", message=f"{error.reason}: {error}", runtime_s=_since(start))
        except Exception as error:  # a bug or a library error: still one failed item
            log.debug("%s raised on %r", self.name, args, exc_info=True)
            message = f"{type(error).__name__}: {error}"
            return Evaluation("failed", message=message, runtime_s=_since(start))
        return Evaluation("ok", result.values, runtime_s=_since(start), geometry=result.geometry)

    def _checked_result(self, result: OracleResult | dict) -> OracleResult:
        """`result` as an `OracleResult` of floats, one per declared property.

        Raises:
            OracleFailure: see `checked_values`.
        """
        if not isinstance(result, OracleResult):
            result = OracleResult(result)
        return OracleResult(checked_values(result.values, self.properties), result.geometry)

    def __repr__(self) -> str:
        options = ", ".join(f"{k}={v!r}" for k, v in self.parameters.model_dump().items())
        return f"{type(self).__name__}({options})"


def checked_values(values: Any, properties: dict[str, str]) -> dict[str, float]:
    """Validate what user code returned: a mapping of every declared property to a number.

    Raises:
        OracleFailure: not a mapping, a missing or undeclared property, or a non-number.
    """
    if not isinstance(values, dict):
        raise OracleFailure(f"expected a dict of property values, got {type(values).__name__}")
    missing = sorted(set(properties) - set(values))
    undeclared = sorted(set(values) - set(properties))
    if missing or undeclared:
        raise OracleFailure(f"properties missing: {missing}, undeclared: {undeclared}")
    try:
        return {name: float(values[name]) for name in properties}
    except (TypeError, ValueError) as error:
        raise OracleFailure(f"non-numeric property value: {error}") from None


def _since(start: float) -> float:
    return time.perf_counter() - start
