"""The candidate pool of a campaign: imported (shipped data set or file) or enumerated."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from athanor.store import Store
from athanor.store.importing import import_file
from athanor.workflows.screening_config import PoolConfig


def _import_enumerated(store: Store, name: str, library: str) -> None:
    import tempfile

    from athanor.chem.enumeration import enumerate_library

    frame = enumerate_library(library)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"{name}.csv"
        frame.to_csv(path, index=False)
        if store.find_dataset(name) is None:
            import_file(store, path, name=name, smiles_column="smiles", progress=False)


def pool_dataset_name(pool: PoolConfig) -> str:
    """The store data set holding a pool, named after its source so campaigns share it."""
    if pool.dataset is not None:
        return pool.dataset
    source = pool.file if pool.file is not None else pool.enumerate
    return f"pool-{Path(str(source)).name.split('.')[0]}"


def build_pool(store: Store, pool: PoolConfig) -> pd.DataFrame:
    """Import the pool into the store (idempotent, resumable) and return its candidates.

    Returns:
        One row per unique valid molecule, in pool order: ``molecule_id``, ``smiles``.
    """
    dataset = pool_dataset_name(pool)
    if pool.enumerate is not None:
        _import_enumerated(store, dataset, pool.enumerate)
    else:
        if pool.dataset is not None:
            from athanor.datasets import dataset_info, dataset_path

            path, column = dataset_path(pool.dataset), dataset_info(pool.dataset).smiles_column
        else:
            path, column = pool.file, pool.smiles_column
        import_file(store, path, name=dataset, smiles_column=pool.smiles_column or column)
    frame = store.dataset_molecules(dataset)
    return frame.head(pool.limit) if pool.limit else frame
