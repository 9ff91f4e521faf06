"""`athanor predict MODEL`: predictions for every row of a molecule file, in chunks."""

from __future__ import annotations

import click

from athanor.core.errors import InputDataError
from athanor.workflows.prediction import FileSummary

MAX_LISTED = 10

file_options = [
    click.argument("model", type=click.Path(file_okay=False)),
    click.option(
        "--input",
        "-i",
        "input_path",
        required=True,
        type=click.Path(dir_okay=False),
        help="CSV/TSV/SMILES/SDF/Parquet, gzip allowed (SDF: SMILES from the mol blocks).",
    ),
    click.option(
        "--output",
        "-o",
        required=True,
        type=click.Path(dir_okay=False),
        help=".csv, .csv.gz or .parquet",
    ),
    click.option("--smiles", multiple=True, help="Molecule column(s); default: the model's."),
    click.option("--chunk-size", default=10_000, show_default=True, type=click.IntRange(min=1)),
]


def with_file_options(command):
    """The arguments shared by `predict` and `embed`."""
    for option in reversed(file_options):
        command = option(command)
    return command


def echo_summary(summary: FileSummary, what: str) -> None:
    """Rows written, and the first skipped rows with their line numbers.

    Raises:
        InputDataError: the input had rows and none could be used (a wrong column, say),
            so that the command fails rather than leaving an empty output unnoticed.
    """
    click.echo(f"{what} {summary.predicted} of {summary.rows} rows -> {summary.output}")
    if summary.skipped:
        click.echo(f"{summary.skipped} rows skipped:", err=True)
        for line, reason in summary.invalid[:MAX_LISTED]:
            click.echo(f"  {summary.position} {line}: {reason}", err=True)
        if summary.skipped > MAX_LISTED:
            click.echo(f"  ... {summary.skipped - MAX_LISTED} more (see -v)", err=True)
    if summary.rows and not summary.predicted:
        raise InputDataError(f"none of the {summary.rows} rows could be {what}")


@click.command()
@with_file_options
def predict(
    model: str, input_path: str, output: str, smiles: tuple[str, ...], chunk_size: int
) -> None:
    """Predict with the trained MODEL folder; every input column is kept."""
    from athanor.workflows.prediction import predict_file

    summary = predict_file(model, input_path, output, list(smiles) or None, chunk_size)
    echo_summary(summary, "predicted")
