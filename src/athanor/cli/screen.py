"""`athanor screen`: run, resume and inspect active-learning screening campaigns."""

from __future__ import annotations

from pathlib import Path

import click

from athanor.cli.common import project_option


def echo_status(status) -> None:
    """Print a campaign status in a few lines."""
    state = "done" if status.done else ("pending" if status.pending else "paused")
    click.echo(
        f"campaign '{status.name}': round {status.round}/{status.rounds}, "
        f"{status.calls}/{status.budget} oracle calls ({status.ok} ok, "
        f"{status.failed} failed), {status.pending} pending, {state}"
    )
    if status.best_smiles is not None:
        click.echo(f"best: {status.best_value:.4g}  {status.best_smiles}")


@click.group()
def screen() -> None:
    """Active-learning virtual screening of a candidate pool."""


def _run(campaign, report_dir: Path) -> None:
    from athanor.workflows.screening_report import write_report

    echo_status(campaign.run())
    path = write_report(campaign, report_dir / f"{campaign.config.name}.html")
    click.echo(f"report: {path.resolve()}")


@screen.command("run")
@click.argument("config", type=click.Path(dir_okay=False))
@project_option
def run(config: str, project: str) -> None:
    """Run the campaign described by CONFIG (TOML); rerunning it resumes."""
    from athanor.store import Store
    from athanor.workflows.screening import ScreeningCampaign
    from athanor.workflows.screening_config import load_screening_config

    settings = load_screening_config(config)
    with Store.open(project) as store:
        _run(ScreeningCampaign.open(store, settings), Path(project) / "reports")


@screen.command("resume")
@click.argument("name")
@project_option
def resume(name: str, project: str) -> None:
    """Continue campaign NAME from the store, with its saved configuration."""
    from athanor.store import Store
    from athanor.workflows.screening import ScreeningCampaign

    with Store.open(project, create=False) as store:
        _run(ScreeningCampaign.resume(store, name), Path(project) / "reports")


@screen.command("status")
@click.argument("name", required=False)
@project_option
def status(name: str | None, project: str) -> None:
    """Progress of campaign NAME (or of every campaign in the project)."""
    from athanor.store import Store
    from athanor.workflows.screening import RUN_KIND, ScreeningCampaign

    with Store.open(project, create=False) as store:
        names = [name] if name else store.runs_frame(RUN_KIND)["name"].unique().tolist()
        if not names:
            click.echo("no campaigns in this project")
        for each in names:
            echo_status(ScreeningCampaign.resume(store, each).status())
