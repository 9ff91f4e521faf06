"""Cache-hit path: re-running a finished batch of 1,000 molecules makes zero oracle calls.

    python benchmarks/oracles/cache_hit.py [--n 1000] [--repeats 5]

The first run computes the RDKit oracle on every molecule; each re-run is timed end to end
(input look-up, store query, summary) and must start no executor and compute nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import common

from athanor.execution import LocalExecutor, run_oracle
from athanor.oracles import make_oracle
from athanor.store import Store


class ForbiddenExecutor(LocalExecutor):
    """Fails the benchmark if the runner tries to compute anything."""

    def start(self, oracle) -> None:
        raise AssertionError("the cache-hit path started an executor")


def _rerun_times(oracle, molecules, store, repeats: int, expected: int) -> dict:
    """Wall and CPU seconds of `repeats` re-runs that must compute nothing."""
    walls, cpus = [], []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        again = run_oracle(oracle, molecules, store, ForbiddenExecutor(1))
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
        assert again.computed == 0 and again.cached == expected
    return {
        "wall_s": walls,
        "wall_median_s": statistics.median(walls),
        "cpu_median_s": statistics.median(cpus),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    molecules = common.zinc_sample(args.n, seed=2)
    oracle = make_oracle("rdkit")
    with tempfile.TemporaryDirectory() as folder, Store.open(folder) as store:
        start = time.perf_counter()
        first = run_oracle(oracle, molecules, store, LocalExecutor(2))
        first_s = time.perf_counter() - start
        runs = len(store.runs_frame())
        canonical = store.latest_values(oracle.fingerprint)["smiles"].tolist()
        reruns = {
            "raw ZINC SMILES (re-standardised)": _rerun_times(
                oracle, molecules, store, args.repeats, first.computed
            ),
            "canonical SMILES (as stored)": _rerun_times(
                oracle, canonical, store, args.repeats, first.computed
            ),
        }
        assert len(store.runs_frame()) == runs  # no run was started: zero oracle calls
    for label, row in reruns.items():
        print(
            f"re-run from {label}: wall {row['wall_median_s']:.3f} s, "
            f"CPU {row['cpu_median_s']:.3f} s, 0 oracle calls"
        )
    common.write_result(
        "cache_hit",
        {
            "molecules": args.n,
            "computed_first": first.computed,
            "first_run_s": first_s,
            "reruns": reruns,
            "oracle_calls": 0,
        },
    )


if __name__ == "__main__":
    main()
