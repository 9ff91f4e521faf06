"""Bulk arrays (pool fingerprints, per-round predictions) as Parquet files the store manages.

A table is written to a temporary file and renamed into place, so readers see either the old
or the new file, never half of one; its name, path and row count are recorded in the store.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Engine, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from athanor.core.errors import StoreError
from athanor.store.engine import utc_now
from athanor.store.schema import artifacts

TABLES_DIRECTORY = "tables"


class TablesMixin:
    """Store methods for Parquet tables."""

    engine: Engine
    directory: Path

    def write_table(
        self, name: str, data: pd.DataFrame | pa.Table, *, kind: str = "table", run_id=None
    ) -> Path:
        """Write (or replace) the table `name` atomically; return its path."""
        table = (
            data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False)
        )
        relative = Path(TABLES_DIRECTORY) / f"{name}.parquet"
        path = self.directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".parquet.tmp")
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, path)
        row = {
            "name": name,
            "kind": kind,
            "path": str(relative),
            "n_rows": table.num_rows,
            "run_id": run_id,
            "created_at": utc_now(),
        }
        statement = sqlite_insert(artifacts).values(row)
        statement = statement.on_conflict_do_update(index_elements=["name"], set_=row)
        with self.engine.begin() as connection:
            connection.execute(statement)
        return path

    def table_path(self, name: str) -> Path:
        """Path of a stored table.

        Raises:
            StoreError: no table of that name.
        """
        with self.engine.connect() as connection:
            relative = connection.execute(
                select(artifacts.c.path).where(artifacts.c.name == name)
            ).scalar_one_or_none()
        if relative is None or not (self.directory / relative).exists():
            raise StoreError(f"no table named '{name}' in the store")
        return self.directory / relative

    def read_table(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """The stored table `name` (only `columns` if given).

        Raises:
            StoreError: no table of that name, or its file is truncated or unreadable.
        """
        path = self.table_path(name)
        try:
            table = pq.read_table(path, columns=columns)
        except (pa.ArrowException, OSError) as error:
            raise StoreError(f"cannot read the stored table '{name}' ({path}): {error}") from None
        return table.to_pandas()
