"""A self-contained HTML page (inline CSS and figures, no external resources) from sections."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from athanor.reports.plots import figure_to_html, svg_element

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
h1, h2, h3 { font-weight: 600; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }
figure { margin: 1rem 0; }
figure svg, figure img { max-width: 100%; height: auto; }
figcaption, .caption { color: #555; font-size: 0.9rem; }
"""


class HtmlReport:
    """Builds a report page block by block; every method returns the report for chaining.

    Example:
        >>> report = HtmlReport("Solubility model").heading("Test set")
        >>> report.table(metrics).figure(parity_plot(y, mu), caption="Parity").write(path)
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self._blocks: list[str] = []

    def heading(self, text: str, level: int = 2) -> HtmlReport:
        """A section heading, level 2 (section) to 4."""
        level = min(max(level, 2), 4)
        self._blocks.append(f"<h{level}>{html.escape(text)}</h{level}>")
        return self

    def paragraph(self, text: str) -> HtmlReport:
        """A paragraph of plain text (escaped)."""
        self._blocks.append(f"<p>{html.escape(text)}</p>")
        return self

    def preformatted(self, text: str) -> HtmlReport:
        """A block of monospaced text (escaped), e.g. a configuration."""
        self._blocks.append(f"<pre>{html.escape(text)}</pre>")
        return self

    def table(self, frame: pd.DataFrame, caption: str = "", digits: int = 3) -> HtmlReport:
        """A DataFrame as a table, floats to `digits` significant digits, NaN as a dash."""
        body = frame.to_html(border=0, na_rep="–", float_format=lambda value: f"{value:.{digits}g}")
        if caption:
            body = f'<p class="caption">{html.escape(caption)}</p>\n{body}'
        self._blocks.append(body)
        return self

    def figure(self, figure: Figure | str, caption: str = "", fmt: str = "svg") -> HtmlReport:
        """A matplotlib figure embedded inline (``svg`` or base64 ``png``), or SVG markup.

        Args:
            figure: a matplotlib figure, or an SVG document as text (e.g. an RDKit drawing
                from ``MolDraw2DSVG``), which must itself refer to nothing external.
            caption: text under the figure.
            fmt: ``svg`` (sharp, searchable) or ``png`` (smaller for many points).
        """
        markup = svg_element(figure) if isinstance(figure, str) else figure_to_html(figure, fmt)
        caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        self._blocks.append(f"<figure>\n{markup}\n{caption_html}</figure>")
        return self

    def render(self) -> str:
        """The whole page as one HTML document."""
        title = html.escape(self.title)
        body = "\n".join(self._blocks)
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n"
            f"<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n"
        )

    def write(self, path: str | Path) -> Path:
        """Write the page (UTF-8) and return its path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.render(), encoding="utf-8")
        return path
