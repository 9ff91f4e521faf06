"""The self-contained HTML report of a screening campaign."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from athanor.core.errors import StoreError
from athanor.reports.campaign import expected_best_of_random, molecule_grid_svg, trace_plot
from athanor.reports.html import HtmlReport
from athanor.reports.plots import calibration_plot, parity_plot, svg_element
from athanor.workflows.screening import RUN_KIND, ScreeningCampaign
from athanor.workflows.screening_retune import tuning_history

TOP_K = 10


def _primary(campaign: ScreeningCampaign):
    return campaign.config.all_objectives[0]


def _sign(campaign: ScreeningCampaign) -> float:
    return 1.0 if _primary(campaign).direction == "maximize" else -1.0


def _trace_figure(campaign: ScreeningCampaign, history: pd.DataFrame):
    sign, found = _sign(campaign), history.dropna(subset=["utility"])
    calls = found["call"].to_numpy()
    best = sign * found["utility"].cummax().to_numpy()
    top_k = [
        np.sort(found["utility"].to_numpy()[: i + 1])[-TOP_K:].mean() for i in range(len(found))
    ]
    curves = {
        "best found": (calls, best),
        f"mean of top {TOP_K}": (calls, sign * np.asarray(top_k)),
    }
    first = found[found["round"] == 0]["utility"].to_numpy()
    if campaign.config.loop.initial_design == "random" and len(first) > 1:
        # bootstrap of the random round 0: an estimate capped at round 0's best value
        curves["random search (expected, from round 0)"] = (
            calls,
            sign * expected_best_of_random(first, calls),
        )
    label = f"{_primary(campaign).property} ({_primary(campaign).direction})"
    return trace_plot(curves, ylabel=label, title="Best value against oracle calls")


def _pareto_section(report: HtmlReport, campaign: ScreeningCampaign) -> None:
    """Hypervolume against oracle calls, and the measured front of the first two objectives."""
    from athanor.objectives.pareto import hypervolume, pareto_front
    from athanor.reports.campaign import pareto_plot

    objectives = campaign.config.all_objectives
    history = campaign.history().dropna(subset=["utility"])
    labels = campaign.labels().set_index("molecule_id").loc[history["molecule_id"]]
    utilities = campaign.utilities(labels)
    span = utilities.max(axis=0) - utilities.min(axis=0)
    reference = utilities.min(axis=0) - 0.1 * np.where(span > 0, span, 1.0)
    volumes = [hypervolume(utilities[: i + 1], reference) for i in range(len(utilities))]
    report.heading("Several objectives")
    report.figure(
        trace_plot({"hypervolume": (history["call"].to_numpy(), np.asarray(volumes))},
                   ylabel="hypervolume (utility units)", title="Pareto front growth"),
        "Hypervolume dominated by the measured molecules (reference: the worst measured "
        "value of each objective minus 10 % of its range).",
    )  # fmt: skip
    names = [f"{o.property} ({o.direction})" for o in objectives[:2]]
    values = labels[["value_0", "value_1"]].to_numpy()
    front = pareto_front(utilities)
    report.figure(pareto_plot(values, front, names), "Measured molecules; the front in colour.")
    table = labels.reset_index()[front][["smiles", *(f"value_{i}" for i in range(len(objectives)))]]
    names_all = {f"value_{i}": o.property for i, o in enumerate(objectives)}
    report.table(table.rename(columns=names_all).reset_index(drop=True), "The Pareto front")


def _round_predictions(campaign: ScreeningCampaign, history: pd.DataFrame) -> pd.DataFrame:
    """Prospective check: what the surrogate predicted for each batch, and what was measured."""
    parts = []
    for round_ in sorted(set(history["round"]) - {0}):
        try:
            predicted = campaign.store.read_table(f"screen-{campaign.run_id}-round-{round_}")
        except StoreError:  # a round whose predictions were not stored
            continue
        batch = history[history["round"] == round_][["molecule_id", "utility"]]
        parts.append(batch.merge(predicted, on="molecule_id").assign(round=round_))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _surrogate_figures(report: HtmlReport, rounds: pd.DataFrame) -> None:
    measured = rounds.dropna(subset=["utility"])
    if measured.empty:
        return
    parity = calibration = None
    for round_, part in measured.groupby("round"):
        args = (part["utility"].to_numpy(), part["mean"].to_numpy(), part["std"].to_numpy())
        ax = None if parity is None else parity.axes[0]
        parity = parity_plot(*args, ax=ax, label=f"round {round_}", title="Selected batches")
        ax = None if calibration is None else calibration.axes[0]
        calibration = calibration_plot(*args, ax=ax, label=f"round {round_}")
    report.figure(
        parity,
        "Surrogate prediction (before evaluation) against the oracle value, "
        "in utility units (larger is better).",
    )
    report.figure(calibration, "Calibration of the surrogate's uncertainty on each batch.")


def _best_molecules(report: HtmlReport, campaign: ScreeningCampaign, history: pd.DataFrame):
    best = history.dropna(subset=["value"]).sort_values("utility", ascending=False).head(12)
    prop = _primary(campaign).property
    legends = [
        f"{prop} = {v:.3g} (round {r})" for v, r in zip(best["value"], best["round"], strict=True)
    ]
    report.figure(
        svg_element(molecule_grid_svg(best["smiles"].tolist(), legends)),
        "The best molecules found.",
    )
    report.table(best[["smiles", "value", "round", "call"]].reset_index(drop=True), "Top 12")


def write_report(campaign: ScreeningCampaign, path: str | Path) -> Path:
    """Write the campaign's HTML report to `path` and return it."""
    status, history = campaign.status(), campaign.history()
    report = HtmlReport(f"Screening campaign '{campaign.config.name}'")
    report.paragraph(
        f"{status.calls} oracle calls of {status.budget} ({status.ok} ok, {status.failed} failed), "
        f"{status.round + 1} rounds, pool of {len(campaign.pool)} molecules. Best "
        f"{_primary(campaign).property}: {status.best_value} for {status.best_smiles}."
    )
    if status.ok:
        report.figure(_trace_figure(campaign, history))
        if len(campaign.config.all_objectives) > 1:
            _pareto_section(report, campaign)
        _surrogate_figures(report, _round_predictions(campaign, history))
        _best_molecules(report, campaign, history)
    tuning = tuning_history(campaign.store, campaign.run_id)
    if not tuning.empty:
        report.heading("Surrogate re-tuning")
        report.table(
            tuning,
            "Surrogate parameters from each round on: the search's trials, validation RMSE "
            "(utility units) and seconds.",
        )
    run = campaign.store.runs_frame(RUN_KIND).set_index("id").loc[campaign.run_id]
    report.heading("Configuration, versions and seed")
    report.preformatted(json.dumps(json.loads(run["config"]), indent=2))
    report.preformatted(json.dumps(json.loads(run["environment"]), indent=2))
    return report.write(path)
