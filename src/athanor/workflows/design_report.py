"""The self-contained HTML report of a design campaign.

Sections: score against oracle calls (best and top-10 mean), the Pareto front of the first
two components, the best molecules (drawings with score, SA and component values) and their
novelty against the generator's training set (ZINC250k): nearest-neighbour Tanimoto
similarity to a 20,000-molecule sample (1.0: the molecule, or one with the same fingerprint,
is in the sample).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from athanor.chem.descriptors import qed, sa_score
from athanor.chem.fingerprints import bulk_tanimoto, morgan_fingerprints
from athanor.objectives.pareto import pareto_front
from athanor.reports.campaign import molecule_grid_svg, trace_plot
from athanor.reports.html import HtmlReport
from athanor.reports.plots import svg_element
from athanor.workflows.design import RUN_KIND, DesignCampaign

TOP_K = 10
N_BEST = 12
NOVELTY_SAMPLE = 20_000


def _trace(history: pd.DataFrame, column: str) -> Figure:
    scores = history[column].fillna(0.0).to_numpy()
    calls = history["call"].to_numpy()
    top_k = [np.sort(scores[: i + 1])[-TOP_K:].mean() for i in range(len(scores))]
    curves = {"best": (calls, np.maximum.accumulate(scores)), f"top-{TOP_K} mean": (calls, top_k)}
    return trace_plot(curves, ylabel=column, title="Score against oracle calls")


def _pareto_figure(history: pd.DataFrame, labels: list[str]) -> Figure:
    Y = history[labels].to_numpy(dtype=float)
    Y = Y[np.isfinite(Y).all(axis=1)]
    front = pareto_front(Y)
    figure = Figure(figsize=(5.0, 4.5))
    ax = figure.subplots()
    ax.scatter(Y[~front, 0], Y[~front, 1], s=8, alpha=0.4, label="scored")
    order = np.argsort(Y[front, 0])
    ax.plot(Y[front, 0][order], Y[front, 1][order], "o-", color="C3", label="Pareto front")
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.legend(frameon=False)
    figure.tight_layout()
    return figure


def _best(history: pd.DataFrame, column: str, labels: list[str]) -> pd.DataFrame:
    best = history.dropna(subset=[column]).sort_values(column, ascending=False).head(N_BEST)
    best = best[["smiles", column, "call", *[c for c in labels if c in best]]].copy()
    best["SA"] = [sa_score(s) for s in best["smiles"]]
    best["QED"] = [qed(s) for s in best["smiles"]]
    return best.reset_index(drop=True)


def novelty(smiles: list[str], reference: list[str], seed: int = 0) -> pd.DataFrame:
    """Per molecule, the nearest-neighbour Tanimoto similarity (Morgan radius 2, 2048 bits)
    to a random sample of at most 20,000 reference molecules, and that neighbour."""
    rng = np.random.default_rng(seed)
    sample = rng.choice(len(reference), min(NOVELTY_SAMPLE, len(reference)), replace=False)
    neighbours = [reference[i] for i in sample]
    similarity = bulk_tanimoto(morgan_fingerprints(smiles), morgan_fingerprints(neighbours))
    nearest = similarity.argmax(axis=1)
    return pd.DataFrame({
        "smiles": smiles,
        "nearest_similarity": similarity.max(axis=1),
        "nearest_training_molecule": [neighbours[i] for i in nearest],
    })  # fmt: skip


def _novelty_section(report: HtmlReport, best: pd.DataFrame) -> None:
    from athanor.datasets import load_dataset

    table = novelty(best["smiles"].tolist(), load_dataset("zinc250k")["smiles"].tolist())
    similarity = table["nearest_similarity"]
    report.paragraph(
        f"Novelty of the best {len(table)} against ZINC250k (nearest neighbour in a "
        f"{NOVELTY_SAMPLE:,}-molecule sample): median Tanimoto similarity "
        f"{similarity.median():.2f}; {(similarity < 1).mean():.0%} differ from every sampled "
        "training molecule."
    )
    report.table(table, "Novelty of the best molecules")


def _best_sections(
    report: HtmlReport, history: pd.DataFrame, column: str, labels: list[str]
) -> None:
    """The best molecules (drawings and table) and their novelty."""
    best = _best(history, column, labels)
    pairs = zip(best[column], best["SA"], strict=True)
    legends = [f"{column} {score:.3f}, SA {sa:.2f}" for score, sa in pairs]
    report.figure(svg_element(molecule_grid_svg(best["smiles"].tolist(), legends)),
                  "The best molecules found.")  # fmt: skip
    report.table(best, f"Top {N_BEST}")
    _novelty_section(report, best)


def write_report(campaign: DesignCampaign, path: str | Path) -> Path:
    """Write the campaign's HTML report to `path` and return it."""
    status, history = campaign.status(), campaign.history()
    column, labels = campaign.columns[0], campaign.objective.labels
    report = HtmlReport(f"Design campaign '{campaign.config.name}'")
    report.paragraph(
        f"{status.calls} molecules scored of a budget of {status.budget} ({status.failed} "
        f"failed; {status.invalid} invalid proposals over all sessions), "
        f"{status.round + 1} rounds. "
        f"Best {column}: {status.best_score} for {status.best_smiles}."
    )
    if status.calls:
        report.figure(_trace(history, column))
        if len(labels) >= 2:
            caption = "Raw values of the first two components; the line joins the Pareto front."
            report.figure(_pareto_figure(history, labels[:2]), caption)
    if status.best_score is not None:  # else every molecule failed or was rejected
        _best_sections(report, history, column, labels)
    run = campaign.store.runs_frame(RUN_KIND).set_index("id").loc[campaign.run_id]
    report.heading("Configuration, versions and seed")
    report.preformatted(json.dumps(json.loads(run["config"]), indent=2))
    report.preformatted(json.dumps(json.loads(run["environment"]), indent=2))
    return report.write(path)
