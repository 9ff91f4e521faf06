"""Figures and self-contained HTML reports (matplotlib imported only when a figure is made)."""

from athanor.reports.html import HtmlReport
from athanor.reports.plots import (
    calibration_plot,
    error_vs_proximity_plot,
    figure_to_html,
    parity_plot,
    save_figure,
)

__all__ = [
    "HtmlReport",
    "calibration_plot",
    "error_vs_proximity_plot",
    "figure_to_html",
    "parity_plot",
    "save_figure",
]
