"""Importing molecule files into the store: standardise, deduplicate, keep every column.

An import is a stream of chunks: each chunk is standardised (in worker processes) and written
in one transaction with its molecules. A killed import leaves whole chunks; running the same
command again resumes after the last stored record. Bad records are kept as ``invalid`` rows
with their line number and reason, and never stop the other rows.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from tqdm.auto import tqdm

from athanor.chem.standardize import StandardizerOptions, standardize_or_failure
from athanor.core.errors import InputDataError
from athanor.core.parallel import imap_chunks
from athanor.core.records import MoleculeFailure
from athanor.store.datasets import DatasetRow
from athanor.store.readers import (
    MOLBLOCK_COLUMN,
    RecordChunk,
    count_records,
    detect_format,
    read_chunks,
)
from athanor.store.store import Store

logger = logging.getLogger(__name__)

WORKER_CHUNK = 500  # records per task sent to a worker process


@dataclass
class ImportReport:
    """What an import did.

    Attributes:
        dataset: name of the data set.
        rows: records in the data set after the import.
        valid: records standardised into molecules.
        invalid: records refused (see `failures`).
        resumed_from: records already stored before this run (a resumed import).
        failures: (line, input, reason, message) of invalid records, in file order.
        seconds: wall time of this run.
    """

    dataset: str
    rows: int = 0
    valid: int = 0
    invalid: int = 0
    resumed_from: int = 0
    failures: list[tuple[int, str, str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Records imported per second in this run."""
        return (self.rows - self.resumed_from) / self.seconds if self.seconds else 0.0


def guess_smiles_column(columns: Sequence[str]) -> str:
    """The column holding SMILES: 'smiles' (any case), else the only one containing 'smiles'.

    Raises:
        InputDataError: no such column, or an ambiguous choice (names the candidates).
    """
    if MOLBLOCK_COLUMN in columns:
        return MOLBLOCK_COLUMN
    exact = [c for c in columns if str(c).lower() == "smiles"]
    if exact:
        return exact[0]
    partial_matches = [c for c in columns if "smiles" in str(c).lower()]
    if len(partial_matches) == 1:
        return partial_matches[0]
    raise InputDataError(
        f"cannot tell which column holds SMILES among {list(columns)}: pass --smiles-column"
    )


def _check_columns(columns: Sequence[str], wanted: Sequence[str]) -> None:
    missing = [c for c in wanted if c not in columns]
    if missing:
        raise InputDataError(f"column(s) {missing} not in the input (columns: {list(columns)})")


def _input_texts(frame, smiles_column: str) -> list[str]:
    """The molecule column as text, "" for an empty cell."""
    column = frame[smiles_column]
    return column.astype(str).where(column.notna(), "").tolist()


def _dataset_rows(chunk: RecordChunk, results, smiles_column: str, conditions) -> list[DatasetRow]:
    records = chunk.frame.to_dict("records")
    texts = _input_texts(chunk.frame, smiles_column)
    return [
        DatasetRow(
            row=chunk.start + i,
            line=chunk.lines[i],
            input=texts[i],
            result=result,
            conditions={c: record.get(c) for c in conditions},
            extra={k: v for k, v in record.items() if k != MOLBLOCK_COLUMN},
        )
        for i, (record, result) in enumerate(zip(records, results, strict=True))
    ]


def _work(
    chunks: Iterator[RecordChunk], skip: int, smiles_column: str, stored: _Stored | None = None
):
    """Pairs (piece, texts) for records not stored yet, in pieces of `WORKER_CHUNK`; the
    first `skip` records, stored by an earlier run, are checked against what it `stored`.

    Raises:
        InputDataError: the file changed since the earlier run (an edited record, or fewer
            records than were stored).
    """
    read = 0
    for chunk in chunks:
        frame = chunk.frame
        texts = _input_texts(frame, smiles_column)
        done = min(max(skip - chunk.start, 0), len(frame))
        if done and stored is not None:
            _check_stored(chunk, texts[:done], stored(chunk.start, chunk.start + done))
        read = chunk.start + len(frame)
        for begin in range(done, len(frame), WORKER_CHUNK):
            piece = frame.iloc[begin : begin + WORKER_CHUNK].reset_index(drop=True)
            lines = chunk.lines[begin : begin + WORKER_CHUNK]
            yield (
                RecordChunk(chunk.start + begin, lines, piece),
                texts[begin : begin + WORKER_CHUNK],
            )
    if read < skip:
        raise InputDataError(
            f"the file has {read} records, but an earlier import stored {skip}: it changed "
            f"since; import it again with --replace{_CHANGED_HINT}"
        )


_Stored = Callable[[int, int], dict[int, str]]  # (start, stop) -> record index -> input
_CHANGED_HINT = " (or under another --name)"


