"""Collect the per-unit JSON files into ``results.json`` and a markdown table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

METRICS = ("rmse", "mae", "train_mol_per_cpu_s", "predict_mol_per_cpu_s", "peak_rss_mb")


def write_report(results: Path, destination: Path) -> pd.DataFrame:
    """Mean ± sd over seeds per (dataset, split, model); writes results.json and results.md."""
    rows = [json.loads(path.read_text()) for path in sorted(results.glob("*.json"))]
    if not rows:
        return pd.DataFrame()
    frame = pd.DataFrame(rows)
    (destination / "results.json").write_text(json.dumps(rows, indent=1))
    grouped = frame.groupby(["dataset", "split", "model"])
    table = grouped[list(METRICS)].agg(["mean", "std"])
    lines = [
        "| dataset | split | model | seeds | epochs | test RMSE | test MAE | train mol/CPU-s "
        "| predict mol/CPU-s | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (dataset, split, model), row in table.iterrows():
        seeds = grouped.get_group((dataset, split, model))
        cells = [
            f"{row[(m, 'mean')]:.3f} ± {row[(m, 'std')]:.3f}"
            if len(seeds) > 1 and m in ("rmse", "mae")
            else f"{row[(m, 'mean')]:.3f}" if m in ("rmse", "mae")
            else f"{row[(m, 'mean')]:.0f}"
            for m in METRICS
        ]  # fmt: skip
        lines.append(
            f"| {dataset} | {split} | {model} | {len(seeds)} | {seeds['epochs'].iloc[0]} | "
            + " | ".join(cells)
            + " |"
        )
    lines += ["", *_ratios(table)]
    (destination / "results.md").write_text("\n".join(lines) + "\n")
    return table


def _ratios(table: pd.DataFrame) -> list[str]:
    """Athanor relative to chemprop, for each (dataset, split) that has both."""
    lines = [
        "| dataset | split | RMSE athanor - chemprop | train speed-up | predict speed-up "
        "| memory ratio |",
        "|---|---|---|---|---|---|",
    ]
    for (dataset, split), rows in table.groupby(level=[0, 1]):
        models = rows.droplevel([0, 1])
        if not {"athanor", "chemprop"} <= set(models.index):
            continue
        ours, theirs = models.loc["athanor"], models.loc["chemprop"]

        def ratio(metric: str, ours=ours, theirs=theirs) -> str:
            return f"{ours[(metric, 'mean')] / theirs[(metric, 'mean')]:.2f}x"

        difference = ours[("rmse", "mean")] - theirs[("rmse", "mean")]
        lines.append(
            f"| {dataset} | {split} | {difference:+.3f} | {ratio('train_mol_per_cpu_s')} "
            f"| {ratio('predict_mol_per_cpu_s')} | {ratio('peak_rss_mb')} |"
        )
    return lines
