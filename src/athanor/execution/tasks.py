"""What executors exchange with the runner: tasks in, outcomes out, behind one protocol.

An executor evaluates one molecule per task with an oracle it received once at start-up, and
reports every task exactly once as an `Outcome`, whatever happened to the worker: a result,
a per-call timeout (the worker is killed) or a dead worker (``transient``, worth retrying).
A timeout's message states the limit it ran under, so that a later run with a larger limit
knows to try again. Retries, back-off and the store belong to `athanor.execution.runner`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from athanor.core.records import Evaluation
from athanor.oracles.base import Oracle


@dataclass(frozen=True, slots=True)
class Task:
    """One molecule to evaluate.

    Attributes:
        key: the caller's identifier (the store's molecule id).
        smiles: canonical SMILES given to the oracle.
        attempt: 1 for the first try, incremented on each retry.
    """

    key: int
    smiles: str
    attempt: int = 1


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one task.

    Attributes:
        task: the task it answers.
        evaluation: the oracle's result, or a failure/timeout made by the executor.
        transient: the failure came from the infrastructure (a worker died), not from the
            chemistry; retrying may succeed.
    """

    task: Task
    evaluation: Evaluation
    transient: bool = False


_TIMEOUT_LIMIT = re.compile(r"exceeded the (\d+(?:\.\d*)?(?:e[+-]?\d+)?) s per-call timeout")


def timeout_evaluation(limit_s: float, runtime_s: float, action: str) -> Evaluation:
    """The ``timeout`` result of a call stopped at `limit_s` seconds; `action` says how."""
    message = f"exceeded the {limit_s:.15g} s per-call timeout ({action})"
    return Evaluation("timeout", message=message, runtime_s=runtime_s)


def timeout_limit(message: str) -> float | None:
    """The per-call limit in seconds a `timeout_evaluation` message states; None if it states
    none (e.g. the oracle's own time limit ran out)."""
    match = _TIMEOUT_LIMIT.search(message)
    return None if match is None else float(match.group(1))


class Executor(Protocol):
    """Runs oracle tasks somewhere (local processes, a Ray cluster).

    Attributes:
        workers: tasks evaluated at once.
        timeout_s: per-call wall-time limit in seconds; None for no limit.
    """

    workers: int
    timeout_s: float | None

    def start(self, oracle: Oracle) -> None:
        """Start the workers, each holding a copy of `oracle`."""

    def submit(self, task: Task) -> None:
        """Queue a task; it runs as soon as a worker is free."""

    def poll(self, timeout_s: float) -> list[Outcome]:
        """Outcomes that completed, waiting at most `timeout_s` seconds for the first one."""

    def close(self) -> None:
        """Stop the workers (also on error); tasks still queued are dropped."""
