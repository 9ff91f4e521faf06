"""Uncertainty of Athanor's D-MPNNs through the product's training workflow, one thread.

    nice -n 10 python benchmarks/surrogates/uncertainty.py                  # resumable
    python benchmarks/surrogates/uncertainty.py --report                    # tables only

Each (dataset, split seed, method) unit is one `athanor.workflows.training.train_model` run:
fit on train (best epoch on validation), z-scaling and 90 % conformal intervals fitted on the
calibration rows (``--calibration``: the share of the validation part held out from the epoch
choice, 0.5 by default; 0 calibrates on the whole validation part), scored on the test part.
ESOL, FreeSolv and Lipophilicity use the product's scaffold split (``strategy = "scaffold"``,
seeds 0, 1, 2; not the benchmark's split files), absorption its published fixed splits
(``--absorption-splits``: scaffold by default, also group_by_smiles and random). One JSON
per unit under ``benchmarks/_work/surrogates/uncertainty/``; ``results_uncertainty.{json,md}``
here (its units are written back to a work folder that lacks them, so a run on a fresh clone
adds to the committed report).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd
import torch

from athanor.datasets.labelled import DataConfig, SplitConfig
from athanor.tuning.config import SurrogateSpec
from athanor.workflows.training import TrainConfig, train_model

HERE = Path(__file__).resolve().parent
WORK = HERE.parents[1] / "benchmarks" / "_work" / "surrogates" / "uncertainty"
DATASETS = ("freesolv", "esol", "lipophilicity", "absorption")
METHODS = ("ensemble", "mve", "evidential", "dropout")
ABSORPTION_SPLITS = ("scaffold", "group_by_smiles", "random")
MC_DROPOUT = 0.1  # dropout probability of the "dropout" units (chemprop's default is 0)
REPORTED = ("rmse", "conformal_coverage", "error_sigma_spearman", "coverage_90", "nll")


def unit_config(unit: tuple, epochs: int, members: int, calibration: tuple) -> TrainConfig:
    """The training config of one (dataset, split, seed, method) unit: D-MPNN with chemprop's
    defaults but the uncertainty; `calibration` is (share, source part) of the rows held out
    to calibrate."""
    dataset, split_name, seed, method = unit
    params = {"epochs": epochs, "uncertainty": method}
    if method == "ensemble":
        params["ensemble_size"] = members
    if method == "dropout":
        params["dropout"] = MC_DROPOUT
    fixed = split_name if dataset == "absorption" else None
    share, source = calibration
    split = SplitConfig(fixed=fixed, seed=seed, calibration=share, calibration_source=source)
    return TrainConfig(
        surrogate=SurrogateSpec(model="dmpnn", params=params),
        data=DataConfig(dataset=dataset),
        split=split,
        seed=seed,
        coverage=0.9,
    )


def unit_name(unit: tuple, calibration: tuple) -> str:
    share, source = calibration
    held_out = f"__cal{share:g}" if share else ""  # 0: the first runs' names
    held_out += "train" if share and source == "train" else ""
    return "__".join(map(str, unit)) + held_out


def run_unit(unit: tuple, epochs: int, members: int, calibration: tuple) -> dict:
    """Train, calibrate and test one (dataset, split, seed, method) unit; the test metrics of
    raw and z-scaled σ."""
    dataset, split_name, seed, method = unit
    name = unit_name(unit, calibration)
    config = unit_config(unit, epochs, members, calibration)
    start = time.process_time()
    result = train_model(config, WORK / "runs" / name)
    cpu_s = time.process_time() - start
    metrics = result.metrics.reset_index()
    row = {
        "dataset": dataset,
        "split": f"fixed {split_name}" if dataset == "absorption" else split_name,
        "seed": seed, "method": method, "members": members if method == "ensemble" else 1,
        "epochs": epochs, "calibration": calibration[0], "calibration_source": calibration[1],
        "n_test": int(metrics["n"].iloc[0]),
        "cpu_s": cpu_s,
        "fit_wall_s": result.fit_seconds,
    }  # fmt: skip
    for sigma, part in metrics.groupby("sigma"):
        key = "raw" if sigma == "raw" else "z"
        for metric in REPORTED:
            row[f"{metric}_{key}"] = float(part[metric].iloc[0])
    return row


def restore_committed_units(results: Path) -> None:
    """Write back the units of the committed ``results_uncertainty.json`` that the work folder
    lacks (a fresh clone or machine), so that new units add to the report instead of
    replacing it; a unit in the work folder is not overwritten."""
    committed = HERE / "results_uncertainty.json"
    rows = json.loads(committed.read_text()) if committed.exists() else []
    for row in rows:
        unit = (row["dataset"], row["split"].removeprefix("fixed "), row["seed"], row["method"])
        calibration = (row.get("calibration", 0.0), row.get("calibration_source", "validation"))
        path = results / f"{unit_name(unit, calibration)}.json"
        if not path.exists():
            path.write_text(json.dumps(row, indent=1))


def write_report(results: Path, destination: Path) -> pd.DataFrame:
    """Mean ± sd over seeds per (dataset, method): results_uncertainty.json and .md."""
    rows = [json.loads(path.read_text()) for path in sorted(results.glob("*.json"))]
    if not rows:
        return pd.DataFrame()
    (destination / "results_uncertainty.json").write_text(json.dumps(rows, indent=1))
    frame = pd.DataFrame(rows)
    frame["calibration"] = frame.get("calibration", pd.Series(0.0, index=frame.index)).fillna(0)
    source = frame.get("calibration_source", pd.Series("validation", index=frame.index))
    frame["calibration_source"] = source.fillna("validation")
    columns = {
        "rmse_raw": "test RMSE",
        "conformal_coverage_raw": "90 % conformal coverage",
        "error_sigma_spearman_raw": "Spearman(\\|err\\|, σ)",
        "coverage_90_raw": "Gaussian 90 % coverage, raw σ",
        "coverage_90_z": "Gaussian 90 % coverage, z-scaled σ",
    }
    lines = [
        "| dataset | split | method | calibration rows | seeds | epochs | "
        + " | ".join(columns.values())
        + " |",
        "|---|---|---|---|---|---|" + "---|" * len(columns),
    ]
    keys = ["dataset", "split", "method", "calibration_source", "calibration"]
    groups = frame.sort_values(keys).groupby(keys, sort=False)
    for (dataset, split, method, source, share), group in groups:
        cells = [
            f"{group[c].mean():.3f} ± {group[c].std():.3f}"
            if len(group) > 1
            else f"{group[c].mean():.3f}"
            for c in columns
        ]
        label = f"ensemble of {group['members'].iloc[0]}" if method == "ensemble" else method
        held_out = f"{share:.1%} of {source}" if share else "validation (epoch choice)"
        lines.append(
            f"| {dataset} | {split} | {label} | {held_out} | {len(group)} "
            f"| {group['epochs'].iloc[0]} | " + " | ".join(cells) + " |"
        )
    goal = frame["conformal_coverage_raw"].between(0.88, 0.92)
    lines += [
        "",
        f"Units with conformal coverage in 88–92 %: {int(goal.sum())} of {len(frame)}.",
        "",
        *coverage_over_seeds(frame.loc[frame["calibration"] > 0], keys),
    ]
    (destination / "results_uncertainty.md").write_text("\n".join(lines) + "\n")
    return frame


def coverage_over_seeds(frame: pd.DataFrame, keys: list[str], min_seeds: int = 10) -> list[str]:
    """Markdown table of the conformal coverage of groups run on at least `min_seeds` split
    seeds: mean with its 95 % interval, the sd across seeds against the binomial sd of one
    test set of that size at 90 %, and the share of seeds inside 88–92 %."""
    lines = [
        "| dataset | method | seeds | mean coverage (95 % CI) | sd over seeds "
        "| binomial sd at n_test | seeds in 88–92 % |",
        "|---|---|---|---|---|---|---|",
    ]
    for key, group in frame.groupby(keys):
        if len(group) < min_seeds:
            continue
        coverage = group["conformal_coverage_raw"]
        half = 1.96 * coverage.std() / len(group) ** 0.5
        binomial = (0.9 * 0.1 / group["n_test"].mean()) ** 0.5
        inside = coverage.between(0.88, 0.92).mean()
        lines.append(
            f"| {key[0]} | {key[2]} | {len(group)} | {coverage.mean():.3f} "
            f"({coverage.mean() - half:.3f}–{coverage.mean() + half:.3f}) "
            f"| {coverage.std():.3f} | {binomial:.3f} | {inside:.0%} |"
        )
    return lines if len(lines) > 2 else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="only write the tables")
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--ensemble-size", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--absorption-epochs", type=int, default=10)
    parser.add_argument(
        "--absorption-splits", nargs="+", default=["scaffold"], choices=ABSORPTION_SPLITS
    )
    parser.add_argument(
        "--calibration", type=float, default=0.5, help="share held out to calibrate"
    )
    parser.add_argument(
        "--calibration-source", choices=("validation", "train"), default="validation"
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    results = WORK / "results"
    results.mkdir(parents=True, exist_ok=True)
    restore_committed_units(results)
    units = [] if args.report else [
        (dataset, split, seed, method)
        for seed in args.seeds
        for dataset in args.datasets
        for split in (args.absorption_splits if dataset == "absorption" else ["scaffold"])
        for method in args.methods
        if dataset != "absorption" or seed == args.seeds[0]  # fixed splits: one seed
    ]  # fmt: skip
    for unit in units:
        calibration = (args.calibration, args.calibration_source)
        path = results / f"{unit_name(unit, calibration)}.json"
        if path.exists():
            continue
        epochs = args.absorption_epochs if unit[0] == "absorption" else args.epochs
        print(" ".join(map(str, unit)), "...", flush=True)
        row = run_unit(unit, epochs, args.ensemble_size, calibration)
        path.write_text(json.dumps(row, indent=1))
        print(
            f"  rmse {row['rmse_raw']:.3f}  conformal {row['conformal_coverage_raw']:.3f}  "
            f"spearman {row['error_sigma_spearman_raw']:.3f}",
            flush=True,
        )
        write_report(results, HERE)
    write_report(results, HERE)


if __name__ == "__main__":
    main()
