"""Default against tuned surrogates on scaffold splits, several seeds (resumable).

For each dataset × model × seed: tune on the seed's scaffold split (validation part only),
then fit the default and the tuned model with ``--model-seeds`` model seeds each and score
the test part. One JSON file per cell under ``--out``; finished cells are skipped and stopped
studies resume from the SQLite storage, so the script can be killed and rerun. A cell with
fewer trials than ``--n-trials`` is tuned further (its study resumes) and scored again. A cell
scored under another test protocol (final parameters, model seeds) is scored again from its
recorded tuned parameters, without tuning again. ``summary.md`` is rewritten each time.

    python benchmarks/tuning/run.py                       # the full benchmark (hours)
    python benchmarks/tuning/run.py --datasets esol --models rf --seeds 0 --n-trials 2 \\
        --fixed n_estimators=50 --model-seeds 1 --out /tmp/tuning-smoke   # a smoke test

``--trial-seeds N`` scores each trial by the mean validation error of N model seeds (its
studies have another fingerprint: give it its own ``--out``).
"""

from __future__ import annotations

import argparse
import json
import logging
import shlex
import sys
import time
from pathlib import Path

import pandas as pd
import torch

from athanor.core.config import validate_config
from athanor.core.provenance import environment
from athanor.datasets.labelled import load_split_data
from athanor.tuning import TuneConfig, tune
from athanor.tuning.pipeline import output_dir
from athanor.tuning.results import compare_on_test
from athanor.tuning.study import finished_trials

HERE = Path(__file__).parent
DATASETS = ("absorption", "lipophilicity")
MODELS = ("dmpnn", "lightgbm")
# (trial, final) training budgets: short trainings keep a trial affordable on CPU; the
# default and the tuned model then both train the final budget on test (no early stopping),
# so the comparison is of architectures alone. Absorption (28,734 rows, ~4 CPU min an epoch)
# trains 10 epochs, as chemprop and Athanor did on it in benchmarks/surrogates.
DMPNN_BUDGETS = {
    "lipophilicity": ({"epochs": 30, "patience": 10}, {"epochs": 50, "patience": None}),
    "absorption": ({"epochs": 5, "patience": None}, {"epochs": 10, "patience": None}),
}
# chemprop's hyperopt space (the product default) reaches hidden size 2,400 and 3-member
# ensembles: one such trial costs ~100x the default model. On 2 cores the benchmark searches
# the affordable corner of it (a trial costs 1-5x the default).
DMPNN_RANGES = {
    "depth": {"int": (2, 5)},
    "hidden_size": {"int": (300, 700), "step": 100},
    "ffn_hidden_size": {"int": (300, 700), "step": 100},
    "ffn_layers": {"int": (1, 2)},
    "dropout": {"float": (0.0, 0.3)},
    "max_lr": {"float": (3e-4, 3e-3), "log": True},
    "batch_size": {"choice": [32, 64, 128]},
    "aggregation": {"choice": ["mean", "sum", "norm"]},
}


def test_seeds(args: argparse.Namespace, seed: int) -> list[int]:
    """Model seeds of the test comparison on split ``seed`` (the split seed first)."""
    return [seed + 100 * i for i in range(args.model_seeds)]


def split_config(dataset: str, seed: int) -> dict:
    """The seed's scaffold split; for the dye-in-solvent set its published scaffold split
    (the one chemprop ran on), the seed then varying the search and the model seeds. The
    whole validation part selects: nothing is calibrated here."""
    if dataset == "absorption":
        return {"fixed": "scaffold", "calibration": 0}
    return {"strategy": "scaffold", "seed": seed, "calibration": 0}


def cell_config(args: argparse.Namespace, dataset: str, model: str, seed: int) -> TuneConfig:
    space = {"fixed": args.fixed, "ranges": None}
    if model == "dmpnn":
        trial, final = DMPNN_BUDGETS[dataset]
        fixed = {**trial, "ensemble_size": 1, **args.fixed}
        space = {"fixed": fixed, "ranges": DMPNN_RANGES, "final": final}
    return validate_config(
        TuneConfig,
        {
            "study": f"{dataset}-{model}-seed{seed}",
            "model": model,
            "data": {"dataset": dataset},
            "split": split_config(dataset, seed),
            "space": space,
            "n_trials": args.n_trials,
            "seed": seed,
            "trial_seeds": args.trial_seeds,
            "test_seeds": test_seeds(args, seed),
        },
    )


def protocol(config: TuneConfig) -> dict:
    """What the test scores depend on besides the tuned parameters."""
    return {"final": config.search_space().final, "test_seeds": config.test_seeds}


def scores(comparison: pd.DataFrame) -> dict:
    """Test RMSE of default and tuned models: mean over model seeds, and each seed's."""
    rmse = comparison.groupby("model")["test_rmse"]
    return {
        "test_rmse_default": float(rmse.mean()["default"]),
        "test_rmse_tuned": float(rmse.mean()["tuned"]),
        "test_rmse_by_model_seed": {label: list(values) for label, values in rmse},
    }


