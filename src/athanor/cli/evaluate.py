"""`athanor evaluate`: a models × splits table of test metrics over seeds."""

from __future__ import annotations

from pathlib import Path

import click

from athanor.cli.common import (
    data_options,
    data_table,
    echo_table,
    refuse_options_with_config,
    split_table,
)


@click.command()
@click.argument("config_path", metavar="[CONFIG.toml]", required=False, type=click.Path())
@data_options
@click.option("--model", "models", multiple=True, help="Model name (repeat to compare).")
@click.option("--split", "splits", multiple=True, help="Split strategy or fixed:NAME (repeat).")
@click.option("--seeds", default="0", show_default=True, help="Comma-separated seeds.")
@click.option("--output", "-o", type=click.Path(file_okay=False), help="Folder for the CSVs.")
def evaluate(
    config_path: str | None,
    dataset: str | None,
    data_file: str | None,
    smiles: tuple[str, ...],
    target: tuple[str, ...],
    condition: tuple[str, ...],
    models: tuple[str, ...],
    splits: tuple[str, ...],
    seeds: str,
    output: str | None,
) -> None:
    """Fit every model on every split and seed; print mean ± sd of the test metrics.

    \b
    athanor evaluate --dataset esol --model rf --model dmpnn \\
                     --split random --split scaffold --seeds 0,1,2
    """
    from athanor.core.config import validate_config
    from athanor.workflows.model_evaluation import (
        EvaluateConfig,
        evaluate_models,
        load_evaluate_config,
        summarize_evaluation,
    )

    refuse_options_with_config(config_path, keep=("output",))
    if config_path is not None:
        config = load_evaluate_config(config_path)
    else:
        if not models:
            raise click.UsageError("give CONFIG.toml, or --model with --dataset or --data")
        try:
            seed_list = [int(text) for text in seeds.split(",")]
        except ValueError:
            raise click.BadParameter(f"expected integers like 0,1,2; got {seeds!r}") from None
        config = validate_config(
            EvaluateConfig,
            {
                "data": data_table(dataset, data_file, smiles, target, condition),
                "models": [{"model": name} for name in models],
                "splits": [split_table(name) for name in splits or ("scaffold",)],
                "seeds": seed_list,
            },
        )
    table = evaluate_models(config)
    summary = summarize_evaluation(table)
    columns = ["model", "split", "task", "rmse_mean", "rmse_std", "r2_mean"]
    columns += ["conformal_coverage_mean", "seeds"]
    echo_table(summary[columns].round(4), max_rows=100)
    if output is not None:
        Path(output).mkdir(parents=True, exist_ok=True)
        table.to_csv(Path(output) / "evaluation.csv", index=False)
        summary.to_csv(Path(output) / "summary.csv", index=False)
        click.echo(f"tables: {Path(output) / 'evaluation.csv'}, {Path(output) / 'summary.csv'}")
