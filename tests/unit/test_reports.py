"""Figures write valid PNG/SVG files and embed in a self-contained HTML page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from athanor.core.errors import InputDataError

pytest.importorskip("matplotlib")

from athanor.reports import (
    HtmlReport,
    calibration_plot,
    error_vs_proximity_plot,
    figure_to_html,
    parity_plot,
    save_figure,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# a reference the browser would fetch: src/href that is neither a fragment nor a data URI
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?!#|data:)""", re.IGNORECASE)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    y = rng.normal(size=200)
    std = np.exp(rng.normal(scale=0.3, size=200))
    mean = y + std * rng.normal(size=200)
    y[:3] = np.nan  # unlabelled rows are dropped
    return y, mean, std, rng.uniform(size=200)


@pytest.fixture(scope="module")
def figures(data):
    y, mean, std, proximity = data
    calibration = calibration_plot(y, mean, std / 2, label="raw")
    calibration_plot(y, mean, std, ax=calibration.axes[0], label="z-scaled")
    return {
        "parity": parity_plot(y, mean, std, title="logS"),
        "calibration": calibration,
        "error_vs_similarity": error_vs_proximity_plot(y, mean, proximity),
    }


@pytest.mark.parametrize("name", ["parity", "calibration", "error_vs_similarity"])
def test_each_figure_writes_valid_png_and_svg(figures, name, tmp_path):
    png, svg = save_figure(figures[name], [tmp_path / f"{name}.png", tmp_path / "svg" / "f.svg"])
    assert png.read_bytes().startswith(PNG_SIGNATURE) and png.stat().st_size > 5000
    root = ET.parse(svg).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 10


def test_svg_output_is_reproducible(figures, tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    save_figure(figures["parity"], first)
    save_figure(figures["parity"], second)
    assert first.read_bytes() == second.read_bytes()


def test_overlaid_calibration_curves_share_one_axes(figures):
    labels = [text.get_text() for text in figures["calibration"].axes[0].get_legend().texts]
    assert len(labels) == 2 and labels[0].startswith("raw (area")


def test_figures_embed_as_inline_svg_or_base64_png(figures):
    svg = figure_to_html(figures["parity"], "svg")
    assert svg.startswith("<svg") and "<?xml" not in svg and "DOCTYPE" not in svg
    png = figure_to_html(figures["parity"], "png")
    assert png.startswith('<img alt="figure" src="data:image/png;base64,iVBORw0KGgo')
    with pytest.raises(InputDataError, match="svg"):
        figure_to_html(figures["parity"], "jpg")


def test_html_report_is_self_contained_and_escapes_text(figures, tmp_path):
    table = pd.DataFrame({"mae": [0.51234, np.nan]}, index=pd.Index(["logS", "logP"], name="task"))
    molecule_svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'
    report = (
        HtmlReport("Model <A> & B")
        .heading("Test set")
        .paragraph("<script>alert(1)</script>")
        .table(table, caption="metrics")
        .figure(figures["parity"], caption="parity")
        .figure(figures["calibration"], fmt="png")
        .figure(molecule_svg, caption="a molecule")
    )
    page = report.write(tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<title>Model &lt;A&gt; &amp; B</title>" in page
    assert "<script" not in page and "<link" not in page and not EXTERNAL.search(page)
    assert "0.512" in page and "–" in page
    assert page.count("<figure>") == 3 and page.count("<svg") == 2
    assert "data:image/png;base64," in page
    with pytest.raises(InputDataError, match="SVG"):
        HtmlReport("x").figure("not a drawing")


def test_plots_take_one_task_at_a_time():
    with pytest.raises(InputDataError, match="one task"):
        parity_plot(np.zeros((5, 2)), np.zeros((5, 2)))
