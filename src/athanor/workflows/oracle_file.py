"""An oracle run over a molecule file: the file's molecules with where each one is, and the
file's rows back out with their results.

>>> inputs = read_oracle_inputs("library.csv")
>>> summary = run_oracle(oracle, inputs.smiles, store, lines=inputs.lines)
>>> write_frame(rows_with_results(store, summary, inputs.rows), "labelled.csv")
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from athanor.core.errors import InputDataError
from athanor.execution.summary import RunSummary
from athanor.store import Store
from athanor.store.importing import guess_smiles_column
from athanor.store.readers import RECORD_FORMATS, detect_format, read_chunks


@dataclass
class OracleInputs:
    """The molecules of a file, for `athanor.execution.run_oracle`.

    Attributes:
        smiles: (n,) SMILES or mol blocks, in file order.
        rows: (n, file columns) the file's rows, as text.
        lines: (n,) file line (SDF/Parquet: record) of each row.
        position: what `lines` count: ``line`` or ``record``.
    """

    smiles: list[str]
    rows: pd.DataFrame
    lines: list[int]
    position: str = "line"


def read_oracle_inputs(
    path: str | Path, smiles_column: str | None = None, limit: int | None = None
) -> OracleInputs:
    """The first `limit` molecules of a CSV/TSV/SMILES/SDF/Parquet file (every row if None).

    Raises:
        InputDataError: an unreadable file or no such column (`smiles_column`, default:
            guessed; an SDF record's mol block).
    """
    chunks = list(read_chunks(Path(path), text=True))  # cells written back as they were
    frame = pd.concat([chunk.frame for chunk in chunks], ignore_index=True).iloc[:limit]
    column = smiles_column or guess_smiles_column([str(c) for c in frame.columns])
    if column not in frame.columns:
        raise InputDataError(f"no column {column!r} in {path}")
    lines = [line for chunk in chunks for line in chunk.lines][:limit]
    position = "record" if detect_format(Path(path)) in RECORD_FORMATS else "line"
    return OracleInputs(frame[column].fillna("").astype(str).tolist(), frame, lines, position)


def _molecule_results(store: Store, fingerprint: str, ids: set[int]) -> pd.DataFrame:
    """One row per molecule of `ids`, indexed by store id: ``canonical_smiles``, the
    ``status`` and ``error`` (message) of its last attempt, then the values of its success."""
    attempts = store.evaluations_frame(fingerprint)
    last = attempts[attempts["molecule_id"].isin(ids)].drop_duplicates("molecule_id", keep="last")
    last = last.set_index("molecule_id")[["smiles", "status", "message"]]
    values = store.latest_values(fingerprint).set_index("molecule_id").drop(columns="smiles")
    return last.rename(columns={"smiles": "canonical_smiles", "message": "error"}).join(values)


def rows_with_results(store: Store, summary: RunSummary, rows: pd.DataFrame) -> pd.DataFrame:
    """The input's `rows` in their order, every column kept, each joined with the results of
    its molecule: ``molecule_id``, ``canonical_smiles``, ``status``, ``error``, then the
    values. A refused input has status ``invalid``; a result column named like an input
    column gets the oracle's name as a suffix.

    Args:
        store: the store the run wrote to.
        summary: the run over these rows (its ``input_ids`` and ``input_errors``).
        rows: (n, input columns) the rows given to the run, indexed 0..n-1.
    """
    results = _molecule_results(store, summary.fingerprint, summary.molecule_ids)
    ids = pd.DataFrame({"molecule_id": pd.array(summary.input_ids, dtype="Int64")})
    joined = ids.join(results, on="molecule_id")
    refused = list(summary.input_errors)
    joined.loc[refused, "status"] = "invalid"
    joined.loc[refused, "error"] = list(summary.input_errors.values())
    return rows.join(joined, suffixes=("", f"_{summary.oracle}"))
