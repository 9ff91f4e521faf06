"""Python oracle: any user function wrapped with the oracle guarantees.

The function is referenced by its import path (``"package.module:function"``), which keeps the
oracle picklable for worker processes and Ray, and goes into the fingerprint together with a
version the user bumps when the function changes. The path is imported when the oracle is
built, so a wrong one fails at start rather than for every molecule.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from athanor.core.config import StrictModel
from athanor.core.errors import ConfigError
from athanor.core.records import Evaluation
from athanor.oracles.base import Oracle, checked_values
from athanor.oracles.registry import register_oracle

log = logging.getLogger(__name__)


class PythonParameters(StrictModel):
    """Options of the Python oracle.

    Attributes:
        function: import path ``"module:function"``. Per molecule: ``f(smiles) -> dict``;
            with `batch`: ``f(list_of_smiles) -> list[dict]``.
        properties: property name -> unit, exactly the keys the function returns.
        batch: the function takes a list of SMILES and returns a list of dicts. It receives
            whatever list `PythonOracle.evaluate` is given: the whole list when called
            directly, but a one-element list under the executors (`athanor.execution`,
            also behind an ``oracle`` objective component), which send one molecule per
            task so that each gets its own timeout. A batch call that raises or returns the
            wrong number of results is redone one molecule at a time.
        function_version: bump it when the function's results change (new fingerprint).
    """

    function: str
    properties: dict[str, str]
    batch: bool = False
    function_version: str = "1"


def import_function(path: str) -> Callable:
    """The callable at ``"module:attribute"``.

    Raises:
        ConfigError: malformed path, missing module or attribute, or not callable.
    """
    module_name, _, attribute = path.partition(":")
    if not module_name or not attribute:
        raise ConfigError(f"function must be given as 'module:function', got {path!r}")
    try:
        target = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise ConfigError(f"cannot import {path!r}: {error}") from None
    if not callable(target):
        raise ConfigError(f"{path!r} is not callable")
    return target


@register_oracle("python")
class PythonOracle(Oracle):
    """Values from a user function; its exceptions become per-item failures.

    Raises:
        ConfigError: the function cannot be imported (see `import_function`).
    """

    version = "1"
    Parameters = PythonParameters

    def __init__(self, parameters: PythonParameters | None = None, **options):
        super().__init__(parameters, **options)
        import_function(self.parameters.function)  # a wrong path fails now, not per molecule

    @classmethod
    def from_function(cls, function: Callable, properties: dict[str, str], **options):
        """Wrap a module-level function (lambdas and closures cannot reach worker processes).

        Raises:
            ConfigError: the function cannot be imported back from its module.
        """
        path = f"{function.__module__}:{function.__qualname__}"
        if "<" in path or "." in function.__qualname__:
            raise ConfigError(f"{path} is not a module-level function")
        return cls(function=path, properties=properties, **options)

    @property
    def properties(self) -> dict[str, str]:
        return dict(self.parameters.properties)

    @property
    def _function(self) -> Callable:
        """The function, looked up by its path (in `sys.modules` after the first import): an
        oracle keeps no function object, which may not pickle (a lambda bound to a name)."""
        return import_function(self.parameters.function)

    def evaluate_one(self, smiles: str) -> dict[str, float]:
        values = self._function([smiles])[0] if self.parameters.batch else self._function(smiles)
        return checked_values(values, self.properties)

    def evaluate(self, smiles: Sequence[str]) -> list[Evaluation]:
        """Per-item calls, or one call for the whole batch. A batch call that raises or
        returns the wrong number of results is redone one molecule at a time, which isolates
        the molecule that broke it."""
        if not self.parameters.batch or len(smiles) < 2:
            return super().evaluate(smiles)
        start = time.perf_counter()
        try:
            results = list(self._function(list(smiles)))
            if len(results) != len(smiles):
                raise ValueError(f"{len(results)} results for {len(smiles)} molecules")
        except Exception:  # user code: isolate the failing molecule
            log.warning("batch call of %s failed; one molecule at a time", self.parameters.function)
            return super().evaluate(smiles)
        share = (time.perf_counter() - start) / len(smiles)
        evaluations = [self.guarded(checked_values, item, self.properties) for item in results]
        return [replace(item, runtime_s=item.runtime_s + share) for item in evaluations]