def run_cell(config: TuneConfig, out: Path, earlier: dict | None = None) -> dict:
    """Tune (or, given the ``earlier`` record of a cell with fewer trials, tune further:
    its study resumes) and score on test; CPU seconds add up over the cell's runs."""
    start_cpu = time.process_time() - (earlier["cpu_seconds"] if earlier else 0.0)
    result = tune(config, out)
    return {
        "dataset": config.data.dataset,
        "model": config.model,
        "seed": config.seed,
        "n_trials": finished_trials(result.study),  # not the failed trials of killed runs
        "val_rmse_tuned": result.best_value,
        "tuned_params": result.best_params,
        **scores(result.comparison),
        "protocol": protocol(config),
        "cpu_seconds": time.process_time() - start_cpu,
        "environment": environment(),
    }


def rescore_cell(config: TuneConfig, cell: dict, out: Path) -> dict:
    """The cell's tuned parameters under the current protocol, without tuning again."""
    start_cpu = time.process_time()
    params = config.search_space().tuned(cell["tuned_params"])
    data = load_split_data(config.data, config.split)
    comparison = compare_on_test(config, params, data, output_dir(config, out) / "test_fits")
    tuning_cpu = cell.get("cpu_seconds_tuning", cell["cpu_seconds"])
    return {
        **cell,
        "tuned_params": params,
        **scores(comparison),
        "protocol": protocol(config),
        "cpu_seconds_tuning": tuning_cpu,
        "cpu_seconds": tuning_cpu + time.process_time() - start_cpu,
        "environment": environment(),
    }


def _spread(values: pd.Series) -> str:
    """Mean ± standard deviation over seeds (the mean alone for one seed)."""
    if len(values) < 2:
        return f"{values.mean():.3f}"
    return f"{values.mean():.3f} ± {values.std(ddof=1):.3f}"


def chemprop_reference(out: Path, dataset: str, seeds: pd.Series) -> str:
    """chemprop's default on the same splits (`chemprop_reference.py`), or "–" if not run."""
    paths = [out / "chemprop" / f"{dataset}-seed{seed}.json" for seed in seeds]
    rmse = [json.loads(path.read_text())["test_rmse_chemprop"] for path in paths if path.exists()]
    return _spread(pd.Series(rmse)) if rmse else "–"


def summarize(out: Path, command: str) -> Path:
    cells = [json.loads(p.read_text()) for p in sorted(out.glob("cells/*.json"))]
    frame = pd.DataFrame(cells)
    lines = [
        "# Default vs. tuned surrogates (test RMSE, scaffold split)",
        "",
        f"Command: `{command}`",
        "",
        "| dataset | model | seeds | model seeds | trials | default | tuned | "
        "tuned - default | chemprop default | CPU s (tuning + test) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    if not frame.empty:
        for (dataset, model), group in frame.groupby(["dataset", "model"]):
            default, tuned = group["test_rmse_default"], group["test_rmse_tuned"]
            model_seeds = sorted({len(cell["test_seeds"]) for cell in group["protocol"]})
            lines.append(
                f"| {dataset} | {model} | {len(group)} | {'/'.join(map(str, model_seeds))} | "
                f"{int(group['n_trials'].mean())} | "
                f"{_spread(default)} | {_spread(tuned)} | {_spread(tuned - default)} | "
                f"{chemprop_reference(out, dataset, group['seed'])} | "
                f"{group['cpu_seconds'].sum():.0f} |"
            )
    lines += [
        "",
        "Each seed's RMSE is the mean over its model seeds; ± is the standard deviation over",
        "seeds; tuned - default is paired by seed. A seed sets the scaffold split, the search",
        "and the model seeds; absorption has one (published) scaffold split. CPU time is that",
        "of each cell's tuning runs and test fits (a cell tuned further adds its new trials;",
        "older cells count their last run only), summed over seeds. chemprop default:",
        "chemprop 2.3.1's default D-MPNN on the same splits, one model seed each, the test",
        "fits' epochs (`chemprop_reference.py`).",
    ]
    path = out / "summary.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def parse_fixed(items: list[str]) -> dict:
    fixed = {}
    for item in items:
        key, _, value = item.partition("=")
        fixed[key] = json.loads(value) if value[:1] in "0123456789-[" else value
    return fixed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--n-trials", type=int, default=30)
    parser.add_argument("--model-seeds", type=int, default=3, help="test fits per split")
    parser.add_argument("--trial-seeds", type=int, default=1, help="fits per trial (mean)")
    parser.add_argument("--fixed", nargs="*", default=[], help="KEY=VALUE held fixed")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args()
    args.fixed = parse_fixed(args.fixed)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    torch.set_num_threads(1)
    (args.out / "cells").mkdir(parents=True, exist_ok=True)
    command = "python " + shlex.join(["benchmarks/tuning/run.py", *sys.argv[1:]])
    for dataset in args.datasets:
        for model in args.models:
            for seed in args.seeds:
                config = cell_config(args, dataset, model, seed)
                path = args.out / "cells" / f"{dataset}-{model}-seed{seed}.json"
                cell = json.loads(path.read_text()) if path.exists() else None
                if cell is None or cell["n_trials"] < args.n_trials:
                    path.write_text(json.dumps(run_cell(config, args.out, cell), indent=2))
                cell = json.loads(path.read_text())
                if cell.get("protocol") != protocol(config):
                    path.write_text(json.dumps(rescore_cell(config, cell, args.out), indent=2))
                summarize(args.out, command)
    print(summarize(args.out, command).read_text())


if __name__ == "__main__":
    main()
