"""Ray executor: the same tasks on a Ray cluster (or a local Ray instance).

``ray.init(address=None)`` starts Ray on this machine with `workers` CPUs; an address
(``"auto"``, ``"ray://head:10001"``) joins an existing cluster. Worker processes get one
thread per native library through the runtime environment, before any import. Ray's own
retries are off: the runner decides, and records every attempt. A crashed worker is a
transient failure; a task over the per-call timeout is cancelled with ``force=True``, which
kills its worker process. Each task first reports that it has started (Ray may queue it
behind others, and a fresh worker must start and load the oracle): the per-call clock starts
only then, as in the local pool.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterator

from athanor.core.errors import require
from athanor.core.parallel import THREAD_VARIABLES
from athanor.core.records import Evaluation
from athanor.execution.tasks import Outcome, Task, timeout_evaluation
from athanor.execution.worker import evaluate_task
from athanor.oracles.base import Oracle

log = logging.getLogger(__name__)


def evaluate_streamed(oracle: Oracle, smiles: str) -> Iterator[Evaluation | None]:
    """Yield None once the call has started (the oracle is loaded), then its result."""
    yield None
    yield evaluate_task(oracle, smiles)


class RayExecutor:
    """Tasks as Ray remote functions, at most `workers` in flight.

    Args:
        workers: tasks in flight (default: the cluster's CPU count).
        address: Ray cluster address; None starts Ray locally.
        timeout_s: per-molecule wall-time limit in seconds; None for no limit.
    """

    def __init__(
        self, workers: int | None = None, address: str | None = None, timeout_s: float | None = None
    ):
        require("ray", "ray")
        self.workers = workers or 0
        self.address = address
        self.timeout_s = timeout_s
        self._queue: deque[Task] = deque()
        self._running: dict = {}  # ObjectRefGenerator -> (task, start time or None if queued)
        self._started_ray = False

    def start(self, oracle: Oracle) -> None:
        import ray

        if not ray.is_initialized():
            ray.init(
                address=self.address,
                num_cpus=(self.workers or None) if self.address is None else None,
                runtime_env={"env_vars": {name: "1" for name in THREAD_VARIABLES}},
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.WARNING,
            )
            self._started_ray = True
        self.workers = self.workers or int(ray.cluster_resources().get("CPU", 1))
        self._oracle = ray.put(oracle)
        options = {"num_cpus": 1, "max_retries": 0, "num_returns": "streaming"}
        self._remote = ray.remote(**options)(evaluate_streamed)

    def submit(self, task: Task) -> None:
        self._queue.append(task)
        self._dispatch()

    def _dispatch(self) -> None:
        while self._queue and len(self._running) < self.workers:
            task = self._queue.popleft()
            self._running[self._remote.remote(self._oracle, task.smiles)] = (task, None)

    def poll(self, timeout_s: float) -> list[Outcome]:
        import ray

        if not self._running:
            time.sleep(timeout_s)  # nothing can complete (e.g. retries waiting for back-off)
            return []
        ray.wait(list(self._running), num_returns=1, timeout=timeout_s)
        ready, _ = ray.wait(list(self._running), num_returns=len(self._running), timeout=0)
        outcomes = [outcome for call in ready if (outcome := self._advance(call)) is not None]
        outcomes += self._cancel_overdue()
        self._dispatch()
        return outcomes

    def _advance(self, call) -> Outcome | None:
        """Take the item a ready call has yielded: its start (None: the per-call clock starts
        now), or its outcome, a failure if its worker or node was lost."""
        import ray

        task, start = self._running[call]
        try:
            evaluation = ray.get(next(call))
        except ray.exceptions.WorkerCrashedError as error:
            message = f"Ray worker died while evaluating: {type(error).__name__}"
        except ray.exceptions.RayError as error:  # node lost, object lost, ...
            message = f"Ray task failed: {type(error).__name__}: {error}"
        else:
            if start is None:
                self._running[call] = (task, time.perf_counter())
                return None
            del self._running[call]
            return Outcome(task, evaluation)
        del self._running[call]
        runtime_s = 0.0 if start is None else time.perf_counter() - start
        evaluation = Evaluation("failed", message=message, runtime_s=runtime_s)
        return Outcome(task, evaluation, transient=True)

    def _cancel_overdue(self) -> list[Outcome]:
        import ray

        if self.timeout_s is None:
            return []
        now, outcomes = time.perf_counter(), []
        for call, (task, start) in list(self._running.items()):
            if start is not None and now - start >= self.timeout_s:
                ray.cancel(call, force=True)
                del self._running[call]
                evaluation = timeout_evaluation(self.timeout_s, now - start, "task cancelled")
                outcomes.append(Outcome(task, evaluation))
        return outcomes

    def close(self) -> None:
        import ray

        for call in self._running:
            ray.cancel(call, force=True)
        self._running, self._queue = {}, deque()
        if self._started_ray:
            ray.shutdown()
            self._started_ray = False

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
