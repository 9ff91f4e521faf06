"""A small goal-directed comparison of the learned generators under one oracle budget.

Each generator is driven by ask/tell against a PMO objective until `--budget` unique valid
molecules are scored (the objective's cache counts them, as PMO does). Reported: top-1,
top-10 mean and PMO's AUC top-10. `smiles_lm` (the pretrained prior, never updated) is the
no-learning baseline. Meant to rank methods, not to reproduce PMO numbers (budget 10,000).

Usage (from the repository root; one thread):
    nice -n 10 python benchmarks/generation/goal_directed.py --task amlodipine_mpo --budget 500

Writes benchmarks/generation/results/goal_directed_<task>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

import numpy as np
import torch
from distribution import RESULTS

from athanor.generators.registry import make_generator
from athanor.objectives.objective import Objective
from athanor.objectives.pmo_metric import top_k_auc
from athanor.objectives.pmo_tasks import pmo_task

METHODS = {
    "smiles_lm": {},
    "reinvent": {},
    "reinvent_ga": {"ga_fraction": 0.5},
    "vae_bo": {},
}
logger = logging.getLogger("goal_directed")


def run(method: str, task: str, budget: int, batch_size: int, seed: int) -> dict:
    """One optimisation run; returns its record."""
    objective = Objective.from_config(pmo_task(task))
    name = "reinvent" if method.startswith("reinvent") else method
    generator = make_generator(name, seed=seed, **METHODS[method])
    start = time.perf_counter()
    asks = 0
    while objective.cache.n_calls < budget and asks < 10 * budget // batch_size:
        smiles = generator.ask(batch_size)
        generator.tell(smiles, np.asarray(objective(smiles).scores, dtype=float))
        asks += 1
    scores = np.array([float(e.score) for e in objective.cache.entries.values()])[:budget]
    best = np.sort(scores)[::-1]
    record = {
        "method": method, "task": task, "budget": budget, "seed": seed,
        "n_scored": len(scores), "top1": float(best[0]), "top10": float(best[:10].mean()),
        "auc_top10": top_k_auc(scores, k=10, budget=budget, every=min(100, budget)),
        "seconds": round(time.perf_counter() - start, 1),
    }  # fmt: skip
    logger.info("%s", record)
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", default="amlodipine_mpo")
    parser.add_argument("--budget", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--methods", nargs="+", default=list(METHODS))
    args = parser.parse_args()
    torch.set_num_threads(1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    records = [run(m, args.task, args.budget, args.batch_size, args.seed) for m in args.methods]
    stem = RESULTS / f"goal_directed_{args.task}"
    stem.with_suffix(".json").write_text(json.dumps(records, indent=1) + "\n")
    lines = [
        f"# Goal-directed: {args.task}, budget {args.budget}, seed {args.seed}",
        "",
        f"Command: `python {' '.join(sys.argv)}`",
        "",
        "| method | top-1 | top-10 | AUC top-10 | scored | seconds |",
        "|---|---|---|---|---|---|",
        *(f"| {r['method']} | {r['top1']:.3f} | {r['top10']:.3f} | {r['auc_top10']:.3f} | "
          f"{r['n_scored']} | {r['seconds']} |" for r in records),
    ]  # fmt: skip
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
