"""Append DataFrames to one CSV (optionally gzip) or Parquet file, chunk after chunk.

Rows go to a temporary sibling (``out.csv.part``) that replaces the output only when the
``with`` block ends without an error, so a crash never leaves a half-written file that looks
complete, and the output may be read while it is being written.
"""

from __future__ import annotations

import gzip
import logging
from pathlib import Path
from types import TracebackType

import pandas as pd

from athanor.core.errors import InputDataError

logger = logging.getLogger(__name__)

SUFFIXES = (".csv", ".csv.gz", ".parquet")
PART_SUFFIX = ".part"


class TableWriter:
    """A context manager writing chunks with the first chunk's columns (and Parquet schema).

    Later chunks are aligned to the first one's columns: a missing column is written empty, a
    new one is dropped with a warning. A column empty in the first chunk is typed as text.

    Args:
        path: ``.csv``, ``.csv.gz`` or ``.parquet``; replaced on a clean exit after at least
            one `write`, left as it was otherwise.

    Raises:
        InputDataError: another extension.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        name = self.path.name.lower()
        if not name.endswith(SUFFIXES):
            raise InputDataError(f"output {self.path.name}: use one of {', '.join(SUFFIXES)}")
        self.parquet = name.endswith(".parquet")
        self.gzip = name.endswith(".gz")
        self.part = self.path.with_name(self.path.name + PART_SUFFIX)
        self.columns: list | None = None
        self._handle = None  # the open CSV file, or the pyarrow ParquetWriter

    @property
    def started(self) -> bool:
        """Whether a chunk (perhaps of no rows) has been written."""
        return self._handle is not None

    def __enter__(self) -> TableWriter:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.part.unlink(missing_ok=True)  # left by a killed run
        return self

    def write(self, frame: pd.DataFrame) -> None:
        """Append rows; the first call (even with no rows) fixes the columns.

        Raises:
            InputDataError: a Parquet column whose values do not fit the first chunk's type.
        """
        if self.started:
            frame = self._aligned(frame)
        if self.parquet:
            self._write_parquet(frame)
        else:
            self._write_csv(frame)

    def _aligned(self, frame: pd.DataFrame) -> pd.DataFrame:
        new = [c for c in frame.columns if c not in self.columns]
        if new:
            logger.warning("%s: columns %s not in the first chunk are not written", self.path, new)
        return frame.reindex(columns=self.columns)

    def _write_csv(self, frame: pd.DataFrame) -> None:
        header = not self.started
        if header:
            opener = gzip.open if self.gzip else open
            self._handle = opener(self.part, "wt", encoding="utf-8", newline="")
            self.columns = list(frame.columns)
        frame.to_csv(self._handle, header=header, index=False)

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = self._handle.schema if self.started else None
        try:
            table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
        except pa.ArrowException as error:
            raise InputDataError(
                f"output {self.path.name}: a column's values do not fit its type in the first"
                f" chunk ({error}); write a .csv output instead"
            ) from None
        if not self.started:
            self._handle = pq.ParquetWriter(self.part, _text_for_null(table.schema))
            self.columns = list(frame.columns)
        self._handle.write_table(table.cast(self._handle.schema))

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.started:
            self._handle.close()
        if error is None and self.started:
            self.part.replace(self.path)
        else:
            self.part.unlink(missing_ok=True)


def _text_for_null(schema):
    """The schema with text instead of the null type of a column that had no values."""
    import pyarrow as pa

    return pa.schema(
        [
            field.with_type(pa.string()) if pa.types.is_null(field.type) else field
            for field in schema
        ],
        metadata=schema.metadata,
    )
