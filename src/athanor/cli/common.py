"""Options and helpers shared by the sub-commands."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import click
import pandas as pd
from click.core import ParameterSource

from athanor.core.errors import ConfigError

project_option = click.option(
    "--project",
    "-p",
    "project",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Project directory (its store lives in PROJECT/.athanor).",
)


def echo_table(frame: pd.DataFrame, max_rows: int = 20) -> None:
    """Print a DataFrame as an aligned plain-text table."""
    if frame.empty:
        click.echo("(none)")
        return
    click.echo(frame.head(max_rows).to_string(index=False))
    if len(frame) > max_rows:
        click.echo(f"... {len(frame) - max_rows} more rows")


def refuse_options_with_config(config_path: str | None, keep: tuple[str, ...] = ()) -> None:
    """A CONFIG.toml defines the run: options that would define it too are an error, not
    silently dropped. ``keep`` names the options that still apply (e.g. ``output``).

    Raises:
        click.UsageError: a CONFIG.toml and such options given together.
    """
    context = click.get_current_context()
    given = [
        parameter.opts[0]
        for parameter in context.command.params
        if isinstance(parameter, click.Option)
        and parameter.name not in keep
        and context.get_parameter_source(parameter.name) is ParameterSource.COMMANDLINE
    ]
    if config_path is not None and given:
        raise click.UsageError(
            f"{', '.join(given)}: not used with CONFIG.toml (set them in the file instead)"
        )


def parameters_from(settings: tuple[str, ...], config: str | None) -> dict:
    """Oracle parameters from a TOML file, overridden by KEY=VALUE settings (JSON values)."""
    try:
        parameters = tomllib.loads(Path(config).read_text()) if config else {}
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{config}: not valid TOML ({error})") from None
    for setting in settings:
        key, separator, text = setting.partition("=")
        if not separator:
            raise ConfigError(f"--param expects KEY=VALUE, got {setting!r}")
        try:
            parameters[key] = json.loads(text)
        except json.JSONDecodeError:
            parameters[key] = text  # a bare string such as solvent=water
    return parameters


def data_options(command):
    """The options naming labelled data: ``--dataset`` or ``--data`` with its columns."""
    options = [
        click.option("--dataset", help="A shipped data set (see `athanor data info`)."),
        click.option(
            "--data",
            "data_file",
            type=click.Path(dir_okay=False),
            help="CSV/TSV/SDF/Parquet file (SDF: molecules from the mol blocks).",
        ),
        click.option("--smiles", multiple=True, help="Molecule column (repeat for dye + solvent)."),
        click.option("--target", multiple=True, help="Target column (repeat for multi-task)."),
        click.option("--condition", multiple=True, help="Numeric non-molecular input column."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def data_table(
    dataset: str | None,
    data_file: str | None,
    smiles: tuple[str, ...],
    target: tuple[str, ...],
    condition: tuple[str, ...],
) -> dict:
    """The ``[data]`` table of a training config from the `data_options`."""
    table: dict = {"smiles": list(smiles), "targets": list(target), "conditions": list(condition)}
    if dataset is not None:
        table["dataset"] = dataset
    if data_file is not None:
        table["file"] = str(Path(data_file).resolve())
    return table


def split_table(strategy: str) -> dict:
    """A ``[split]`` table from ``--split``: a strategy, or ``fixed:NAME`` for a data set's
    published split."""
    kind, _, name = strategy.partition(":")
    return {"fixed": name} if kind == "fixed" else {"strategy": strategy}
