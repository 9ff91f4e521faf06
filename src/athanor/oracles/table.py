"""Table oracle: labels looked up in a CSV or Parquet file (retrospective benchmarks).

Typical use: replay a published screen (e.g. the Enamine 10k docking scores) as if each score
were computed on demand, so that an active-learning campaign can be benchmarked for free. The
table's SMILES are standardised like the store's, so lookups match canonical SMILES; a
molecule that is not in the table is a per-item failure. The file's SHA-256 is part of the
fingerprint: editing the table gives a new oracle.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import Field

from athanor.chem import standardize_many
from athanor.core.config import StrictModel
from athanor.core.errors import InputDataError
from athanor.core.records import Molecule
from athanor.oracles.base import Oracle, OracleFailure
from athanor.oracles.registry import register_oracle

log = logging.getLogger(__name__)


class TableParameters(StrictModel):
    """Options of the table oracle.

    Attributes:
        path: CSV (optionally gzipped) or Parquet file.
        smiles_column: column holding the molecules.
        columns: value columns to return (default: every numeric column).
        units: unit of each value column (default ``"1"``).
    """

    path: str
    smiles_column: str = "smiles"
    columns: tuple[str, ...] | None = None
    units: dict[str, str] = Field(default_factory=dict)


def read_table(path: Path):
    """A CSV or Parquet file as a DataFrame.

    Raises:
        InputDataError: missing file or unknown extension.
    """
    import pandas as pd

    if not path.is_file():
        raise InputDataError(f"table not found: {path}")
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.name.endswith((".csv", ".csv.gz")):
        return pd.read_csv(path)
    raise InputDataError(f"table must be .csv, .csv.gz or .parquet: {path}")


@register_oracle("table")
class TableOracle(Oracle):
    """Values of one or more columns of a table, looked up by canonical SMILES."""

    version = "1"
    Parameters = TableParameters

    @cached_property
    def _path(self) -> Path:
        return Path(self.parameters.path).expanduser().resolve()

    @cached_property
    def _columns(self) -> tuple[str, ...]:
        frame = read_table(self._path)
        if self.parameters.smiles_column not in frame.columns:
            raise InputDataError(
                f"no column {self.parameters.smiles_column!r} in {self._path.name}; "
                f"columns: {', '.join(map(str, frame.columns))}"
            )
        numeric = frame.select_dtypes("number").columns
        columns = self.parameters.columns or tuple(numeric)
        unknown = sorted(set(columns) - set(numeric))
        if unknown:
            raise InputDataError(f"not numeric columns of {self._path.name}: {unknown}")
        return tuple(columns)

    @property
    def properties(self) -> dict[str, str]:
        return {name: self.parameters.units.get(name, "1") for name in self._columns}

    def identity(self) -> dict[str, Any]:
        digest = hashlib.sha256(self._path.read_bytes()).hexdigest()
        return {**super().identity(), "table_sha256": digest}

    @cached_property
    def _lookup(self) -> dict[str, dict[str, float]]:
        """Canonical SMILES -> values; the first row wins when standardisation merges rows."""
        frame = read_table(self._path)
        smiles = frame[self.parameters.smiles_column].astype(str).tolist()
        records = frame[list(self._columns)].to_dict("records")
        lookup: dict[str, dict[str, float]] = {}
        for molecule, values in zip(standardize_many(smiles), records, strict=True):
            if isinstance(molecule, Molecule):
                lookup.setdefault(molecule.smiles, values)
        log.info(
            "table %s: %d rows, %d distinct molecules", self._path.name, len(smiles), len(lookup)
        )
        return lookup

    def evaluate_one(self, smiles: str) -> dict[str, float]:
        values = self._lookup.get(smiles)
        if values is None:
            raise OracleFailure(f"molecule not in table {self._path.name}")
        missing = sorted(name for name, value in values.items() if value != value)  # NaN
        if missing:
            raise OracleFailure(f"no value for {', '.join(missing)} in table {self._path.name}")
        return values
