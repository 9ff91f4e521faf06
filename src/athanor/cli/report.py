"""`athanor report`: the HTML report of a campaign."""

from __future__ import annotations

from pathlib import Path

import click

from athanor.cli.common import project_option


@click.command()
@click.argument("campaign")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="HTML file to write.")
@project_option
def report(campaign: str, output: str | None, project: str) -> None:
    """Write the self-contained HTML report of CAMPAIGN."""
    from athanor.store import Store
    from athanor.workflows.screening import ScreeningCampaign
    from athanor.workflows.screening_report import write_report

    with Store.open(project, create=False) as store:
        opened = ScreeningCampaign.resume(store, campaign)
        path = write_report(opened, output or Path(project) / "reports" / f"{campaign}.html")
    click.echo(f"report: {Path(path).resolve()}")
