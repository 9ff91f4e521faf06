"""Apply a trained model to a molecule file of any size, chunk by chunk.

Rows are read, checked, predicted and appended to the output a chunk at a time, so memory
stays flat for millions of rows. Every input column is kept (read as text, so that a column
has one type in every chunk; condition columns as numbers). A row whose SMILES RDKit cannot
parse, or whose condition value is missing or not a finite number, is skipped and reported
with its line number.

>>> summary = predict_file("models/esol-dmpnn", "library.csv", "predictions.parquet")
>>> summary.predicted, summary.invalid[:3]
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from athanor.chem.parse import smiles_problem
from athanor.core.errors import InputDataError, UnsupportedError
from athanor.store.readers import (
    MOLBLOCK_COLUMN,
    RECORD_FORMATS,
    RecordChunk,
    count_records,
    detect_format,
    read_chunks,
    smiles_from_molblocks,
)
from athanor.workflows.table_writer import TableWriter
from athanor.workflows.trained_model import TrainedModel

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 10_000
MAX_LISTED = 100  # skipped rows listed in a FileSummary; the others are only counted
STAND_IN = "CCO"  # the molecule giving the result columns' types when no row is valid
# columns -> result columns for the valid rows of one chunk
ChunkFunction = Callable[[TrainedModel, np.ndarray, np.ndarray | None], pd.DataFrame]


@dataclass
class FileSummary:
    """What a pass over a file did.

    Attributes:
        rows: records read.
        predicted: rows written to the output.
        skipped: rows skipped (invalid).
        invalid: (line, reason) of the first `MAX_LISTED` skipped rows.
        output: the file written.
        replaced_columns: input columns named like a result column, replaced by it.
        position: what the numbers in `invalid` count: ``line`` (text tables) or
            ``record`` (SDF, Parquet).
    """

    rows: int = 0
    predicted: int = 0
    skipped: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)
    output: Path | None = None
    replaced_columns: list[str] = field(default_factory=list)
    position: str = "line"

    def skip(self, line: int, reason: str) -> None:
        """Count a skipped row (and list it while fewer than `MAX_LISTED` are)."""
        self.skipped += 1
        if len(self.invalid) < MAX_LISTED:
            self.invalid.append((line, reason))
        logger.info("%s %d skipped: %s", self.position, line, reason)


def _condition_problem(column: str, text: object) -> str:
    if pd.isna(text) or not str(text).strip():
        return f"missing value in condition column {column!r}"
    return f"condition column {column!r}: {text!r} is not a finite number"


def _row_problem(
    smiles: list[str],
    molecules: np.ndarray,
    conditions: list[str],
    texts: np.ndarray,
    values: np.ndarray,
) -> str | None:
    """Why one row cannot be used, or None; `values` are the parsed `texts` of its conditions."""
    for column, text in zip(smiles, molecules, strict=True):
        problem = smiles_problem(text)
        if problem is not None:
            return f"column {column!r}: {problem}"
    for column, text, value in zip(conditions, texts, values, strict=True):
        if not np.isfinite(value):
            return _condition_problem(column, text)
    return None


def _check_rows(
    chunk: RecordChunk, smiles: list[str], conditions: list[str], summary: FileSummary
) -> tuple[np.ndarray, np.ndarray]:
    """The chunk's valid rows and its condition values; invalid rows are counted in summary.

    Returns:
        A boolean mask, shape (n_rows,), and the conditions as float64, NaN where a value is
        not a number, shape (n_rows, n_conditions).
    """
    frame = chunk.frame
    texts, molecules = frame[conditions].to_numpy(object), frame[smiles].to_numpy(object)
    values = frame[conditions].apply(pd.to_numeric, errors="coerce").to_numpy(np.float64)
    valid = np.ones(len(frame), dtype=bool)
    for row, line in enumerate(chunk.lines):
        problem = _row_problem(smiles, molecules[row], conditions, texts[row], values[row])
        if problem is not None:
            valid[row] = False
            summary.skip(line, problem)
    return valid, values


def _valid_rows(
    chunk: RecordChunk, smiles: list[str], conditions: list[str], summary: FileSummary
) -> tuple[pd.DataFrame, np.ndarray | None]:
    """The chunk's valid rows, with their conditions as float64 (one column type in every
    chunk) and as an array of shape (n_valid, n_conditions), or None without conditions."""
    valid, values = _check_rows(chunk, smiles, conditions, summary)
    kept = chunk.frame[valid].reset_index(drop=True)
    if not conditions:
        return kept, None
    kept[conditions] = values[valid]
    return kept, values[valid]


def _from_sdf(chunk: RecordChunk, smiles: list[str], summary: FileSummary) -> RecordChunk:
    """An SDF chunk with its mol blocks turned into SMILES, in the one molecule column that
    its data items do not hold (a second component, e.g. a solvent, may be a data item).
    A record RDKit cannot read is skipped; any other chunk is returned as it is."""
    missing = [column for column in smiles if column not in chunk.frame.columns]
    if MOLBLOCK_COLUMN not in chunk.frame.columns or len(missing) != 1:
        return chunk
    converted, failures = smiles_from_molblocks(chunk, missing[0])
    for line, reason in failures:
        summary.skip(line, reason)
    return converted


def _require_columns(frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputDataError(
            f"column(s) {missing} not in the input; columns: {', '.join(map(str, frame.columns))}"
            " (choose with --smiles)"
        )


def _predictions(trained: TrainedModel, smiles: np.ndarray, conditions) -> pd.DataFrame:
    calibrated = trained.predict(smiles, conditions)
    mean, std = calibrated.prediction.mean, calibrated.prediction.std
    if calibrated.lower is None and not std.any():  # a model without uncertainty: σ unknown
        std = np.full_like(std, np.nan)
    columns = {}
    for t, name in enumerate(trained.task_names(mean.shape[1])):
        columns[f"{name}_pred"] = mean[:, t]
        columns[f"{name}_std"] = std[:, t]
        if calibrated.lower is not None:
            columns[f"{name}_lower"] = calibrated.lower[:, t]
            columns[f"{name}_upper"] = calibrated.upper[:, t]
    return pd.DataFrame(columns)


def _embeddings(trained: TrainedModel, smiles: np.ndarray, conditions) -> pd.DataFrame:
    vectors = trained.surrogate.embed(smiles, conditions=conditions)
    return pd.DataFrame(vectors, columns=[f"emb_{i}" for i in range(vectors.shape[1])])


def _no_results(
    trained: TrainedModel, compute: ChunkFunction, n_smiles: int, n_conditions: int
) -> pd.DataFrame:
    """The result columns, with their types and no rows (models refuse an empty input)."""
    molecules = np.full((1, n_smiles), STAND_IN, dtype=object)
    values = np.zeros((1, n_conditions)) if n_conditions else None
    return compute(trained, molecules, values).iloc[:0]


def _refuse_overwriting(input_path: Path, output: Path) -> None:
    if output.resolve() == input_path.resolve():
        raise InputDataError(
            f"output {output} is the input file, which would be lost: choose another output"
        )


def _joined(kept: pd.DataFrame, results: pd.DataFrame, replaced: list[str]) -> pd.DataFrame:
    """The input's rows with the results; an input column named like a result (the output
    of an earlier prediction) is replaced, and said so once per file (`replaced`)."""
    clashes = [c for c in results.columns if c in kept.columns]
    if clashes and not replaced:
        logger.warning("input column(s) %s replaced by this prediction's", clashes)
        replaced.extend(clashes)
    return pd.concat([kept.drop(columns=clashes), results], axis=1)


def _process(
    trained: TrainedModel,
    input_path: Path,
    output: Path,
    compute: ChunkFunction,
    smiles_columns: list[str] | None,
    chunk_size: int,
    progress: bool,
) -> FileSummary:
    _refuse_overwriting(input_path, output)
    smiles = smiles_columns or trained.smiles_columns
    conditions = trained.conditions
    chunks = read_chunks(input_path, chunk_size, text=True)  # checks the file before writing
    fmt = detect_format(input_path)
    total = count_records(input_path, fmt)
    summary = FileSummary(output=output, position="record" if fmt in RECORD_FORMATS else "line")
    header = pd.DataFrame(columns=[*smiles, *conditions])  # the columns of an input without rows
    with TableWriter(output) as writer, tqdm(total=total, disable=not progress, unit="mol") as bar:
        for chunk in chunks:
            summary.rows += len(chunk.frame)
            bar.update(len(chunk.frame))
            chunk = _from_sdf(chunk, smiles, summary)
            _require_columns(chunk.frame, [*smiles, *conditions])
            kept, values = _valid_rows(chunk, smiles, conditions, summary)
            if len(kept):
                results = compute(trained, kept[smiles].to_numpy(object), values)
                writer.write(_joined(kept, results, replaced=summary.replaced_columns))
            header = kept.iloc[:0]
            summary.predicted += len(kept)
        if not writer.started:  # no valid row: the output still gets its columns
            results = _no_results(trained, compute, len(smiles), len(conditions))
            writer.write(_joined(header, results, replaced=summary.replaced_columns))
    return summary


def predict_file(
    model: str | Path,
    input_path: str | Path,
    output: str | Path,
    smiles_columns: list[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = True,
) -> FileSummary:
    """Predict every valid row of a molecule file into a CSV or Parquet file.

    Args:
        model: folder of a trained model (`athanor train`, or `Surrogate.save`).
        input_path: CSV/TSV/SMILES/SDF/Parquet file, gzip allowed. An SDF record's mol
            block becomes the SMILES of the molecule column its data items lack.
        output: ``.csv``, ``.csv.gz`` or ``.parquet``; input columns plus, per task,
            ``<task>_pred``, ``<task>_std`` and (for calibrated models) the conformal
            ``<task>_lower`` and ``<task>_upper``.
        smiles_columns: molecule column(s); default: those the model was trained on.
        chunk_size: rows per chunk (memory grows with it, not with the file).
        progress: show a progress bar.

    Raises:
        InputDataError: missing or unreadable input, missing columns, an unknown output type,
            an output that is the input.
        ModelFileError: the model folder cannot be read.
    """
    trained = TrainedModel.load(model)
    return _process(
        trained, Path(input_path), Path(output), _predictions, smiles_columns, chunk_size, progress
    )


def embed_file(
    model: str | Path,
    input_path: str | Path,
    output: str | Path,
    smiles_columns: list[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool = True,
) -> FileSummary:
    """Write the learned fingerprint (``emb_0`` … ``emb_{d-1}``) of every valid row; the
    arguments are those of `predict_file`.

    Raises:
        UnsupportedError: the model has no learned representation (only ``dmpnn`` has one).
    """
    trained = TrainedModel.load(model)
    if not hasattr(trained.surrogate, "embed"):
        raise UnsupportedError(
            f"a {trained.surrogate.name!r} model has no learned embedding; train a 'dmpnn' model"
        )
    return _process(
        trained, Path(input_path), Path(output), _embeddings, smiles_columns, chunk_size, progress
    )
