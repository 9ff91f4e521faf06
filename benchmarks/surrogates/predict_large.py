"""Streaming prediction of a very large file: throughput and peak memory of `athanor predict`.

    python benchmarks/surrogates/predict_large.py [--sizes 100000 1000000] [--models rf dmpnn]

The pool is ZINC-250k repeated up to each size (CSV: smiles, id). For each model, one child
process per size runs `athanor predict` (chunks of 10,000 rows); the anchor, in the same run,
is the model's in-memory `predict` on the smallest size (all rows featurised at once). Memory
is flat when the peak RSS at the largest size is about that at the smallest. Each cell is a
JSON file under results_large/, so the script resumes; --report rewrites summary_large.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
from run_benchmark import timed_child

from athanor.core.config import validate_config
from athanor.datasets import load_dataset
from athanor.workflows.training import TrainConfig, train_model

HERE = Path(__file__).parent
WORK = HERE.parent / "_work" / "predict_large"
RESULTS = HERE / "results_large"
MODELS = {
    "rf": {"n_estimators": 100},
    "dmpnn": {"epochs": 1},  # chemprop's default architecture; one epoch: speed, not accuracy
}
ANCHOR = """
import sys, pandas as pd, torch
from athanor.workflows.trained_model import TrainedModel
torch.set_num_threads(1)
smiles = pd.read_csv(sys.argv[2])["smiles"].tolist()
TrainedModel.load(sys.argv[1]).predict(smiles)
"""


def pool_file(n: int) -> Path:
    path = WORK / f"pool_{n}.csv"
    if not path.exists():
        zinc = load_dataset("zinc250k")["smiles"]
        repeats = -(-n // len(zinc))
        smiles = pd.concat([zinc] * repeats, ignore_index=True).head(n)
        WORK.mkdir(parents=True, exist_ok=True)
        pd.DataFrame({"smiles": smiles, "id": range(n)}).to_csv(path, index=False)
    return path


def model_dir(name: str) -> Path:
    folder = WORK / f"model_{name}"
    if not (folder / "training.json").exists():
        config = validate_config(
            TrainConfig,
            {"surrogate": {"model": name, "params": MODELS[name]}, "data": {"dataset": "esol"}},
        )
        train_model(config, folder)
    return folder


def cell(name: str, n: int, mode: str) -> dict:
    path = RESULTS / f"{name}_{mode}_{n}.json"
    if path.exists():
        return json.loads(path.read_text())
    model, pool = model_dir(name), pool_file(n)
    if mode == "stream":
        athanor = str(Path(sys.executable).parent / "athanor")
        output = WORK / f"out_{name}_{n}.parquet"
        command = [athanor, "predict", str(model), "-i", str(pool), "-o", str(output)]
    else:
        command = [sys.executable, "-c", ANCHOR, str(model), str(pool)]
    row = {"model": name, "rows": n, "mode": mode, **timed_child(command, WORK / "log.txt")}
    row["mol_per_cpu_s"] = n / row["cpu_s"]
    RESULTS.mkdir(exist_ok=True)
    path.write_text(json.dumps(row, indent=1))
    print(row, flush=True)
    return row


def report() -> str:
    rows = [json.loads(p.read_text()) for p in sorted(RESULTS.glob("*.json"))]
    frame = pd.DataFrame(rows).sort_values(["model", "mode", "rows"])
    lines = ["| model | mode | rows | wall s | CPU s | mol/CPU-s | peak RSS MB |", "|" + "---|" * 7]
    for r in frame.itertuples():
        lines.append(
            f"| {r.model} | {r.mode} | {r.rows:,} | {r.wall_s:.0f} | {r.cpu_s:.0f} | "
            f"{r.mol_per_cpu_s:.0f} | {r.rss_mb:.0f} |"
        )
    text = "\n".join(lines) + "\n"
    (HERE / "summary_large.md").write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    parser.add_argument("--report", action="store_true", help="only rewrite the summary")
    args = parser.parse_args()
    if not args.report:
        for name in args.models:
            cell(name, min(args.sizes), "in_memory")
            for n in sorted(args.sizes):
                cell(name, n, "stream")
    print(report())


if __name__ == "__main__":
    main()
