"""Components backed by a model or a calculation: surrogate predictions and oracle calls."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import ConfigDict, Field

from athanor.core.config import StrictModel
from athanor.core.errors import AthanorError, ConfigError, NotFittedError
from athanor.core.prediction import Prediction
from athanor.objectives.components import Component, register_component

if TYPE_CHECKING:
    from athanor.core.records import Evaluation
    from athanor.execution import LocalExecutor

# an hour bounds a hung calculation yet lets a long DFT call finish; it lies above the command
# oracle's own 600 s default, whose limit (cleaner: it reports the program's output) fires first
DEFAULT_ORACLE_TIMEOUT_S = 3600.0
# a molecule whose worker died (a crash, or killed while idle) is tried this often in all
CRASH_ATTEMPTS = 2


class SurrogateParams(StrictModel):
    """Parameters of ``surrogate``.

    Attributes:
        model: directory of a saved surrogate (``Surrogate.save``); None when the caller
            sets the component's ``model`` itself (a campaign's surrogate, trained in memory).
        task: column of the prediction to use.
        bound: the predictive ``mean``, or the ``upper`` (optimistic when maximising) or
            ``lower`` (pessimistic) bound mean +/- beta * std.
        beta: width of the bound in standard deviations.
    """

    model_config = ConfigDict(allow_inf_nan=False)

    model: str | None
    task: int = Field(default=0, ge=0)
    bound: Literal["mean", "upper", "lower"] = "mean"
    beta: float = Field(default=1.0, ge=0)


def prediction_bound(prediction: Prediction, task: int, bound: str, beta: float) -> np.ndarray:
    """Mean, or mean +/- beta * std, of one task; shape (n,)."""
    mean, std = prediction.mean[:, task], prediction.std[:, task]
    sign = {"mean": 0.0, "upper": 1.0, "lower": -1.0}[bound]
    return mean + sign * beta * std


def load_surrogate(params: SurrogateParams):
    """The saved surrogate of ``params``, checked to have the task asked for.

    Raises:
        ConfigError: the model cannot be loaded, or has no such task.
    """
    from athanor.models import Surrogate  # torch is heavy: only when used

    try:
        model = Surrogate.load(params.model)
    except AthanorError as error:
        raise ConfigError(f"cannot load the surrogate: {error}") from None
    if params.task >= model.n_tasks_:
        raise ConfigError(f"task {params.task}: the surrogate has {model.n_tasks_} task(s)")
    return model


@register_component("surrogate")
class SurrogateComponent(Component):
    """A surrogate model's prediction, optionally an uncertainty bound; the saved model is
    loaded (and checked) when the component is built, so a bad path fails at start."""

    Params = SurrogateParams

    def __init__(self, params: SurrogateParams):
        super().__init__(params)
        self.model = None if params.model is None else load_surrogate(params)

    def values(self, mols, smiles) -> tuple[np.ndarray, list[str]]:
        if not smiles:
            return np.zeros(0), []
        if self.model is None:
            raise NotFittedError("the surrogate component has no model yet")
        prediction = self.model.predict(list(smiles))
        p = self.params
        return prediction_bound(prediction, p.task, p.bound, p.beta), [""] * len(smiles)


class OracleParams(StrictModel):
    """Parameters of ``oracle``.

    Attributes:
        oracle: registered oracle name (``xtb``, ``rdkit``, ...).
        property: which of its properties to use (e.g. ``gap`` in eV).
        options: the oracle's own parameters (validated by the oracle).
        timeout_s: wall-time limit of one molecule's call, in seconds (finite); None for no
            limit. A call that passes it, or crashes its worker process, fails that molecule
            alone.
    """

    model_config = ConfigDict(allow_inf_nan=False)

    oracle: str
    property: str
    options: dict[str, Any] = {}
    timeout_s: float | None = Field(default=DEFAULT_ORACLE_TIMEOUT_S, gt=0)


@register_component("oracle")
class OracleComponent(Component):
    """A property computed by an oracle, one call per molecule under the time limit; failures,
    timeouts and crashes are recorded per molecule. The oracle is built when the component is,
    so bad options, a wrong property, a Python function that cannot be imported or a program
    that is not installed fail at start (`ConfigError`), before any molecule is scored.

    The calls run in one worker process of the execution engine (`athanor.execution`), started
    at the first `values` call and kept until `close` (or until the component is garbage
    collected): a hung call is killed with the programs it started, a crash kills only the
    worker, and a fresh worker takes the next molecule. A molecule whose worker died is tried
    again once (`CRASH_ATTEMPTS`); an oracle the worker cannot load raises `WorkerStartError`
    for the whole objective. Scripts that score with oracle components need the
    ``if __name__ == "__main__":`` guard, as the worker process imports the main module.
    """

    Params = OracleParams

    def __init__(self, params: OracleParams):
        super().__init__(params)
        from athanor.oracles import make_oracle

        self.oracle = make_oracle(params.oracle, **params.options)
        if params.property not in self.oracle.properties:
            known = ", ".join(self.oracle.properties)
            raise ConfigError(
                f"oracle {params.oracle!r} has no property {params.property!r} (it has: {known})"
            )
        self._executor: LocalExecutor | None = None
        self._finalizer: weakref.finalize | None = None

    def values(self, mols, smiles) -> tuple[np.ndarray, list[str]]:
        out = np.full(len(smiles), np.nan)
        reasons = [""] * len(smiles)
        for i, evaluation in enumerate(self._evaluate(smiles)):
            if evaluation.ok and self.params.property in evaluation.values:
                out[i] = evaluation.values[self.params.property]
            else:
                reasons[i] = f"oracle {self.params.oracle}: {evaluation.status}: " + (
                    evaluation.message or f"no property '{self.params.property}'"
                )
        return out, reasons

    def __getstate__(self) -> dict[str, Any]:
        """A copy (pickle, deepcopy) starts its own worker when it first scores."""
        return self.__dict__ | {"_executor": None, "_finalizer": None}

    def close(self) -> None:
        """Stop the worker process (a later `values` call starts a new one)."""
        if self._finalizer is not None:
            self._finalizer()
        self._executor = self._finalizer = None

    def _evaluate(self, smiles: Sequence[str]) -> list[Evaluation]:
        """One evaluation per molecule, in order (a timeout or a crash as a failed one).

        An interrupted wait (Ctrl-C, a worker that cannot load the oracle) closes the worker,
        so that no task of this batch is left for the next one.
        """
        from athanor.execution import Task
        from athanor.execution.runner import POLL_INTERVAL_S

        if not smiles:
            return []
        executor, evaluations = self._started_executor(), {}
        try:
            for key, text in enumerate(smiles):
                executor.submit(Task(key, text))
            while len(evaluations) < len(smiles):
                for outcome in executor.poll(POLL_INTERVAL_S):
                    task = outcome.task
                    if outcome.transient and task.attempt < CRASH_ATTEMPTS:  # a dead worker
                        executor.submit(Task(task.key, task.smiles, task.attempt + 1))
                    else:
                        evaluations[task.key] = outcome.evaluation
        except BaseException:
            self.close()
            raise
        return [evaluations[key] for key in range(len(smiles))]

    def _started_executor(self) -> LocalExecutor:
        """The worker pool, started on first use: a worker takes seconds to start (Python,
        RDKit and the oracle's libraries), so it serves every later call too."""
        if self._executor is None:
            from athanor.execution import LocalExecutor

            executor = LocalExecutor(1, timeout_s=self.params.timeout_s)
            executor.start(self.oracle)
            self._executor = executor
            self._finalizer = weakref.finalize(self, executor.close)
        return self._executor
