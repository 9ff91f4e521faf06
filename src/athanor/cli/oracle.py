"""`athanor oracle`: list the oracles, run one over molecules into the store, export results."""

from __future__ import annotations

import click

from athanor.cli.common import echo_table, parameters_from, project_option
from athanor.core.errors import InputDataError


@click.group()
def oracle() -> None:
    """Compute molecular properties (RDKit, xTB, DFT, tables, your programs) into the store."""


@oracle.command("list")
def list_() -> None:
    """Show the oracles, what they compute and their parameters."""
    from athanor.core.errors import UnsupportedError
    from athanor.oracles import oracle_class, oracle_names

    for name in oracle_names():
        try:
            cls = oracle_class(name)
        except UnsupportedError as error:
            click.echo(f"{name}: not available ({error})")
            continue
        summary = " ".join((cls.__doc__ or "").split("\n\n")[0].split())
        click.echo(f"{name}: {summary}")
        for field, info in cls.Parameters.model_fields.items():
            default = (
                "required"
                if info.is_required()
                else f"default {info.get_default(call_default_factory=True)!r}"
            )
            click.echo(f"    {field} ({default})")


def _with_pool_options(name: str, parameters: dict, store, dataset: str | None) -> dict:
    """An oracle that standardises SMILES itself (``table``) and has no ``standardizer`` set
    takes the options the store's data set `dataset` was imported with, so that its keys are
    those of the stored molecules."""
    from athanor.chem import StandardizerOptions
    from athanor.oracles import oracle_class

    accepts = "standardizer" in oracle_class(name).Parameters.model_fields
    if not accepts or "standardizer" in parameters or dataset is None:
        return parameters
    if dataset not in set(store.list_datasets()["name"]):
        return parameters
    options = StandardizerOptions(**store.dataset(dataset).standardizer)
    if options == StandardizerOptions():  # the defaults: the oracle's fingerprint stays
        return parameters
    return parameters | {"standardizer": options}


def _dataset_smiles(store, name: str) -> list[str]:
    from athanor.datasets import dataset_info, list_datasets, load_dataset

    if name in set(store.list_datasets()["name"]):
        return store.dataset_frame(name)["smiles"].tolist()
    if name in {info.name for info in list_datasets()}:
        return load_dataset(name)[dataset_info(name).smiles_column].astype(str).tolist()
    raise InputDataError(f"no data set {name!r} in the store or shipped with Athanor")


@oracle.command("run")
@click.argument("name")
@click.option("--input", "input_path", type=click.Path(dir_okay=False), help="Molecule file.")
@click.option("--dataset", help="A data set in the store (or shipped with Athanor).")
@click.option("--smiles-column", help="Column with SMILES (default: guessed).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N molecules.")
@click.option("--param", "settings", multiple=True, help="Oracle parameter KEY=VALUE.")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), help="TOML parameters.")
@click.option("--workers", "-w", type=int, help="Worker processes (ray: tasks in flight).")
@click.option("--executor", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option("--address", help="Ray cluster address (default: start Ray locally).")
@click.option("--timeout", type=float, help="Per-molecule time limit in seconds.")
@click.option(
    "--max-heavy-atoms",
    type=click.IntRange(min=1),
    help="Refuse larger molecules, as invalid inputs (default: the import limit, for "
    "molecules new to the store).",
)
@click.option(
    "--max-attempts",
    type=int,
    default=3,
    show_default=True,
    help="Attempts per molecule when a worker dies.",
)
@click.option(
    "--retry-failed",
    is_flag=True,
    help="Compute again the molecules whose results so far are all failures or timeouts.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Export the results of these molecules (CSV/Parquet); for --input, the input's rows "
    "and columns with the results joined on.",
)
@click.option("--progress/--no-progress", default=True)
@project_option
def run(
    name,
    input_path,
    dataset,
    smiles_column,
    limit,
    settings,
    config,
    workers,
    executor,
    address,
    timeout,
    max_heavy_atoms,
    max_attempts,
    retry_failed,
    output,
    progress,
    project,
) -> None:
    """Run oracle NAME on molecules; results go into the store as they arrive.

    Molecules already finished for this oracle configuration are skipped, so re-running an
    interrupted command resumes it; a molecule that timed out is computed again under a
    larger --timeout, and --retry-failed computes every failure again. Failures are listed
    with the input line (SDF/Parquet: record) of their molecules.
    """
    from athanor.execution import RetryPolicy, make_executor, run_oracle
    from athanor.oracles import make_oracle
    from athanor.store import Store
    from athanor.workflows.oracle_file import read_oracle_inputs

    if (input_path is None) == (dataset is None):
        raise click.UsageError("give either --input FILE or --dataset NAME")
    parameters = parameters_from(settings, config)
    with Store.open(project) as store:
        model = make_oracle(name, **_with_pool_options(name, parameters, store, dataset))
        if input_path is not None:
            inputs = read_oracle_inputs(input_path, smiles_column, limit)
            smiles, places = inputs.smiles, {"lines": inputs.lines, "position": inputs.position}
        else:
            smiles, places = _dataset_smiles(store, dataset)[:limit], {}
        pool = make_executor(executor, workers, address=address, timeout_s=timeout)
        summary = run_oracle(
            model,
            smiles,
            store,
            pool,
            retry=RetryPolicy(max_attempts=max_attempts),
            retry_failed=retry_failed,
            max_heavy_atoms=max_heavy_atoms,
            progress=progress,
            **places,
        )
        click.echo(summary.format())
        if output and input_path is not None:
            _export_rows(store, summary, inputs.rows, output)
        elif output:
            _export(store, model.fingerprint, output, attempts=False, only=summary.molecule_ids)


def _export(store, fingerprint: str, path: str, attempts: bool, only: set[int] | None = None):
    """Write the oracle's results (each attempt, or the latest values), of the molecules
    `only` if given (a run's inputs), else of every molecule."""
    from athanor.store.exporting import write_frame

    frame = store.evaluations_frame(fingerprint) if attempts else store.latest_values(fingerprint)
    if only is not None:
        frame = frame[frame["molecule_id"].isin(only)]
    write_frame(frame, path)
    click.echo(f"wrote {len(frame)} rows to {path}")


def _export_rows(store, summary, rows, path: str) -> None:
    """Write the input's rows with their results (`rows_with_results`)."""
    from athanor.store.exporting import write_frame
    from athanor.workflows.oracle_file import rows_with_results

    frame = rows_with_results(store, summary, rows)
    write_frame(frame, path, smiles_column="canonical_smiles")
    click.echo(f"wrote {len(frame)} rows to {path}")


@oracle.command("results")
@click.argument("fingerprint")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="CSV or Parquet file.")
@click.option("--attempts", is_flag=True, help="Every attempt, failures included.")
@project_option
def results(fingerprint, output, attempts, project) -> None:
    """Show or export the results of the oracle with FINGERPRINT (printed by `run`)."""
    from athanor.store import Store

    with Store.open(project, create=False) as store:
        known = store.oracle_names()
        if fingerprint not in known:
            listed = ", ".join(f"{fp} ({name})" for fp, name in known.items()) or "none"
            raise InputDataError(f"no oracle {fingerprint!r} in this store (known: {listed})")
        if output:
            _export(store, fingerprint, output, attempts)
        else:
            frame = (
                store.evaluations_frame(fingerprint)
                if attempts
                else store.latest_values(fingerprint)
            )
            echo_table(frame)
