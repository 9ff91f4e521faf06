"""Reading molecule files in chunks: CSV/TSV, SMILES lists, SDF and Parquet (gzip allowed).

Each chunk is a DataFrame of the input's columns plus the line (or SDF record) number of each
row, so that errors can point at the line a chemist would open in an editor.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

import pandas as pd

from athanor.core.errors import InputDataError, MoleculeError

MOLBLOCK_COLUMN = "molblock"
RECORD_FORMATS = ("sdf", "parquet")  # formats whose rows are numbered by record, not line
COUNT_BATCH = 10_000  # records held at a time while counting
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


def _open_text(path: Path, newline: str | None = None):
    """UTF-8 text (what pandas reads too), gunzipped on the fly for ``.gz``.

    Args:
        path: the file.
        newline: as for `open`; ``""`` keeps line endings as they are in the file.
    """
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline=newline)
    return open(path, encoding="utf-8", newline=newline)


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


def _record_batches(
    lines: Iterable[str], separator: str, size: int
) -> Iterator[tuple[list[int], list[str]]]:
    """Records of a delimited file, the header alone then `size` at a time: the 1-based line
    where each starts, and its text.

    As pandas does, blank lines (of spaces and tabs only) are skipped and a quoted field may
    span lines.
    """
    blank = " \t\r\n".replace(separator, "")  # pandas' whitespace; a tab separates in TSV
    starts: list[int] = []
    texts: list[str] = []
    open_record: list[str] = []  # the lines so far of a record inside a quoted field
    limit = 1
    for number, line in enumerate(lines, start=1):
        if open_record:
            open_record.append(line)
            if '"' not in line or _ends_quoted(line, separator, True):
                continue
            texts.append("".join(open_record))
            open_record = []
        elif line.isspace() and not line.strip(blank):  # isspace first: fast, no copy
            continue
        elif '"' in line and _ends_quoted(line, separator, False):
            starts.append(number)
            open_record = [line]
            continue
        else:
            starts.append(number)
            texts.append(line)
        if len(texts) == limit:
            yield starts, texts
            starts, texts, limit = [], [], size
    if open_record:  # a quote never closed: pandas names the error
        texts.append("".join(open_record))
    if texts:
        yield starts, texts


def _ends_quoted(line: str, separator: str, quoted: bool) -> bool:
    """Whether `line` ends inside a quoted field; `quoted`: whether it starts inside one.

    A quote opens a field only at its start (elsewhere it is a literal character) and a
    doubled quote inside a quoted field stands for one quote. Jumps from quote to quote.
    """
    position = 0
    while (found := line.find('"', position)) >= 0:
        position = found + 1
        if not quoted:
            quoted = found == 0 or line[found - 1] == separator
        elif line.startswith('"', position):  # a doubled quote: still inside
            position += 1
        else:
            quoted = False
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
        batches = _record_batches(handle, _separator(fmt), COUNT_BATCH)
        return max(sum(len(texts) for _, texts in batches) - 1, 0)


def _separator(fmt: str) -> str:
    return "\t" if fmt == "tsv" else ","


_PANDAS_POSITION = re.compile(r"\b(line|row) (\d+)")


def _with_file_lines(message: str, record_lines: list[int]) -> str:
    """A pandas error message on a chunk, its record numbers replaced by file lines.

    pandas counts the records of the text it parses from the header: ``line`` from 1,
    ``row`` from 0; `record_lines` holds the file line of each of them.
    """

    def file_line(match: re.Match) -> str:
        index = int(match[2]) - (match[1] == "line")
        return f"line {record_lines[index]}" if 0 <= index < len(record_lines) else match[0]

    return _PANDAS_POSITION.sub(file_line, message)


def _parse_records(
    header: tuple[list[int], list[str]],
    lines: list[int],
    texts: list[str],
    separator: str,
    options: dict,
) -> pd.DataFrame:
    """Records (`texts`, starting on `lines`) as a DataFrame: pandas parses them below the
    header (its line and text).

    Raises:
        pd.errors.ParserError: a malformed record, named by its file line.
    """
    record_lines = header[0] + lines
    try:
        frame = pd.read_csv(io.StringIO(header[1][0] + "".join(texts)), sep=separator, **options)
    except pd.errors.ParserError as error:
        raise pd.errors.ParserError(_with_file_lines(str(error), record_lines)) from None
    if not isinstance(frame.index, pd.RangeIndex):  # pandas made the extra first fields an index
        fields = len(frame.columns)
        raise pd.errors.ParserError(  # worded as pandas words the error on a later row
            f"Error tokenizing data. C error: Expected {fields} fields in line"
            f" {record_lines[1]}, saw {fields + frame.index.nlevels}\n"
        )
    return frame


def _read_delimited(path: Path, fmt: str, chunk_size: int, text: bool) -> Iterator[RecordChunk]:
    """Chunks of a CSV/TSV file, each row with the line it starts on (blank lines skipped).

    One pass over the file: `_record_batches` cuts it into records, which pandas parses a chunk
    at a time below the header, so each chunk has pandas' columns and types (guessed per chunk
    unless `text`). A file with a header only gives one empty chunk.
    """
    separator = _separator(fmt)
    options = {"dtype": str, "keep_default_na": False} if text else {}
    start = 0
    with _readable(path, fmt), _open_text(path, newline="") as handle:
        batches = _record_batches(handle, separator, chunk_size)
        header = next(batches, ([0], [""]))  # none: pandas reports the file as empty
        for lines, texts in chain([next(batches, ([], []))], batches):
            frame = _parse_records(header, lines, texts, separator, options)
            yield RecordChunk(start, lines, frame)
            start += len(lines)


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


def smiles_from_molblocks(
    chunk: RecordChunk, column: str
) -> tuple[RecordChunk, list[tuple[int, str]]]:
    """An SDF chunk with its mol blocks replaced by their canonical SMILES, in a first column
    named `column`; the records RDKit cannot read are left out.

    Returns:
        The chunk of readable records, and (record number, reason) of each one left out.
    """
    from athanor.chem.parse import molblock_smiles

    texts: list[str | None] = []
    failures: list[tuple[int, str]] = []
    for block, line in zip(chunk.frame[MOLBLOCK_COLUMN], chunk.lines, strict=True):
        try:
            texts.append(molblock_smiles(block))
        except MoleculeError as error:
            texts.append(None)
            failures.append((line, str(error)))
    read = [text is not None for text in texts]
    frame = chunk.frame.drop(columns=MOLBLOCK_COLUMN)
    frame.insert(0, column, texts)
    lines = [line for line, ok in zip(chunk.lines, read, strict=True) if ok]
    return RecordChunk(chunk.start, lines, frame[read].reset_index(drop=True)), failures


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
