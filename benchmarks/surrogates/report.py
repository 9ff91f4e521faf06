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
    lines += [
        "",
        "Train mol/CPU-s counts every network: training molecules × epochs × networks / CPU-s "
        "(an ensemble of 5 trains 5). Predict mol/CPU-s is end to end for the whole model "
        "(all its networks), from SMILES.",
        "",
        *_ratios(table),
    ]
    (destination / "results.md").write_text("\n".join(lines) + "\n")
    return table


def _ratios(table: pd.DataFrame) -> list[str]:
    """Each Athanor model relative to chemprop, for each (dataset, split) that has both, and
    whether Athanor's best model (lowest mean RMSE) is at least as accurate."""
    lines = [
        "| dataset | split | model | RMSE model - chemprop | train speed-up | predict speed-up "
        "| memory ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    verdicts = ["", "| dataset | split | best Athanor model | RMSE | chemprop RMSE | ≤ chemprop |",
                "|---|---|---|---|---|---|"]  # fmt: skip
    for (dataset, split), rows in table.groupby(level=[0, 1]):
        models = rows.droplevel([0, 1])
        ours = [m for m in models.index if m.startswith("athanor")]
        if "chemprop" not in models.index or not ours:
            continue
        theirs = models.loc["chemprop"]
        for model in ours:
            row = models.loc[model]

            def ratio(metric: str, row=row, theirs=theirs) -> str:
                return f"{row[(metric, 'mean')] / theirs[(metric, 'mean')]:.2f}x"

            difference = row[("rmse", "mean")] - theirs[("rmse", "mean")]
            lines.append(
                f"| {dataset} | {split} | {model} | {difference:+.3f} "
                f"| {ratio('train_mol_per_cpu_s')} | {ratio('predict_mol_per_cpu_s')} "
                f"| {ratio('peak_rss_mb')} |"
            )
        best = min(ours, key=lambda m: models.loc[m][("rmse", "mean")])
        ours_rmse, theirs_rmse = models.loc[best][("rmse", "mean")], theirs[("rmse", "mean")]
        verdict = "yes" if ours_rmse <= theirs_rmse else "no"
        verdicts.append(
            f"| {dataset} | {split} | {best} | {ours_rmse:.3f} | {theirs_rmse:.3f} | {verdict} |"
        )
    return lines + verdicts
