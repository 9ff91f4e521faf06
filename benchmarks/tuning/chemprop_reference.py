"""chemprop 2.3.1's default D-MPNN on the tuning benchmark's own split of each seed (resumable).

    python benchmarks/surrogates/run_benchmark.py --setup       # the chemprop venv, once
    OMP_NUM_THREADS=1 nice -n 5 python benchmarks/tuning/chemprop_reference.py \\
        --datasets lipophilicity --seeds 0 1 2

The split is the one `run.py` tunes and tests on (`run.split_config`), written as CSV files;
chemprop trains on train (best epoch on validation) for the same epochs as the test fits of
the cell (`run.DMPNN_BUDGETS`) with the split seed as its seed, one thread, and predicts the
test part. One JSON per (dataset, seed) under ``--out``/chemprop; `run.py` adds the column
to its summary.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "surrogates"))
from run import DATASETS, DMPNN_BUDGETS, split_config
from run_benchmark import chemprop_commands, smiles_columns, timed_child

from athanor.datasets.labelled import DataConfig, Part, SplitConfig, load_split_data

HERE = Path(__file__).resolve().parent


def part_frame(part: Part, dataset: str) -> pd.DataFrame:
    """The part as chemprop reads it: the SMILES columns and ``y``."""
    frame = pd.DataFrame(part.smiles, columns=smiles_columns(dataset))
    return frame.assign(y=part.y[:, 0])


def write_split(dataset: str, seed: int, folder: Path) -> None:
    split = load_split_data(DataConfig(dataset=dataset), SplitConfig(**split_config(dataset, seed)))
    folder.mkdir(parents=True, exist_ok=True)
    for name, part in (("train", split.train), ("val", split.val), ("test", split.test)):
        part_frame(part, dataset).to_csv(folder / f"{name}.csv", index=False)
    part_frame(split.test, dataset).to_csv(folder / "predict.csv", index=False)


def run_reference(dataset: str, seed: int, work: Path) -> dict:
    """Train and test chemprop's default on the seed's split: test RMSE and CPU seconds."""
    folder = work / f"{dataset}-seed{seed}"
    write_split(dataset, seed, folder)
    epochs = DMPNN_BUDGETS[dataset][1]["epochs"]
    train, predict = chemprop_commands(folder, folder, dataset, seed, epochs, "chemprop")
    train_run = timed_child(train, folder / "train.log")
    predict_run = timed_child(predict(), folder / "predict.log")
    observed = pd.read_csv(folder / "test.csv")["y"].to_numpy()
    predicted = pd.read_csv(folder / "predictions.csv")["y"].to_numpy()
    return {
        "dataset": dataset,
        "seed": seed,
        "epochs": epochs,
        "n_test": len(observed),
        "test_rmse_chemprop": float(np.sqrt(np.mean((predicted - observed) ** 2))),
        "cpu_seconds": train_run["cpu_s"] + predict_run["cpu_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    (args.out / "chemprop").mkdir(parents=True, exist_ok=True)
    work = HERE.parents[1] / "benchmarks" / "_work" / "tuning-chemprop"
    for dataset in args.datasets:
        seeds = args.seeds[:1] if dataset == "absorption" else args.seeds  # one fixed split
        for seed in seeds:
            path = args.out / "chemprop" / f"{dataset}-seed{seed}.json"
            if not path.exists():
                print(f"{dataset} seed {seed} ...", flush=True)
                path.write_text(json.dumps(run_reference(dataset, seed, work), indent=2))
            print(json.loads(path.read_text()), flush=True)


if __name__ == "__main__":
    main()
