"""Local process pool with per-call timeouts: the default executor.

Each worker is a spawned process with one thread per native library that holds the oracle and
evaluates one molecule at a time. The driver waits on the workers' pipes and process
sentinels, so it notices at once when a worker answers, crashes (segfault, out-of-memory kill)
or exceeds the per-call timeout; the last two kill the worker with its whole process group
(the programs it started, e.g. a command oracle's executable), and the rest of the batch
carries on. A fresh worker is started only when a queued task needs one.
`concurrent.futures` cannot do this: a dead worker breaks the whole pool and a hung one cannot
be stopped.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess

from athanor.core.errors import ConfigError, WorkerStartError
from athanor.core.records import Evaluation
from athanor.execution.tasks import Outcome, Task, timeout_evaluation
from athanor.execution.worker import READY, serve
from athanor.oracles.base import Oracle

log = logging.getLogger(__name__)


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


def _kill(process: BaseProcess) -> None:
    """SIGKILL a worker and every program it started: its process group (see `serve`).

    The group is signalled before the worker is reaped, so its id cannot belong to another.
    """
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # not yet in a group of its own, so it has started nothing
        process.kill()
    process.join()


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

    def _start_needed(self) -> None:
        """Start workers, up to `workers`, for queued tasks no idle or loading worker will take
        (a killed worker is not replaced before a task needs it)."""
        free = sum(1 for worker in self._pool if worker.task is None)
        missing = min(self.workers - len(self._pool), len(self._queue) - free)
        self._pool += [self._spawn() for _ in range(missing)]

    def _dispatch(self) -> None:
        self._start_needed()
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
                wait([worker.process.sentinel], 1.0)  # its exit status, for the message
                self._retire(worker)
                message = _death_message(worker.process)
                evaluation = Evaluation("failed", message=message, runtime_s=elapsed)
                return Outcome(task, evaluation, transient=True)
        if self.timeout_s is not None and elapsed >= self.timeout_s:
            self._retire(worker)
            evaluation = timeout_evaluation(self.timeout_s, elapsed, "worker killed")
            return Outcome(task, evaluation)
        return None

    def _retire(self, worker: _Worker) -> None:
        """Kill `worker` with the programs it started and free its slot for a fresh one."""
        _kill(worker.process)
        worker.connection.close()
        self._pool.remove(worker)

    def close(self) -> None:
        """Stop every worker: idle ones exit when their pipe closes, busy or still loading ones
        are killed with the programs they started."""
        for worker in self._pool:
            worker.connection.close()
        for worker in self._pool:
            if worker.ready and worker.task is None:
                worker.process.join(5.0)
            if worker.process.exitcode is None:
                _kill(worker.process)
        self._pool, self._queue = [], deque()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
