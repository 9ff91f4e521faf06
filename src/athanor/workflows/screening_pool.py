"""The candidate pool of a campaign: imported (shipped data set or file) or enumerated."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from athanor.core.errors import StoreError
from athanor.store import Store
from athanor.store.importing import import_file
from athanor.workflows.screening_config import PoolConfig


def _enumerated_file(store: Store, name: str, library: str) -> Path:
    """The enumerated library as a CSV kept in the store folder, so that an import killed
    half-way resumes from the same source."""
    from athanor.chem.enumeration import enumerate_library

    path = store.directory / "pools" / f"{name}.csv"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")  # a kill while writing leaves no half file
        enumerate_library(library).to_csv(partial, index=False)
        partial.replace(path)
    return path


def _imported_marker(dataset: str) -> str:
    return f"pool-{dataset}-imported"


def _import_pool(store: Store, dataset: str, pool: PoolConfig) -> None:
    """Import (or resume importing) the pool's source, then mark the data set complete."""
    if pool.enumerate is not None:
        path, column = _enumerated_file(store, dataset, pool.enumerate), "smiles"
    elif pool.dataset is not None:
        from athanor.datasets import dataset_info, dataset_path

        path, column = dataset_path(pool.dataset), dataset_info(pool.dataset).smiles_column
    else:
        path, column = pool.file, pool.smiles_column
    report = import_file(store, path, name=dataset, smiles_column=pool.smiles_column or column)
    marker = pd.DataFrame({"rows": [report.rows], "source": [str(path)]})
    store.write_table(_imported_marker(dataset), marker, kind="pool")


def pool_dataset_name(pool: PoolConfig) -> str:
    """The store data set holding a pool, named after its source so campaigns share it."""
    if pool.dataset is not None:
        return pool.dataset
    source = pool.file if pool.file is not None else pool.enumerate
    return f"pool-{Path(str(source)).name.split('.')[0]}"


def build_pool(store: Store, pool: PoolConfig) -> pd.DataFrame:
    """Import the pool into the store (idempotent, resumable) and return its candidates.
    Once an import has finished, the source is not read again: a campaign reopens even if
    its pool file has moved.

    Returns:
        One row per unique valid molecule, in pool order: ``molecule_id``, ``smiles``.
    """
    dataset = pool_dataset_name(pool)
    try:
        store.read_table(_imported_marker(dataset))
    except StoreError:  # never imported, or killed while importing: (re)start, it resumes
        _import_pool(store, dataset, pool)
    frame = store.dataset_molecules(dataset)
    return frame.head(pool.limit) if pool.limit else frame
