"""Reading molecule files in chunks: CSV/TSV, SMILES lists, SDF and Parquet (gzip allowed).

Each chunk is a DataFrame of the input's columns plus the line (or SDF record) number of each
row, so that errors can point at the line a chemist would open in an editor.
"""

from __future__ import annotations

import gzip
import string
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
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
FORMAT_NAMES = {
    "csv": "CSV",
    "tsv": "TSV",
    "smi": "SMILES list",
    "sdf": "SDF",
    "parquet": "Parquet",
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
    """UTF-8 text (what pandas reads too), gunzipped on the fly for ``.gz``."""
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


@contextmanager
def _readable(path: Path, fmt: str) -> Iterator[None]:
    """Turn the errors of an undecodable, truncated or malformed file into `InputDataError`."""
    import pyarrow as pa

    kind = FORMAT_NAMES[fmt]
    try:
        yield
    except UnicodeDecodeError as error:
        raise InputDataError(
            f"{path.name}: cannot read as {kind}: not UTF-8 text ({error.reason} at byte"
            f" {error.start}); save it as UTF-8"
        ) from None
    except (
        EOFError,  # a truncated .gz
        OSError,  # not gzip data, unreadable file
        zlib.error,
        pa.ArrowException,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
    ) as error:
        raise InputDataError(f"{path.name}: cannot read as {kind}: {error}") from None


def _record_starts(lines: Iterator[str], separator: str) -> Iterator[int]:
    """1-based line where each record (the header first) of a delimited file starts.

    As pandas does, lines of only whitespace are skipped and a quoted field may span lines.
    """
    blank = string.whitespace.replace(separator, "")
    quoted = False
    for number, line in enumerate(lines, start=1):
        if not quoted and line.strip(blank):
            yield number
        if '"' in line:
            quoted = _ends_quoted(line, separator, quoted)


def _ends_quoted(line: str, separator: str, quoted: bool) -> bool:
    """Whether `line` ends inside a quoted field; `quoted`: whether it starts inside one.

    A quote opens a field only at its start (elsewhere it is a literal character) and a
    doubled quote inside a quoted field stands for one quote.
    """
    at_field_start, just_closed = not quoted, False
    for char in line:
        if quoted:
            quoted, just_closed = char != '"', char == '"'
            continue
        if char == '"' and (at_field_start or just_closed):
            quoted = True
        at_field_start, just_closed = char == separator, False
    return quoted


def count_records(path: Path, fmt: str) -> int | None:
    """Number of records, by a fast scan (None if unknown): for progress bars.

    Raises:
        InputDataError: a file that cannot be decoded or decompressed.
    """
    if fmt == "parquet":
        return _parquet_file(path).metadata.num_rows
    with _readable(path, fmt), _open_text(path) as handle:
        if fmt == "sdf":
            return sum(1 for line in handle if line.startswith("$$$$"))
        if fmt == "smi":
            return sum(1 for line in handle if line.strip())
        return max(sum(1 for _ in _record_starts(handle, _separator(fmt))) - 1, 0)


def _separator(fmt: str) -> str:
    return "\t" if fmt == "tsv" else ","


def _read_delimited(path: Path, fmt: str, chunk_size: int, text: bool) -> Iterator[RecordChunk]:
    """Chunks of a CSV/TSV file, each row with the line it starts on (blank lines skipped)."""
    separator = _separator(fmt)
    options = {"dtype": str, "keep_default_na": False} if text else {}
    start = 0
    with _readable(path, fmt), _open_text(path) as handle:
        starts = _record_starts(handle, separator)
        next(starts, None)  # the header
        for frame in pd.read_csv(path, sep=separator, chunksize=chunk_size, **options):
            lines = list(islice(starts, len(frame)))
            yield RecordChunk(start, lines, frame.reset_index(drop=True))
            start += len(frame)


def _read_smiles_list(path: Path, chunk_size: int) -> Iterator[RecordChunk]:
    """Whitespace-separated ``SMILES [name]`` lines; a first line starting 'smiles' is a header."""
    rows: list[tuple[str, str]] = []
    lines: list[int] = []
    start = 0
    with _readable(path, "smi"), _open_text(path) as handle:
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
    with _readable(path, "sdf"), _open_text(path) as handle:
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
    import pyarrow.parquet as pq

    with _readable(path, "parquet"):
        return pq.ParquetFile(path)


def _read_parquet(path: Path, chunk_size: int) -> Iterator[RecordChunk]:
    start = 0
    with _readable(path, "parquet"):
        for batch in _parquet_file(path).iter_batches(batch_size=chunk_size):
            frame = batch.to_pandas()
            yield RecordChunk(start, list(range(start + 1, start + 1 + len(frame))), frame)
            start += len(frame)


def read_chunks(
    path: str | Path, chunk_size: int = 5000, *, text: bool = False
) -> Iterator[RecordChunk]:
    """Records of a molecule file, `chunk_size` at a time.

    Args:
        path: CSV/TSV/SMILES/SDF/Parquet file, gzip allowed.
        chunk_size: records per chunk.
        text: read CSV/TSV cells as text, empty cells as ``""`` (no type guessed per chunk,
            so a column keeps one type across chunks); other formats keep their own types.

    Raises:
        InputDataError: missing file, unknown extension, or a file that cannot be parsed.
    """
    path = Path(path)
    if not path.is_file():
        raise InputDataError(f"input file not found: {path}")
    fmt = detect_format(path)
    if fmt in ("csv", "tsv"):
        return _read_delimited(path, fmt, chunk_size, text)
    if fmt == "smi":
        return _read_smiles_list(path, chunk_size)
    if fmt == "sdf":
        return _read_sdf(path, chunk_size)
    return _read_parquet(path, chunk_size)
