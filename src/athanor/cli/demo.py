"""`athanor demo`: the end-to-end demo campaign."""

from __future__ import annotations

import click

from athanor.cli.screen import echo_status


@click.command()
@click.option(
    "--project",
    "-p",
    default="athanor-demo",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Project directory to create or reuse (a rerun resumes or reuses every result).",
)
@click.option(
    "--workers", "-j", type=click.IntRange(min=1), default=None, help="xTB worker processes."
)
def demo(project: str, workers: int | None) -> None:
    """Screen 648 enumerated donor–acceptor molecules for organic photovoltaics.

    GFN2-xTB (tblite) computes HOMO/LUMO for the molecules an active-learning loop picks
    (random forest surrogate, UCB, diverse batches, SA ≤ 4.5); the objective is the Scharber
    power-conversion efficiency with PCBM. Ends with the path of an HTML report.
    """
    from athanor.workflows.demo import run_demo

    status, report = run_demo(project, workers)
    echo_status(status)
    click.echo(f"report: {report.resolve()}")
