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

from athanor.core.errors import ConfigError
from athanor.core.records import Evaluation
from athanor.execution.tasks import Outcome, Task
from athanor.execution.worker import serve
from athanor.oracles.base import Oracle

log = logging.getLogger(__name__)


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
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
            if worker.task is None and self._queue:
                task = self._queue.popleft()
                worker.task, worker.started = task, time.perf_counter()
                # a worker that died idle (e.g. could not load the oracle) shows up as a
                # closed pipe at the next poll and is reported there
                with contextlib.suppress(OSError):
                    worker.connection.send((task.key, task.smiles))

    def poll(self, timeout_s: float) -> list[Outcome]:
        busy = [worker for worker in self._pool if worker.task is not None]
        if not busy:
            return []
        wait(
            [w.connection for w in busy] + [w.process.sentinel for w in busy], self._wait(timeout_s)
        )
        outcomes = [outcome for w in busy if (outcome := self._collect(w)) is not None]
        self._dispatch()
        return outcomes

    def _wait(self, timeout_s: float) -> float:
        if self.timeout_s is None:
            return timeout_s
        now = time.perf_counter()
        first_deadline = min(w.started for w in self._pool if w.task) + self.timeout_s
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
        worker.process, worker.connection, worker.task = fresh.process, fresh.connection, None

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
