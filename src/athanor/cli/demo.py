"""`athanor demo`: the end-to-end demo on shipped data."""

from __future__ import annotations

import click


@click.command()
@click.option(
    "--project",
    "-p",
    default="athanor-demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Project directory to create or reuse.",
)
@click.option("--dataset", default="absorption", show_default=True, help="Shipped data set.")
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes (default: all).")
def demo(project: str, dataset: str, jobs: int | None) -> None:
    """Import and validate a shipped data set into a project store, then summarise it."""
    from athanor.workflows.demo import run_demo

    summary = run_demo(project, dataset, n_jobs=jobs)
    report = summary.report
    click.echo(f"\n== Athanor demo: data set '{dataset}' ==")
    click.echo(f"rows: {report.rows} ({report.valid} valid, {report.invalid} invalid)")
    click.echo(f"unique molecules: {summary.unique_molecules}, "
               f"unique conditions: {summary.unique_conditions}, "
               f"Bemis-Murcko scaffolds: {summary.unique_scaffolds}")  # fmt: skip
    click.echo("targets:")
    click.echo(summary.target_stats.round(3).to_string())
    for line, _input, reason, message in report.failures[:5]:
        click.echo(f"invalid line {line}: {reason}: {message}")
    click.echo(f"store: {summary.store_path.resolve()}")
