"""`athanor design`: generative design campaigns (run, status, report)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click

from athanor.cli.common import project_option


def _echo_status(status) -> None:
    for key, value in asdict(status).items():
        click.echo(f"{key:12s} {value}")


@click.group()
def design() -> None:
    """Generate molecules that maximise an objective (graph GA and other generators)."""


@design.command("run")
@click.argument("config", type=click.Path(exists=True, dir_okay=False))
@project_option
@click.option(
    "--report/--no-report", default=True, show_default=True, help="Write the HTML report."
)
def run(config: str, project: str, report: bool) -> None:
    """Run (or resume) the campaign described in CONFIG (TOML).

    Scores are committed to the project store as they are computed, a few molecules at a
    time, so an interrupted run loses at most the few it was scoring and continues where it
    stopped, without scoring a committed molecule twice.
    """
    from athanor.store import Store
    from athanor.workflows.design import DesignCampaign
    from athanor.workflows.design_config import load_design_config

    design_config = load_design_config(config)
    with Store.open(project) as store:
        campaign = DesignCampaign.open(store, design_config)
        _echo_status(campaign.run())
        if report:
            _write_report(campaign, project)


@design.command("status")
@click.argument("name")
@project_option
def status(name: str, project: str) -> None:
    """Show where the campaign NAME stands."""
    from athanor.store import Store
    from athanor.workflows.design import DesignCampaign

    with Store.open(project, create=False) as store:
        _echo_status(DesignCampaign.resume(store, name).status())


@design.command("report")
@click.argument("name")
@project_option
def report(name: str, project: str) -> None:
    """Write the HTML report of the campaign NAME."""
    from athanor.store import Store
    from athanor.workflows.design import DesignCampaign

    with Store.open(project, create=False) as store:
        _write_report(DesignCampaign.resume(store, name), project)


def _write_report(campaign, project: str) -> None:
    from athanor.workflows.design_report import write_report

    path = Path(project) / "reports" / f"design-{campaign.config.name}.html"
    click.echo(f"report: {write_report(campaign, path).resolve()}")
