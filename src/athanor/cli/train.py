"""`athanor train`: fit, calibrate, test and save a surrogate model."""

from __future__ import annotations

import click

from athanor.cli.common import (
    data_options,
    data_table,
    echo_table,
    parameters_from,
    refuse_options_with_config,
    split_table,
)


@click.command()
@click.argument("config_path", metavar="[CONFIG.toml]", required=False, type=click.Path())
@data_options
@click.option("--model", help="Model name: rf, lightgbm, gp, dmpnn.")
@click.option("--param", "params", multiple=True, help="Model parameter KEY=VALUE (repeat).")
@click.option(
    "--split",
    help="random, scaffold, group, cluster, or fixed:NAME for a published split.",
)
@click.option("--seed", type=int, help="Seed of the split and the model.")
@click.option(
    "--calibration",
    type=click.FloatRange(0, 1, max_open=True),
    default=0.5,
    show_default=True,
    help="Share of the validation rows held out to calibrate σ and intervals (0: all of them, "
    "also used to choose the epoch).",
)
@click.option(
    "--output", "-o", required=True, type=click.Path(file_okay=False), help="Model folder."
)
def train(
    config_path: str | None,
    dataset: str | None,
    data_file: str | None,
    smiles: tuple[str, ...],
    target: tuple[str, ...],
    condition: tuple[str, ...],
    model: str | None,
    params: tuple[str, ...],
    split: str | None,
    seed: int | None,
    calibration: float,
    output: str,
) -> None:
    """Train a model from CONFIG.toml (e.g. the best.toml of `athanor tune`) or from options.

    \b
    athanor train --dataset esol --model dmpnn --split scaffold -o models/esol
    athanor train --data dyes.csv --smiles smiles --smiles solvent --target lambda_nm \\
                  --model dmpnn --split group -o models/dyes
    """
    from athanor.core.config import validate_config
    from athanor.workflows.training import TrainConfig, load_train_config, train_model

    refuse_options_with_config(config_path, keep=("output",))
    if config_path is not None:
        config = load_train_config(config_path)
    else:
        if model is None:
            raise click.UsageError("give CONFIG.toml, or --model with --dataset or --data")
        config = validate_config(
            TrainConfig,
            {
                "surrogate": {"model": model, "params": parameters_from(params, None)},
                "data": data_table(dataset, data_file, smiles, target, condition),
                "split": split_table(split or "scaffold")
                | {"seed": seed or 0, "calibration": calibration},
                "seed": seed or 0,
            },
        )
    result = train_model(config, output)
    click.echo(f"trained {config.surrogate.model} in {result.fit_seconds:.1f} s")
    columns = ["task", "sigma", "n", "rmse", "mae", "r2", "nll", "conformal_coverage"]
    echo_table(result.metrics.reset_index()[columns].round(4))
    click.echo(f"model: {result.output}")
    click.echo(f"report: {result.output / 'report.html'}")
