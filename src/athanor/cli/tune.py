"""`athanor tune CONFIG.toml`: tune a surrogate's hyper-parameters (resumable)."""

from __future__ import annotations

import click

from athanor.cli.common import project_option


@click.command()
@click.argument("config_path", metavar="CONFIG.toml", type=click.Path(dir_okay=False))
@project_option
@click.option("--n-trials", type=click.IntRange(min=1), help="Finished trials wanted.")
@click.option("--n-jobs", type=click.IntRange(min=1), help="Worker processes (or Ray tasks).")
@click.option(
    "--timeout",
    "timeout_s",
    type=click.FloatRange(min=0, min_open=True),
    help="Stop starting trials after this many seconds.",
)
@click.option("--no-compare", is_flag=True, help="Skip the default-vs-tuned test comparison.")
def tune(
    config_path: str,
    project: str,
    n_trials: int | None,
    n_jobs: int | None,
    timeout_s: float | None,
    no_compare: bool,
) -> None:
    """Tune the model of CONFIG.toml; rerun the same command to resume a stopped study."""
    from athanor.tuning import load_tune_config
    from athanor.tuning import tune as run_tuning

    config = load_tune_config(config_path)
    overrides = {"n_trials": n_trials, "n_jobs": n_jobs, "timeout_s": timeout_s}
    config = config.model_copy(update={k: v for k, v in overrides.items() if v is not None})
    result = run_tuning(config, project, compare=not no_compare)
    click.echo(f"study {config.study!r}: {len(result.study.trials)} trials")
    click.echo(f"best validation {config.metric}: {result.best_value:.4g}")
    for name, value in result.best_params.items():
        click.echo(f"  {name} = {value}")
    if result.pareto:
        click.echo(f"Pareto front ({config.metric}, fit seconds): {len(result.pareto)} trials")
    if result.comparison is not None:
        rmse = result.comparison.groupby("model")["test_rmse"]
        for model, values in rmse:
            spread = f" ± {values.std():.2g} over {len(values)} seeds" if len(values) > 1 else ""
            click.echo(f"test rmse {model}: {values.mean():.4g}{spread}")
    click.echo(f"tuned config: {result.output / 'best.toml'}")
    click.echo(f"report: {result.output / 'report.html'}")
