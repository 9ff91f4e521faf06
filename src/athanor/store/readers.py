"""Reading molecule files in chunks: CSV/TSV, SMILES lists, SDF and Parquet (gzip allowed).

Each chunk is a DataFrame of the input's columns plus the line (or SDF record) number of each
row, so that errors can point at the line a chemist would open in an editor.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from athanor.core.errors import InputDataError

MOLBLOCK_COLUMN = "molblock"
FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".smi": "smi",
    ".smiles": "smi",
    ".txt": "smi",
    ".sdf": "sdf",
    ".sd": "sdf",
    ".parquet": "parquet",
    ".pq": "parquet",
}


@dataclass(frozen=True)
class RecordChunk:
    """Consecutive records of an input file.

    Attributes:
        start: 0-based index of the first record.
        lines: line (CSV/SMILES) or record (SDF, Parquet) number of each record, 1-based.
        frame: the records' columns, one row per record.
    """

    start: int
    lines: list[int]
    frame: pd.DataFrame


def detect_format(path: Path) -> str:
    """File format from the extension (a trailing ``.gz`` is ignored)."""
    suffixes = [s.lower() for s in path.suffixes if s.lower() != ".gz"]
    fmt = FORMATS.get(suffixes[-1] if suffixes else "")
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputDataError(f"{path.name}: unknown file type (known extensions: {known})")
    return fmt


def _open_text(path: Path):
    return gzip.open(path, "rt") if path.suffix.lower() == ".gz" else open(path)


def count_records(path: Path, fmt: str) -> int | None:
    """Number of records, by a fast scan (None if unknown): for progress bars."""
    if fmt == "parquet":
        return _parquet_file(path).metadata.num_rows
    with _open_text(path) as handle:
        if fmt == "sdf":
            return sum(1 for line in handle if line.startswith("$$$$"))
        lines = sum(1 for line in handle if line.strip())
    return max(lines - 1, 0) if fmt in ("csv", "tsv") else lines


def _read_delimited(path: Path, fmt: str, chunk_size: int) -> Iterator[RecordChunk]:
    separator = "\t" if fmt == "tsv" else ","
    start = 0
    try:
        for frame in pd.read_csv(path, sep=separator, chunksize=chunk_size):
            lines = list(range(start + 2, start + 2 + len(frame)))  # line 1 is the header
            yield RecordChunk(start, lines, frame.reset_index(drop=True))
            start += len(frame)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise InputDataError(f"{path.name}: cannot read as {fmt.upper()}: {error}") from None


def _read_smiles_list(path: Path, chunk_size: int) -> Iterator[RecordChunk]:
    """Whitespace-separated ``SMILES [name]`` lines; a first line starting 'smiles' is a header."""
    rows: list[tuple[str, str]] = []
    lines: list[int] = []
    start = 0
    with _open_text(path) as handle:
        for number, line in enumerate(handle, start=1):
            fields = line.split(maxsplit=1)
            if not fields or (number == 1 and fields[0].lower() == "smiles"):
                continue
            rows.append((fields[0], fields[1].strip() if len(fields) > 1 else ""))
            lines.append(number)
            if len(rows) == chunk_size:
                yield RecordChunk(start, lines, pd.DataFrame(rows, columns=["smiles", "name"]))
                start, rows, lines = start + len(rows), [], []
    if rows:
        yield RecordChunk(start, lines, pd.DataFrame(rows, columns=["smiles", "name"]))


def _parse_sdf_record(text: str) -> dict[str, str]:
    """A record's mol block (up to ``M  END``), its title and its data items."""
    block, _, data = text.partition("M  END")
    record = {MOLBLOCK_COLUMN: block + "M  END\n", "name": block.split("\n", 1)[0].strip()}
    for item in data.split("\n>")[1:]:
        header, _, value = item.partition("\n")
        if "<" in header and ">" in header:
            key = header[header.index("<") + 1 : header.rindex(">")]
            record[key] = value.strip()
    return record


def _read_sdf(path: Path, chunk_size: int) -> Iterator[RecordChunk]:
    records: list[dict[str, str]] = []
    current: list[str] = []
    start = 0
    with _open_text(path) as handle:
        for line in handle:
            if not line.startswith("$$$$"):
                current.append(line)
                continue
            records.append(_parse_sdf_record("".join(current)))
            current = []
            if len(records) == chunk_size:
                lines = list(range(start + 1, start + 1 + len(records)))
                yield RecordChunk(start, lines, pd.DataFrame(records))
                start, records = start + len(records), []
    if "".join(current).strip():  # a last record without its $$$$ terminator
        records.append(_parse_sdf_record("".join(current)))
    if records:
        yield RecordChunk(
            start, list(range(start + 1, start + 1 + len(records))), pd.DataFrame(records)
        )


def _parquet_file(path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as error:
        raise InputDataError(f"{path.name}: cannot read as Parquet: {error}") from None


def _read_parquet(path: Path, chunk_size: int) -> Iterator[RecordChunk]:
    start = 0
    for batch in _parquet_file(path).iter_batches(batch_size=chunk_size):
        frame = batch.to_pandas()
        yield RecordChunk(start, list(range(start + 1, start + 1 + len(frame))), frame)
        start += len(frame)


def read_chunks(path: str | Path, chunk_size: int = 5000) -> Iterator[RecordChunk]:
    """Records of a molecule file, `chunk_size` at a time.

    Raises:
        InputDataError: missing file, unknown extension, or a file that cannot be parsed.
    """
    path = Path(path)
    if not path.is_file():
        raise InputDataError(f"input file not found: {path}")
    fmt = detect_format(path)
    if fmt in ("csv", "tsv"):
        return _read_delimited(path, fmt, chunk_size)
    if fmt == "smi":
        return _read_smiles_list(path, chunk_size)
    if fmt == "sdf":
        return _read_sdf(path, chunk_size)
    return _read_parquet(path, chunk_size)
