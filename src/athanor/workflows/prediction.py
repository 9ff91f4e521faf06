"""Apply a trained model to a molecule file of any size, chunk by chunk.

Rows are read, checked, predicted and appended to the output a chunk at a time, so memory
stays flat for millions of rows. Every input column is kept. A row whose SMILES RDKit cannot
parse (or whose condition value is missing) is skipped and reported with its line number.

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
from athanor.store.readers import RecordChunk, count_records, detect_format, read_chunks
from athanor.workflows.table_writer import TableWriter
from athanor.workflows.trained_model import TrainedModel

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 10_000
# columns -> result columns for the valid rows of one chunk
ChunkFunction = Callable[[TrainedModel, np.ndarray, np.ndarray | None], pd.DataFrame]


@dataclass
class FileSummary:
    """What a pass over a file did.

    Attributes:
        rows: records read.
        predicted: rows written to the output.
        invalid: (line, reason) of each skipped row.
        output: the file written.
    """

    rows: int = 0
    predicted: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)
    output: Path | None = None


def _row_problem(values: list, conditions: list) -> str | None:
    for column, text in values:
        problem = smiles_problem(text)
        if problem is not None:
            return f"column {column!r}: {problem}"
    for column, value in conditions:
        if pd.isna(value):
            return f"missing value in condition column {column!r}"
    return None


def _check_rows(
    chunk: RecordChunk, smiles: list[str], conditions: list[str], summary: FileSummary
) -> np.ndarray:
    """Boolean mask of the chunk's valid rows, shape (n_rows,); invalid ones go to summary."""
    frame = chunk.frame
    valid = np.ones(len(frame), dtype=bool)
    molecules, numbers = frame[smiles].to_numpy(object), frame[conditions].to_numpy(object)
    for row, line in enumerate(chunk.lines):
        problem = _row_problem(
            list(zip(smiles, molecules[row], strict=True)),
            list(zip(conditions, numbers[row], strict=True)),
        )
        if problem is not None:
            valid[row] = False
            summary.invalid.append((line, problem))
            logger.info("line %d skipped: %s", line, problem)
    return valid


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


def _process(
    model: str | Path,
    input_path: str | Path,
    output: str | Path,
    compute: ChunkFunction,
    smiles_columns: list[str] | None,
    chunk_size: int,
    progress: bool,
) -> FileSummary:
    trained = TrainedModel.load(model)
    smiles = smiles_columns or trained.smiles_columns
    conditions = trained.conditions
    chunks = read_chunks(input_path, chunk_size)  # checks the file before anything is written
    summary = FileSummary(output=Path(output))
    total = count_records(Path(input_path), detect_format(Path(input_path)))
    with TableWriter(output) as writer, tqdm(total=total, disable=not progress, unit="mol") as bar:
        for chunk in chunks:
            _require_columns(chunk.frame, [*smiles, *conditions])
            valid = _check_rows(chunk, smiles, conditions, summary)
            kept = chunk.frame[valid].reset_index(drop=True)
            if len(kept):
                values = kept[conditions].to_numpy(np.float64) if conditions else None
                results = compute(trained, kept[smiles].to_numpy(object), values)
                writer.write(pd.concat([kept, results], axis=1))
            summary.rows += len(chunk.frame)
            summary.predicted += len(kept)
            bar.update(len(chunk.frame))
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
        input_path: CSV/TSV/SMILES/SDF/Parquet file, gzip allowed.
        output: ``.csv``, ``.csv.gz`` or ``.parquet``; input columns plus, per task,
            ``<task>_pred``, ``<task>_std`` and (for calibrated models) the conformal
            ``<task>_lower`` and ``<task>_upper``.
        smiles_columns: molecule column(s); default: those the model was trained on.
        chunk_size: rows per chunk (memory grows with it, not with the file).
        progress: show a progress bar.

    Raises:
        InputDataError: missing input or columns, an unknown output type.
        ModelFileError: the model folder cannot be read.
    """
    return _process(model, input_path, output, _predictions, smiles_columns, chunk_size, progress)


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
    surrogate = TrainedModel.load(model).surrogate
    if not hasattr(surrogate, "embed"):
        raise UnsupportedError(
            f"a {surrogate.name!r} model has no learned embedding; train a 'dmpnn' model"
        )
    return _process(model, input_path, output, _embeddings, smiles_columns, chunk_size, progress)