def _check_stored(chunk: RecordChunk, texts: list[str], stored: dict[int, str]) -> None:
    """Raise if a record differs from the input the earlier run stored for it."""
    for offset, text in enumerate(texts):
        old = stored.get(chunk.start + offset)
        if old != text and not (text == "" and old == "nan"):  # how older imports kept a blank
            raise InputDataError(
                f"line {chunk.lines[offset]} is {_excerpt(text)!r}, but an earlier import "
                f"stored {_excerpt(old or '')!r} there: the file changed since; import it "
                f"again with --replace{_CHANGED_HINT}"
            )


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class _Input:
    """An opened molecule file: its first chunk already read, to learn the columns."""

    path: Path
    first: RecordChunk
    rest: Iterator[RecordChunk]
    smiles_column: str
    total: int | None

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.first.frame.columns if c != MOLBLOCK_COLUMN]

    def chunks(self) -> Iterator[RecordChunk]:
        yield self.first
        yield from self.rest


def _open_input(path: Path, smiles_column: str | None, required: Sequence[str] = ()) -> _Input:
    chunks = read_chunks(path)
    total = count_records(path, detect_format(path))
    first = next(chunks, None)
    if first is None:
        raise InputDataError(f"{path.name}: no records")
    columns = [str(c) for c in first.frame.columns]
    smiles_column = smiles_column or guess_smiles_column(columns)
    _check_columns(columns, [smiles_column, *required])
    return _Input(path, first, chunks, smiles_column, total)


def _progress(total: int | None, initial: int, desc: str, progress: bool) -> tqdm:
    return tqdm(total=total, initial=initial, unit="mol", desc=desc, disable=not progress)


def _create_dataset(store: Store, name: str, source: _Input, conditions, options, replace):
    if replace and store.find_dataset(name) is not None:
        store.delete_dataset(name)
    return store.create_dataset(
        name,
        str(source.path.resolve()),
        source.smiles_column,
        source.columns,
        conditions,
        options.model_dump(mode="json"),
    )


def import_file(
    store: Store,
    path: str | Path,
    *,
    name: str | None = None,
    smiles_column: str | None = None,
    conditions: Sequence[str] = (),
    standardizer: StandardizerOptions | None = None,
    n_jobs: int | None = None,
    replace: bool = False,
    progress: bool = True,
) -> ImportReport:
    """Import a CSV/TSV/SMILES/SDF/Parquet file (optionally gzipped) as the data set `name`.

    Args:
        store: the project store.
        path: the input file.
        name: data set name (default: the file name without extensions).
        smiles_column: the SMILES column (guessed if None; SDF records use their mol block).
        conditions: columns describing conditions (e.g. solvent), kept apart from the molecule.
        standardizer: standardisation options (recorded with the data set).
        n_jobs: worker processes (default: all CPUs for large files).
        replace: delete an existing data set of that name first.
        progress: show a progress bar.

    Raises:
        InputDataError: unreadable file, missing columns, or a name clash.
    """
    path, options = Path(path), standardizer or StandardizerOptions()
    name = name or path.name.split(".")[0]
    source = _open_input(path, smiles_column, conditions)
    header = _create_dataset(store, name, source, conditions, options, replace)
    report = ImportReport(dataset=name, resumed_from=store.stored_row_count(header.id))
    if n_jobs is None:
        n_jobs = os.cpu_count() or 1 if (source.total or 0) > 4 * WORKER_CHUNK else 1
    worker = partial(standardize_or_failure, options=options)
    stored = partial(store.stored_inputs, header.id)
    work = _work(source.chunks(), report.resumed_from, source.smiles_column, stored)
    started = time.perf_counter()
    with _progress(source.total, report.resumed_from, f"import {name}", progress) as bar:
        for piece, results in imap_chunks(worker, work, n_jobs=n_jobs):
            header = store.extend_columns(
                header, [str(c) for c in piece.frame.columns if c != MOLBLOCK_COLUMN]
            )
            rows = _dataset_rows(piece, results, source.smiles_column, conditions)
            store.add_dataset_rows(header.id, rows)
            _tally(report, piece, results)
            bar.update(len(results))
    report.seconds = time.perf_counter() - started
    summary = store.list_datasets().set_index("name").loc[name]
    report.rows, report.valid, report.invalid = (
        int(summary[c]) for c in ("rows", "valid", "invalid")
    )
    return report


def _tally(report: ImportReport, piece: RecordChunk, results) -> None:
    for line, result in zip(piece.lines, results, strict=True):
        if isinstance(result, MoleculeFailure):
            report.failures.append((line, result.input[:80], result.reason, result.message))


def validate_file(
    path: str | Path,
    *,
    smiles_column: str | None = None,
    standardizer: StandardizerOptions | None = None,
    n_jobs: int = 1,
    progress: bool = True,
) -> ImportReport:
    """Standardise every record of a file without storing anything; report invalid ones."""
    source = _open_input(Path(path), smiles_column)
    worker = partial(standardize_or_failure, options=standardizer or StandardizerOptions())
    report = ImportReport(dataset=source.path.name)
    started = time.perf_counter()
    work = _work(source.chunks(), 0, source.smiles_column)
    with _progress(source.total, 0, f"validate {source.path.name}", progress) as bar:
        for piece, results in imap_chunks(worker, work, n_jobs=n_jobs):
            _tally(report, piece, results)
            report.rows += len(results)
            bar.update(len(results))
    report.invalid = len(report.failures)
    report.valid = report.rows - report.invalid
    report.seconds = time.perf_counter() - started
    return report
