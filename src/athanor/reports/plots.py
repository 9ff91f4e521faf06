"""Evaluation figures: parity, calibration and error against distance to the training set.

Each function draws one task (vectors of shape (n,); NaN targets are dropped) on a new figure,
or on the given axes to overlay several models, and returns the matplotlib `Figure`. Save it
with `save_figure` (PNG, SVG, PDF by suffix) or inline it in HTML with `figure_to_html`.
Figures are built without pyplot (Agg rendering, no global state, nothing to close), and
matplotlib is imported only when a figure is made (extra ``athanor[plots]``).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from athanor.core.errors import InputDataError, require
from athanor.evaluation.metrics import mae, r2, rmse
from athanor.evaluation.similarity import error_vs_proximity
from athanor.evaluation.uncertainty import CURVE_LEVELS, calibration_curve, miscalibration_area

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Fixed SVG ids and no date: the same figure gives the same file.
_SVG_RC = {"svg.hashsalt": "athanor", "svg.fonttype": "path"}
_NO_METADATA = {"svg": {"Date": None, "Creator": None, "Format": None, "Type": None}}


def _axes(ax: Axes | None, figsize: tuple[float, float] = (4.5, 4.5)) -> Axes:
    """The given axes, or those of a new pyplot-free figure."""
    if ax is not None:
        return ax
    require("matplotlib", "plots")
    from matplotlib.figure import Figure

    figure = Figure(figsize=figsize)
    return figure.add_subplot()


def _labelled(*columns: np.ndarray | None) -> list[np.ndarray | None]:
    """The columns (n,) restricted to rows where the first (the targets) is not NaN."""
    arrays = [None if c is None else np.asarray(c, dtype=np.float64) for c in columns]
    if any(a is not None and (a.ndim != 1 or a.shape != arrays[0].shape) for a in arrays):
        raise InputDataError("plot inputs must be vectors of one shape (n,): one task at a time")
    keep = ~np.isnan(arrays[0])
    return [None if a is None else a[keep] for a in arrays]


def parity_plot(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    y_std: np.ndarray | None = None,
    *,
    ax: Axes | None = None,
    title: str = "",
    label: str | None = None,
) -> Figure:
    """Predicted against measured values with the y = x line, and MAE, RMSE, R² in a corner.

    Args:
        y_true: shape (n,), NaN rows dropped.
        y_pred: shape (n,).
        y_std: shape (n,), drawn as ±1 σ error bars when given.
        ax: axes to draw on; a new figure when None.
        title: axes title, e.g. the task name and its unit.
        label: legend label of the points (to tell overlaid models apart).
    """
    y, mean, std = _labelled(y_true, y_pred, y_std)
    ax = _axes(ax)
    ax.errorbar(y, mean, yerr=std, fmt="o", ms=3, alpha=0.5, elinewidth=0.6, label=label)
    values = np.concatenate([y, mean])
    low, high = np.nanmin(values), np.nanmax(values)
    margin = 0.05 * (high - low or 1.0)
    limits = (low - margin, high + margin)
    ax.plot(limits, limits, color="0.4", lw=1, ls="--")
    ax.set(xlim=limits, ylim=limits, xlabel="measured", ylabel="predicted", title=title)
    ax.set_aspect("equal")
    scores = f"MAE {mae(y, mean)[0]:.3g}\nRMSE {rmse(y, mean)[0]:.3g}\nR² {r2(y, mean)[0]:.3f}"
    ax.text(0.04, 0.96, scores, transform=ax.transAxes, va="top", fontsize=8)
    if label is not None:
        ax.legend(loc="lower right")
    return ax.figure


def calibration_plot(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    y_std: np.ndarray,
    *,
    ax: Axes | None = None,
    title: str = "",
    label: str = "model",
) -> Figure:
    """Observed against expected coverage of central Gaussian intervals (the diagonal is ideal).

    Args:
        y_true: shape (n,), NaN rows dropped.
        y_pred: shape (n,).
        y_std: shape (n,), > 0.
        ax: axes to draw on, e.g. to overlay the curve after `ZScaling`; a new figure when None.
        title: axes title.
        label: legend label; the miscalibration area is appended.
    """
    y, mean, std = _labelled(y_true, y_pred, y_std)
    observed = calibration_curve(y, mean, std)
    area = miscalibration_area(y, mean, std)[0]
    ax = _axes(ax)
    ax.plot([0, 1], [0, 1], color="0.4", lw=1, ls="--")
    (line,) = ax.plot(CURVE_LEVELS, observed, label=f"{label} (area {area:.3f})")
    ax.fill_between(CURVE_LEVELS, CURVE_LEVELS, observed, color=line.get_color(), alpha=0.15)
    ax.set(xlim=(0, 1), ylim=(0, 1), title=title)
    ax.set(xlabel="expected coverage", ylabel="observed coverage")
    ax.set_aspect("equal")
    ax.legend(loc="upper left")
    return ax.figure


def error_vs_proximity_plot(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    proximity: np.ndarray,
    bins: int | Sequence[float] = 5,
    *,
    ax: Axes | None = None,
    xlabel: str = "nearest-neighbour Tanimoto similarity to training",
    title: str = "",
) -> Figure:
    """|error| of each molecule against its proximity to training, with the MAE per bin.

    Args:
        y_true: shape (n,), NaN rows dropped.
        y_pred: shape (n,).
        proximity: shape (n,), e.g. from `nearest_tanimoto_smiles` or
            `nearest_cosine_distance` (then pass an ``xlabel`` saying so).
        bins: see `athanor.evaluation.proximity_bins`.
        ax: axes to draw on; a new figure when None.
        xlabel: the x-axis label, naming the proximity.
        title: axes title.
    """
    y, mean, near = _labelled(y_true, y_pred, proximity)
    analysis = error_vs_proximity(y, mean, near, bins)
    ax = _axes(ax, figsize=(5.5, 4))
    ax.scatter(near, np.abs(y - mean), s=6, alpha=0.3, color="0.5", label="molecules")
    table = analysis.table
    ax.plot(table["proximity_mean"], table["mae"], "o-", color="C3", label="MAE per bin")
    ax.set(xlabel=xlabel, ylabel="|error|")
    ax.set_title(title or f"Spearman ρ(proximity, |error|) = {analysis.spearman.iloc[0]:.2f}")
    ax.legend()
    return ax.figure


def _write(figure: Figure, target: Path | io.BytesIO, fmt: str) -> None:
    """Render with fixed SVG ids, no date stamp and tight bounds (the same bytes every time)."""
    from matplotlib import rc_context

    with rc_context(_SVG_RC):
        figure.savefig(
            target, format=fmt, dpi=150, bbox_inches="tight", metadata=_NO_METADATA.get(fmt)
        )


def save_figure(figure: Figure, paths: str | Path | Sequence[str | Path]) -> list[Path]:
    """Write the figure to one or more files, the format given by each suffix (.png, .svg).

    Returns:
        the paths written.
    """
    paths = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write(figure, path, path.suffix.lstrip(".").lower())
    return paths


def figure_to_html(figure: Figure, fmt: str = "svg") -> str:
    """The figure as a self-contained HTML fragment: inline ``<svg>`` or a base64 PNG ``<img>``.

    Raises:
        InputDataError: if `fmt` is neither ``svg`` nor ``png``.
    """
    if fmt not in ("svg", "png"):
        raise InputDataError(f"figures embed as 'svg' or 'png', not '{fmt}'")
    buffer = io.BytesIO()
    _write(figure, buffer, fmt)
    if fmt == "png":
        encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
        return f'<img alt="figure" src="data:image/png;base64,{encoded}">'
    return svg_element(buffer.getvalue().decode("utf-8"))


def svg_element(document: str) -> str:
    """The ``<svg>`` element of an SVG document, without XML declaration or doctype, to inline.

    Raises:
        InputDataError: if the text contains no ``<svg`` element.
    """
    start = document.find("<svg")
    if start < 0:
        raise InputDataError("not an SVG document: no <svg> element")
    return document[start:]
