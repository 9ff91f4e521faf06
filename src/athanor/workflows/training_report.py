"""The HTML report of a trained model: test metrics, parity and calibration plots, and error
against distance to the training set (Tanimoto, and the learned embedding where the model
has one), with the resolved configuration."""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from athanor.core.prediction import Prediction
from athanor.datasets.labelled import SplitData
from athanor.evaluation import nearest_cosine_distance, nearest_tanimoto_smiles
from athanor.reports.html import HtmlReport
from athanor.workflows.trained_model import CalibratedPrediction, TrainedModel

logger = logging.getLogger(__name__)

MAX_TASK_PLOTS = 4


def _proximities(trained: TrainedModel, data: SplitData) -> dict[str, np.ndarray]:
    """Per test molecule: nearest Tanimoto similarity (first component) to training, and the
    cosine distance to the nearest training molecule in the learned embedding, if any."""
    train, test = data.train, data.test
    near = {
        "nearest-neighbour Tanimoto similarity to training": nearest_tanimoto_smiles(
            list(test.smiles[:, 0]), list(train.smiles[:, 0])
        )
    }
    embed = getattr(trained.surrogate, "embed", None)
    if embed is not None:
        reference = embed(train.smiles, conditions=train.conditions)
        query = embed(test.smiles, conditions=test.conditions)
        label = "cosine distance to training in the learned embedding"
        near[label] = nearest_cosine_distance(query, reference)
    return near


def _task_figures(
    report: HtmlReport,
    trained: TrainedModel,
    data: SplitData,
    raw: Prediction,
    calibrated: CalibratedPrediction,
) -> None:
    from athanor.reports.plots import calibration_plot, error_vs_proximity_plot, parity_plot

    y = data.test.y
    proximities = _proximities(trained, data)
    for t, name in enumerate(trained.task_names(raw.n_tasks)[:MAX_TASK_PLOTS]):
        mean, std = calibrated.prediction.mean[:, t], calibrated.prediction.std[:, t]
        report.heading(f"Test set: {name}", level=3)
        report.figure(parity_plot(y[:, t], mean, std, title=name), caption="±1 σ (z-scaled)")
        if np.all(raw.std[:, t] > 0):  # a model without uncertainty has no calibration
            figure = calibration_plot(y[:, t], raw.mean[:, t], raw.std[:, t], label="raw σ")
            calibration_plot(y[:, t], mean, std, ax=figure.axes[0], label="z-scaled σ")
            report.figure(figure, caption="Coverage of central Gaussian intervals")
        for label, proximity in proximities.items():
            figure = error_vs_proximity_plot(y[:, t], mean, proximity, xlabel=label)
            report.figure(figure, fmt="png")


def write_training_report(
    trained: TrainedModel,
    data: SplitData,
    raw: Prediction,
    calibrated: CalibratedPrediction,
    metrics: pd.DataFrame,
    path: Path,
    config_text: str = "",
) -> Path | None:
    """Write ``report.html``; None (with a warning) when matplotlib is not installed."""
    if importlib.util.find_spec("matplotlib") is None:
        logger.warning("no report: matplotlib is missing (pip install 'athanor[plots]')")
        return None
    report = HtmlReport(
        f"{trained.surrogate.name} model of {', '.join(trained.task_names(raw.n_tasks))}"
    )
    where = "the validation part" if data.calibration is None else "the calibration rows"
    report.paragraph(f"Rows: {data.sizes()}. Uncertainty calibrated on {where}.")
    report.table(metrics.reset_index(), caption="Test metrics (σ raw and z-scaled)")
    _task_figures(report, trained, data, raw, calibrated)
    if config_text:
        report.heading("Configuration").preformatted(config_text)
    return report.write(path)
