"""`athanor data`: import, export, inspect and validate molecule data sets."""

from __future__ import annotations

from pathlib import Path

import click

from athanor.cli.common import echo_table, project_option
from athanor.core.errors import InputDataError


@click.group()
def data() -> None:
    """Import, export, inspect and validate data sets in the project store."""


def _standardizer(max_heavy_atoms: int, tautomer: bool):
    from athanor.chem import StandardizerOptions

    return StandardizerOptions(max_heavy_atoms=max_heavy_atoms, canonical_tautomer=tautomer)


def _input_path(source: str | None, dataset: str | None) -> Path:
    if (source is None) == (dataset is None):
        raise click.UsageError("give either an input FILE or --dataset NAME")
    if dataset is not None:
        from athanor.datasets import dataset_path

        return dataset_path(dataset)
    return Path(source)


def _print_failures(failures, limit: int = 10) -> None:
    for line, _input, reason, message in failures[:limit]:
        click.echo(f"  line {line}: {reason}: {message}", err=True)
    if len(failures) > limit:
        click.echo(f"  ... and {len(failures) - limit} more invalid rows", err=True)


@data.command("import")
@click.argument("source", required=False)
@click.option("--dataset", help="Import a data set shipped with Athanor (see `data info`).")
@click.option("--name", help="Data set name in the store (default: the file name).")
@click.option("--smiles-column", help="Column with SMILES (default: guessed).")
@click.option("--condition", "conditions", multiple=True, help="Condition column (repeatable).")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all).",
)
@click.option("--max-heavy-atoms", type=click.IntRange(min=1), default=150, show_default=True)
@click.option("--tautomer/--no-tautomer", default=False, help="Canonical tautomers (slow).")
@click.option("--replace", is_flag=True, help="Replace an existing data set of that name.")
@project_option
def import_(
    source,
    dataset,
    name,
    smiles_column,
    conditions,
    jobs,
    max_heavy_atoms,
    tautomer,
    replace,
    project,
) -> None:
    """Import SOURCE (CSV, TSV, SMILES, SDF or Parquet; .gz allowed) into the store.

    Molecules are standardised and stored once; every input column is kept; invalid rows are
    recorded with their line number. Re-running the same import resumes it.
    """
    from athanor.datasets import dataset_info
    from athanor.store import Store
    from athanor.store.importing import import_file

    path = _input_path(source, dataset)
    if dataset is not None:
        info = dataset_info(dataset)
        name = name or dataset
        smiles_column = smiles_column or info.smiles_column
        conditions = conditions or info.condition_columns
    with Store.open(project) as store:
        report = import_file(
            store,
            path,
            name=name,
            smiles_column=smiles_column,
            conditions=conditions,
            standardizer=_standardizer(max_heavy_atoms, tautomer),
            n_jobs=jobs,
            replace=replace,
        )
    resumed = f" (resumed after {report.resumed_from})" if report.resumed_from else ""
    click.echo(
        f"imported '{report.dataset}': {report.rows} rows, {report.valid} valid, "
        f"{report.invalid} invalid{resumed} in {report.seconds:.1f} s "
        f"({report.rate:.0f} rows/s)"
    )
    _print_failures(report.failures)


@data.command("export")
@click.argument("name")
@click.argument("output", type=click.Path(dir_okay=False))
@click.option("--include-invalid", is_flag=True, help="Also write the invalid rows.")
@project_option
def export(name: str, output: str, include_invalid: bool, project: str) -> None:
    """Write data set NAME to OUTPUT (.csv, .tsv, .smi, .sdf or .parquet; .gz allowed)."""
    from athanor.store import Store
    from athanor.store.exporting import export_dataset

    with Store.open(project, create=False) as store:
        rows = export_dataset(store, name, output, include_invalid=include_invalid)
    click.echo(f"wrote {rows} rows to {output}")


@data.command("info")
@click.argument("name", required=False)
@project_option
def info(name: str | None, project: str) -> None:
    """Summarise the store, or data set NAME; with no store, list the shipped data sets."""
    from athanor.store import Store
    from athanor.store.store import DATABASE_NAME, STORE_DIRECTORY

    if not (Path(project) / STORE_DIRECTORY / DATABASE_NAME).exists():
        _print_shipped(name)
        return
    with Store.open(project, create=False) as store:  # a damaged store says so
        if name is None:
            click.echo(f"store: {store.directory.resolve()}")
            click.echo(f"molecules: {store.count_molecules()}")
            echo_table(store.list_datasets().drop(columns=["created_at"]))
            return
        _print_dataset(store, name)


def _print_shipped(name: str | None) -> None:
    """The shipped data sets (only `name`, if given; `InputDataError` if it is not one)."""
    import pandas as pd

    from athanor.datasets import list_datasets

    shipped = [d for d in list_datasets() if name in (None, d.name)]
    if not shipped:
        known = ", ".join(d.name for d in list_datasets())
        raise InputDataError(f"no store here, and no shipped data set {name!r} ({known})")
    click.echo("no store here; data sets shipped with Athanor (import with --dataset NAME):")
    rows = [(d.name, d.n_rows, ",".join(d.target_columns), d.description) for d in shipped]
    echo_table(pd.DataFrame(rows, columns=["name", "rows", "targets", "description"]))


def _print_dataset(store, name: str) -> None:
    header = store.dataset(name)
    frame = store.dataset_frame(name, include_invalid=True)
    click.echo(f"data set '{name}' from {header.source}")
    click.echo(f"columns: {', '.join(header.columns)}")
    click.echo(f"conditions: {', '.join(header.condition_columns) or 'none'}")
    valid = frame[frame["status"] == "ok"]
    click.echo(
        f"rows: {len(frame)}, valid: {len(valid)}, unique molecules: "
        f"{valid['molecule_id'].nunique()}"
    )
    invalid = frame[frame["status"] != "ok"]
    if len(invalid):
        click.echo("invalid rows by reason:")
        echo_table(invalid.groupby("reason").size().rename("rows").reset_index())


@data.command("validate")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--smiles-column", help="Column with SMILES (default: guessed).")
@click.option("--max-heavy-atoms", type=click.IntRange(min=1), default=150, show_default=True)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True)
def validate(source: str, smiles_column: str | None, max_heavy_atoms: int, jobs: int) -> None:
    """Check that every molecule of SOURCE can be standardised, without storing anything.

    Exits with status 1 if any row is invalid, listing them by line number.
    """
    from athanor.store.importing import validate_file

    report = validate_file(
        source,
        smiles_column=smiles_column,
        standardizer=_standardizer(max_heavy_atoms, False),
        n_jobs=jobs,
    )
    click.echo(f"{source}: {report.rows} rows, {report.valid} valid, {report.invalid} invalid")
    _print_failures(report.failures)
    if report.invalid:
        raise click.exceptions.Exit(1)
