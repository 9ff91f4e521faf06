"""Athanor surrogates vs chemprop 2.3.1, side by side on the same files, one thread each.

    python benchmarks/surrogates/run_benchmark.py --setup          # the chemprop venv, once
    nice -n 10 python benchmarks/surrogates/run_benchmark.py       # all units, resumable
    python benchmarks/surrogates/run_benchmark.py --report         # tables from what finished

Every (dataset, split, seed, model) unit writes one JSON file under ``benchmarks/_work``; units
whose file exists are skipped. Each tool runs as two child processes, ``train`` (CSV in, model
file out) and ``predict`` (model file + CSV in, predictions out), timed end to end from SMILES,
with the peak resident memory of each child from ``wait4``.

Models: ``chemprop``; ``athanor`` (the D-MPNN with its defaults: bf16 matrix products where the
CPU has bf16 instructions); ``athanor_fp32`` (float32 products throughout); ``athanor_ens5`` (a
deep ensemble of 5); ``athanor_rdkit`` and ``chemprop_rdkit`` (each with the RDKit 2-D
descriptors of each molecule, standardised, joined to the learned vector: Athanor's
``molecule_features="descriptors"``, chemprop's ``--molecule-featurizers rdkit_2d``);
``athanor_lightgbm`` (LightGBM on the RDKit 2-D descriptors, trained once: its "epochs" are 1).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from report import write_report
from splits import write_splits

from athanor.core.parallel import single_thread_environment

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WORK = REPO / "benchmarks" / "_work" / "surrogates"
CHEMPROP_VENV = REPO / "benchmarks" / ".venv-chemprop"
MEMBERS = {  # networks per unit
    "chemprop": 1,
    "chemprop_rdkit": 1,
    "athanor": 1,
    "athanor_fp32": 1,
    "athanor_ens5": 5,
    "athanor_rdkit": 1,
    "athanor_lightgbm": 1,
}
MODELS = tuple(MEMBERS)


def setup_chemprop_venv() -> None:
    """Create the chemprop venv; torch is pinned to the local CPU wheel (unpinned pulls GBs)."""
    if not (CHEMPROP_VENV / "bin" / "chemprop").exists():
        subprocess.run([sys.executable, "-m", "venv", str(CHEMPROP_VENV)], check=True)
        pip = str(CHEMPROP_VENV / "bin" / "pip")
        subprocess.run([pip, "install", "chemprop==2.3.1", "torch==2.13.0"], check=True)


def timed_child(command: list[str], log: Path) -> dict[str, float]:
    """Run a command with one thread: wall seconds, CPU seconds (user + system, which stay
    meaningful when other jobs share the machine) and peak RSS in MB."""
    env = single_thread_environment() | {"CUDA_VISIBLE_DEVICES": ""}
    start = time.perf_counter()
    with log.open("w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{command[:3]} failed, see {log}")
    return {
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024,
    }


def smiles_columns(dataset: str) -> list[str]:
    return ["smiles", "solvent"] if dataset == "absorption" else ["smiles"]


def chemprop_commands(folder: Path, out: Path, dataset: str, seed: int, epochs: int, model: str):
    tool = str(CHEMPROP_VENV / "bin" / "chemprop")
    common = ["-s", *smiles_columns(dataset), "-n", "0", "--accelerator", "cpu", "--devices", "1"]
    if model.endswith("_rdkit"):
        common += ["--molecule-featurizers", "rdkit_2d"]
    train = [tool, "train", "-i", *(str(folder / f"{p}.csv") for p in ("train", "val", "test")),
             "--target-columns", "y", "-o", str(out / "model"), "--epochs", str(epochs),
             "--pytorch-seed", str(seed), "--data-seed", str(seed), *common]  # fmt: skip

    def predict() -> list[str]:
        model = next((out / "model").rglob("best*.pt"))
        return [tool, "predict", "-i", str(folder / "predict.csv"), "--model-paths", str(model),
                "-o", str(out / "predictions.csv"), *common]  # fmt: skip

    return train, predict


def athanor_commands(folder: Path, out: Path, dataset: str, seed: int, epochs: int, model: str):
    script = [sys.executable, str(HERE / "athanor_unit.py")]
    columns = ",".join(smiles_columns(dataset))
    precision = "fp32" if model.endswith("_fp32") else "auto"
    features = "descriptors" if model.endswith("_rdkit") else "none"
    train = [*script, "train", str(folder), str(out / "model"), "--columns", columns,
             "--epochs", str(epochs), "--seed", str(seed), "--precision", precision,
             "--ensemble-size", str(MEMBERS[model]), "--molecule-features", features]  # fmt: skip
    if model == "athanor_lightgbm":
        train.append("--lightgbm")

    def predict() -> list[str]:
        return [*script, "predict", str(folder), str(out / "model"), "--columns", columns,
                "--output", str(out / "predictions.csv")]  # fmt: skip

    return train, predict


def write_predict_file(folder: Path) -> int:
    """All rows of the split, test first: throughput is measured on many molecules, accuracy
    on the first n_test rows. Returns n_test."""
    parts = [pd.read_csv(folder / f"{p}.csv") for p in ("test", "val", "train")]
    pd.concat(parts).to_csv(folder / "predict.csv", index=False)
    return len(parts[0])


def run_unit(dataset: str, split: str, seed: int, folder: Path, model: str, epochs: int) -> dict:
    out = WORK / "runs" / f"{dataset}__{split}__{seed}__{model}"
    out.mkdir(parents=True, exist_ok=True)
    n_test = write_predict_file(folder)
    n_train = len(pd.read_csv(folder / "train.csv"))
    members = MEMBERS[model]
    epochs = 1 if model == "athanor_lightgbm" else epochs
    if model.startswith("chemprop"):
        train, predict = chemprop_commands(folder, out, dataset, seed, epochs, model)
    else:
        train, predict = athanor_commands(folder, out, dataset, seed, epochs, model)
    train_run = timed_child(train, out / "train.log")
    predict_run = timed_child(predict(), out / "predict.log")
    observed = pd.read_csv(folder / "predict.csv")["y"].to_numpy()
    predicted = pd.read_csv(out / "predictions.csv")["y"].to_numpy()
    error = predicted[:n_test] - observed[:n_test]
    return {
        "dataset": dataset, "split": split, "seed": seed, "model": model, "epochs": epochs,
        "members": members,
        "n_train": n_train, "n_test": n_test, "n_predicted": len(observed),
        "rmse": float(np.sqrt(np.mean(error**2))), "mae": float(np.mean(np.abs(error))),
        "train_wall_s": train_run["wall_s"], "train_cpu_s": train_run["cpu_s"],
        "predict_wall_s": predict_run["wall_s"], "predict_cpu_s": predict_run["cpu_s"],
        "train_mol_per_cpu_s": n_train * epochs * members / train_run["cpu_s"],
        "predict_mol_per_cpu_s": len(observed) / predict_run["cpu_s"],
        "peak_rss_mb": max(train_run["rss_mb"], predict_run["rss_mb"]),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", action="store_true", help="create the chemprop venv and stop")
    parser.add_argument("--report", action="store_true", help="only write the tables")
    parser.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    parser.add_argument("--datasets", nargs="+", default=None)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--absorption-epochs", type=int, default=10)
    parser.add_argument("--scale-epochs", type=int, default=3, help="epochs on zinc50k")
    args = parser.parse_args()
    if args.setup:
        setup_chemprop_venv()
        return
    results = WORK / "results"
    results.mkdir(parents=True, exist_ok=True)
    units = [] if args.report else write_splits(WORK / "splits", args.seeds)
    units.sort(key=lambda unit: unit[2])  # every data set at seed 0 first
    for dataset, split, seed, folder in units:
        if args.datasets and dataset not in args.datasets:
            continue
        epochs = {"absorption": args.absorption_epochs, "zinc50k": args.scale_epochs}.get(
            dataset, args.epochs
        )
        for model in args.models:
            path = results / f"{dataset}__{split}__{seed}__{model}.json"
            if path.exists():
                continue
            print(f"{dataset} {split} seed {seed} {model} ...", flush=True)
            try:
                result = run_unit(dataset, split, seed, folder, model, epochs)
            except RuntimeError as error:
                print(f"  failed: {error}", flush=True)
                continue
            path.write_text(json.dumps(result, indent=1))
            print(
                f"  rmse {result['rmse']:.3f}  train {result['train_mol_per_cpu_s']:.0f} mol/s",
                flush=True,
            )
            write_report(results, HERE)
    write_report(results, HERE)


if __name__ == "__main__":
    main()
