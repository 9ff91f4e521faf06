"""Parallel efficiency of the xTB oracle with 1 and 2 workers, locally and through Ray, and
the per-task overhead of each executor (a no-op oracle) and of the store write per result.

    python benchmarks/oracles/parallel_efficiency.py [--n 80] [--no-ray]

Executors are timed after their workers are up (start-up is reported separately), on
``submit`` of all tasks to the last outcome.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import common  # sets one thread per library before the oracles import them

from athanor.core.records import Evaluation
from athanor.execution import LocalExecutor, Task
from athanor.oracles import make_oracle
from athanor.oracles.python_fn import PythonOracle


def no_op(smiles: str) -> dict[str, float]:
    """An oracle that does nothing: its wall time per task is the executor's overhead."""
    return {"x": 1.0}


def _drain(executor, tasks: list[Task]) -> float:
    start = time.perf_counter()
    for task in tasks:
        executor.submit(task)
    done = 0
    while done < len(tasks):
        done += len(executor.poll(1.0))
    return time.perf_counter() - start


def _worker_cpu_s(executor) -> float | None:
    """CPU seconds used so far by the local executor's worker processes (Linux /proc);
    None for Ray, whose workers are not our children."""
    if not isinstance(executor, LocalExecutor):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for worker in executor._pool:  # benchmark-only peek at the private pool
        fields = Path(f"/proc/{worker.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def timed_run(executor, oracle, molecules: list[str]) -> dict:
    """Start-up time, then the wall time of `molecules` once every worker has warmed up, and
    the CPU time the workers got meanwhile (on a shared machine, less than a core each)."""
    start = time.perf_counter()
    executor.start(oracle)
    warm_up = [Task(-i - 1, molecules[i % len(molecules)]) for i in range(2 * executor.workers)]
    _drain(executor, warm_up)
    startup = time.perf_counter() - start
    cpu_before = _worker_cpu_s(executor)
    try:
        wall = _drain(executor, [Task(i, s) for i, s in enumerate(molecules)])
        cpu = None if cpu_before is None else _worker_cpu_s(executor) - cpu_before
    finally:
        executor.close()
    row = {
        "workers": executor.workers,
        "startup_s": startup,
        "wall_s": wall,
        "s_per_molecule": wall / len(molecules),
    }
    if cpu is not None:
        row.update(worker_cpu_s_per_molecule=cpu / len(molecules), cores_obtained=cpu / wall)
    return row


def _ray_executor(workers: int):
    from athanor.execution.ray_executor import RayExecutor

    return RayExecutor(workers)


def _scaling(name: str, make_executor, oracle, molecules) -> dict:
    one, two = (timed_run(make_executor(w), oracle, molecules) for w in (1, 2))
    efficiency = one["wall_s"] / (2 * two["wall_s"])
    result = {"executor": name, "one_worker": one, "two_workers": two, "efficiency": efficiency}
    if "cores_obtained" in one:
        # CPU cost per molecule with 2 workers vs 1: the efficiency an idle machine would give
        result["cpu_efficiency"] = (
            one["worker_cpu_s_per_molecule"] / two["worker_cpu_s_per_molecule"]
        )
        print(
            f"{name:6s} cores obtained: {one['cores_obtained']:.2f} (1 worker), "
            f"{two['cores_obtained']:.2f} (2 workers); CPU-time efficiency "
            f"{result['cpu_efficiency']:.0%}"
        )
    print(
        f"{name:6s} xtb 1 worker {one['wall_s']:.1f} s, 2 workers {two['wall_s']:.1f} s: "
        f"efficiency {efficiency:.0%}"
    )
    return result


def _overhead(name: str, make_executor, molecules, xtb_s_per_molecule: float) -> dict:
    noop = PythonOracle.from_function(no_op, {"x": "1"})
    run = timed_run(make_executor(1), noop, molecules)
    share = run["s_per_molecule"] / xtb_s_per_molecule
    print(
        f"{name:6s} per-task overhead {1e3 * run['s_per_molecule']:.2f} ms "
        f"= {share:.1%} of an xTB single point"
    )
    return {"executor": name, **run, "fraction_of_xtb_single_point": share}


def _store_write_cost(n: int = 300) -> float:
    from athanor.chem import standardize
    from athanor.store import Store

    with tempfile.TemporaryDirectory() as folder, Store.open(folder) as store:
        molecule_id = store.add_molecules([standardize("CCO")])[0]
        store.register_oracle("f" * 16, "bench", "1", {}, {"x": "1"})
        evaluation = Evaluation("failed", message="transient", runtime_s=0.0)
        start = time.perf_counter()
        for attempt in range(n):
            store.record_evaluation(
                molecule_id, "f" * 16, evaluation, attempt=attempt, transient=True
            )
        per_write = (time.perf_counter() - start) / n
    print(f"store write per result {1e3 * per_write:.2f} ms")
    return per_write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=80, help="ZINC molecules for the xTB runs")
    parser.add_argument("--n-overhead", type=int, default=300, help="no-op tasks")
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()
    molecules = common.zinc_sample(args.n, seed=1)
    xtb = make_oracle("xtb")
    executors = {"local": LocalExecutor}
    if not args.no_ray:
        import ray

        here = str(Path(__file__).parent)
        ray.init(
            num_cpus=2,
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={"env_vars": {"OMP_NUM_THREADS": "1", "PYTHONPATH": here}},
        )
        executors["ray"] = _ray_executor
    scaling = [_scaling(name, make, xtb, molecules) for name, make in executors.items()]
    xtb_s = scaling[0]["one_worker"]["s_per_molecule"]
    overhead_molecules = (molecules * (args.n_overhead // len(molecules) + 1))[: args.n_overhead]
    overhead = [
        _overhead(name, make, overhead_molecules, xtb_s) for name, make in executors.items()
    ]
    common.write_result(
        "parallel_efficiency",
        {
            "molecules": args.n,
            "cpus": os.cpu_count(),
            "scaling": scaling,
            "overhead": overhead,
            "store_write_s": _store_write_cost(),
        },
    )


if __name__ == "__main__":
    main()
