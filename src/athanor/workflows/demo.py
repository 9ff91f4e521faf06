"""The end-to-end demo: an OPV screening campaign with the real GFN2-xTB oracle."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from athanor.store import Store
from athanor.workflows.screening import CampaignStatus, ScreeningCampaign
from athanor.workflows.screening_config import ScreeningConfig, load_screening_config
from athanor.workflows.screening_report import write_report


def demo_config() -> ScreeningConfig:
    """The packaged demo campaign (`athanor/workflows/configs/opv_demo.toml`)."""
    with resources.as_file(
        resources.files("athanor.workflows") / "configs" / "opv_demo.toml"
    ) as path:
        return load_screening_config(path)


def run_demo(project_dir: str | Path, workers: int | None = None) -> tuple[CampaignStatus, Path]:
    """Run (or resume) the demo campaign in `project_dir`; return its status and report path."""
    config = demo_config()
    if workers is not None:
        config = config.model_copy(
            update={"executor": config.executor.model_copy(update={"workers": workers})}
        )
    with Store.open(project_dir) as store:
        campaign = ScreeningCampaign.open(store, config)
        status = campaign.run()
        report = write_report(campaign, Path(project_dir) / "reports" / f"{config.name}.html")
    return status, report
