"""Table oracle: labels looked up in a CSV or Parquet file (retrospective benchmarks).

Typical use: replay a published screen (e.g. the Enamine 10k docking scores) as if each score
were computed on demand, so that an active-learning campaign can be benchmarked for free. The
table's SMILES are standardised like the store's, so lookups match canonical SMILES; a
molecule that is not in the table is a per-item failure. A pool imported with other
standardiser options (canonical tautomers, no stereo, a larger size limit) has other canonical
SMILES: give the table the same options (``standardizer``), or its lookups miss. The file's
SHA-256 is part of the fingerprint: editing the table gives a new oracle.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import Field

from athanor.chem import StandardizerOptions, standardize_many
from athanor.core.config import StrictModel
from athanor.core.errors import InputDataError
from athanor.core.records import Molecule
from athanor.oracles.base import Oracle, OracleFailure
from athanor.oracles.registry import register_oracle

log = logging.getLogger(__name__)
PROGRESS_ROWS = 2000  # larger tables take seconds to standardise: show a progress bar


class TableParameters(StrictModel):
    """Options of the table oracle.

    Attributes:
        path: CSV (optionally gzipped) or Parquet file.
        smiles_column: column holding the molecules.
        columns: value columns to return (default: every numeric column).
        units: unit of each value column (default ``"1"``).
        standardizer: how the table's SMILES become lookup keys: the options the molecules
            looked up were standardised with, e.g. those their data set was imported with
            (``Store.dataset(name).standardizer``); None for the defaults.
    """

    path: str
    smiles_column: str = "smiles"
    columns: tuple[str, ...] | None = None
    units: dict[str, str] = Field(default_factory=dict)
    standardizer: StandardizerOptions | None = None


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
    """Values of one or more columns of a table, looked up by canonical SMILES.

    The table is read and standardised when the oracle is built (in the driver: ~2 ms per
    row), so that worker processes receive the finished lookup with the pickled oracle and no
    molecule's per-call timeout pays for it.

    Raises:
        InputDataError: missing or unreadable table, or unknown columns.
    """

    version = "1"
    Parameters = TableParameters

    def __init__(self, parameters: TableParameters | None = None, **options: Any):
        super().__init__(parameters, **options)
        self._index, self._values = self._build_lookup()

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
        identity = super().identity()
        options = identity["parameters"].pop("standardizer")
        if options is not None:  # left out when unset: older tables keep their fingerprint
            elements = sorted(options["allowed_elements"])  # a set's order varies by process
            identity["parameters"]["standardizer"] = {**options, "allowed_elements": elements}
        digest = hashlib.sha256(self._path.read_bytes()).hexdigest()
        return {**identity, "table_sha256": digest}

    def _build_lookup(self) -> tuple[dict[str, int], np.ndarray]:
        """Canonical SMILES -> row of a float array of shape (n_rows, n_columns) (compact to
        pickle); the first row wins when standardisation merges rows."""
        frame = read_table(self._path)
        smiles = frame[self.parameters.smiles_column].astype(str).tolist()
        index: dict[str, int] = {}
        molecules = standardize_many(
            smiles, options=self.parameters.standardizer, progress=len(smiles) >= PROGRESS_ROWS
        )
        for row, molecule in enumerate(molecules):
            if isinstance(molecule, Molecule):
                index.setdefault(molecule.smiles, row)
        log.info(
            "table %s: %d rows, %d distinct molecules", self._path.name, len(smiles), len(index)
        )
        return index, frame[list(self._columns)].to_numpy(dtype=float)

    def evaluate_one(self, smiles: str) -> dict[str, float]:
        row = self._index.get(smiles)
        if row is None:
            raise OracleFailure(f"molecule not in table {self._path.name}")
        values = dict(zip(self._columns, self._values[row].tolist(), strict=True))
        missing = sorted(name for name, value in values.items() if np.isnan(value))
        if missing:
            raise OracleFailure(f"no value for {', '.join(missing)} in table {self._path.name}")
        return values
