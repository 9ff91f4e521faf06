"""Local process pool with per-call timeouts: the default executor.

Each worker is a spawned process with one thread per native library that holds the oracle and
evaluates one molecule at a time. The driver waits on the workers' pipes and process
sentinels, so it notices at once when a worker answers, crashes (segfault, out-of-memory kill)
or exceeds the per-call timeout; the last two kill the worker and start a fresh one, and the
rest of the batch carries on. `concurrent.futures` cannot do this: a dead worker breaks the
whole pool and a hung one cannot be stopped.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import pickle
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from athanor.core.errors import AthanorError, ConfigError
from athanor.core.records import Evaluation
from athanor.execution.tasks import Outcome, Task
from athanor.execution.worker import READY, serve
from athanor.oracles.base import Oracle

log = logging.getLogger(__name__)


class WorkerStartError(AthanorError):
    """A worker process died while loading the oracle (a broken installation, not a molecule)."""


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    ready: bool = False
    task: Task | None = None
    started: float = 0.0


def _death_message(process: BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        return f"worker process died ({signal.Signals(-code).name}) while evaluating"
    return f"worker process exited (status {code}) while evaluating"


class LocalExecutor:
    """A pool of worker processes on this machine.

    Args:
        workers: number of processes (each single-threaded).
        timeout_s: per-molecule wall-time limit in seconds; None for no limit.
    """

    def __init__(self, workers: int = 1, timeout_s: float | None = None):
        if workers < 1:
            raise ConfigError(f"workers must be at least 1, got {workers}")
        self.workers = workers
        self.timeout_s = timeout_s
        self._pool: list[_Worker] = []
        self._queue: deque[Task] = deque()
        self._context = multiprocessing.get_context("spawn")
        self._oracle_bytes = b""

    def start(self, oracle: Oracle) -> None:
        self._oracle_bytes = pickle.dumps(oracle)
        self._pool = [self._spawn() for _ in range(self.workers)]

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=serve, args=(child, self._oracle_bytes), daemon=True, name="athanor-worker"
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def submit(self, task: Task) -> None:
        self._queue.append(task)
        self._dispatch()

    def _dispatch(self) -> None:
        for worker in self._pool:
            if worker.ready and worker.task is None and self._queue:
                task = self._queue.popleft()
                worker.task, worker.started = task, time.perf_counter()
                # a worker that died idle shows up as a closed pipe at the next poll
                with contextlib.suppress(OSError):
                    worker.connection.send((task.key, task.smiles))

    def poll(self, timeout_s: float) -> list[Outcome]:
        watched = [w for w in self._pool if w.task is not None or not w.ready]
        if not any(w.task for w in watched) and not self._queue:
            time.sleep(timeout_s)  # nothing can complete (e.g. retries waiting for back-off)
            return []
        handles = [w.connection for w in watched] + [w.process.sentinel for w in watched]
        wait(handles, self._wait(timeout_s))
        outcomes = []
        for worker in watched:
            if not worker.ready:
                self._check_started(worker)
            elif (outcome := self._collect(worker)) is not None:
                outcomes.append(outcome)
        self._dispatch()
        return outcomes

    def _check_started(self, worker: _Worker) -> None:
        """Mark a worker ready once it has loaded the oracle (the per-call clock starts only
        then, so a slow start is not a timeout).

        Raises:
            WorkerStartError: the worker died while loading the oracle.
        """
        if not worker.connection.poll():
            return
        try:
            worker.ready = worker.connection.recv() == READY
        except (EOFError, OSError):
            worker.process.join(1.0)
            raise WorkerStartError(
                f"{_death_message(worker.process).replace('evaluating', 'loading the oracle')}"
                "; its traceback is above"
            ) from None

    def _wait(self, timeout_s: float) -> float:
        if self.timeout_s is None:
            return timeout_s
        now = time.perf_counter()
        busy = [w.started for w in self._pool if w.task is not None]
        if not busy:
            return timeout_s
        first_deadline = min(busy) + self.timeout_s
        return max(0.0, min(timeout_s, first_deadline - now))

    def _collect(self, worker: _Worker) -> Outcome | None:
        """The outcome of a busy worker if it has one: a result, a death or a timeout."""
        task, elapsed = worker.task, time.perf_counter() - worker.started
        if worker.connection.poll():
            try:
                _, evaluation = worker.connection.recv()
                worker.task = None
                return Outcome(task, evaluation)
            except (EOFError, OSError):  # the pipe closed: the worker died
                worker.process.join(1.0)
                message = _death_message(worker.process)
                self._replace(worker)
                evaluation = Evaluation("failed", message=message, runtime_s=elapsed)
                return Outcome(task, evaluation, transient=True)
        if self.timeout_s is not None and elapsed >= self.timeout_s:
            self._replace(worker)
            message = f"exceeded the {self.timeout_s:g} s per-call timeout (worker killed)"
            return Outcome(task, Evaluation("timeout", message=message, runtime_s=elapsed))
        return None

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and put a fresh process in its slot."""
        worker.process.kill()
        worker.process.join()
        worker.connection.close()
        fresh = self._spawn()
        worker.process, worker.connection = fresh.process, fresh.connection
        worker.ready, worker.task = False, None

    def close(self) -> None:
        for worker in self._pool:
            worker.connection.close()  # idle workers return from recv and exit
            if worker.task is not None:
                worker.process.kill()
        for worker in self._pool:
            worker.process.join(5.0)
            if worker.process.is_alive():
                worker.process.kill()
        self._pool, self._queue = [], deque()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
