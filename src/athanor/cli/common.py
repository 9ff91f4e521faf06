"""Options and helpers shared by the sub-commands."""

from __future__ import annotations

import click
import pandas as pd

project_option = click.option(
    "--project",
    "-p",
    "project",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Project directory (its store lives in PROJECT/.athanor).",
)


def echo_table(frame: pd.DataFrame, max_rows: int = 20) -> None:
    """Print a DataFrame as an aligned plain-text table."""
    if frame.empty:
        click.echo("(none)")
        return
    click.echo(frame.head(max_rows).to_string(index=False))
    if len(frame) > max_rows:
        click.echo(f"... {len(frame) - max_rows} more rows")
