"""Append DataFrames to one CSV (optionally gzip) or Parquet file, chunk after chunk."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import pandas as pd

from athanor.core.errors import InputDataError

SUFFIXES = (".csv", ".csv.gz", ".parquet")


class TableWriter:
    """A context manager writing chunks with the first chunk's columns (and Parquet schema).

    Args:
        path: ``.csv``, ``.csv.gz`` or ``.parquet``; replaced if it exists.

    Raises:
        InputDataError: another extension.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        name = self.path.name.lower()
        if not name.endswith(SUFFIXES):
            raise InputDataError(f"output {self.path.name}: use one of {', '.join(SUFFIXES)}")
        self.parquet = name.endswith(".parquet")
        self._writer = None
        self._started = False

    def __enter__(self) -> TableWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.unlink(missing_ok=True)
        return self

    def write(self, frame: pd.DataFrame) -> None:
        """Append rows; the first call fixes the columns."""
        if self.parquet:
            self._write_parquet(frame)
        else:
            frame.to_csv(self.path, mode="a", header=not self._started, index=False)
        self._started = True

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            self._writer = pq.ParquetWriter(self.path, table.schema)
        else:
            table = pa.Table.from_pandas(frame, schema=self._writer.schema, preserve_index=False)
        self._writer.write_table(table)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._writer is not None:
            self._writer.close()
