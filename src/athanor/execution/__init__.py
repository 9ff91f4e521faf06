"""Running oracles at scale: a local process pool or Ray, with the store as the ledger.

>>> from athanor.execution import make_executor, run_oracle
>>> summary = run_oracle(make_oracle("xtb"), smiles, store, make_executor("local", workers=2))

Importing this package does not import Ray.
"""

from __future__ import annotations

from athanor.core.errors import ConfigError
from athanor.execution.local import LocalExecutor
from athanor.execution.runner import RetryPolicy, pending_tasks, run_oracle
from athanor.execution.summary import RunSummary
from athanor.execution.tasks import Executor, Outcome, Task

EXECUTORS = ("local", "ray")


def make_executor(
    kind: str = "local",
    workers: int | None = None,
    *,
    address: str | None = None,
    timeout_s: float | None = None,
) -> Executor:
    """A local process pool (``"local"``) or a Ray executor (``"ray"``).

    Args:
        kind: ``"local"`` or ``"ray"``.
        workers: worker processes (local, default 1) or tasks in flight (Ray, default: the
            cluster's CPUs).
        address: Ray cluster address; None starts Ray on this machine.
        timeout_s: per-molecule wall-time limit in seconds.

    Raises:
        ConfigError: unknown kind, or an address for the local executor.
    """
    if kind == "local":
        if address is not None:
            raise ConfigError("--address is only meaningful with the ray executor")
        return LocalExecutor(workers or 1, timeout_s=timeout_s)
    if kind == "ray":
        from athanor.execution.ray_executor import RayExecutor

        return RayExecutor(workers, address=address, timeout_s=timeout_s)
    raise ConfigError(f"unknown executor {kind!r}; choose one of: {', '.join(EXECUTORS)}")


__all__ = [
    "EXECUTORS",
    "Executor",
    "LocalExecutor",
    "Outcome",
    "RetryPolicy",
    "RunSummary",
    "Task",
    "make_executor",
    "pending_tasks",
    "run_oracle",
]
