"""Data sets and libraries: which molecules, in which conditions, with which extra columns.

Each input record is one row keyed by (data set, record index), valid or not, so that an
import is idempotent and resumable and bad rows stay visible with their line numbers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, Engine, case, delete, func, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from athanor.core.errors import InputDataError
from athanor.core.records import Molecule, MoleculeFailure
from athanor.store import jsonutil
from athanor.store.engine import utc_now
from athanor.store.molecules import insert_molecules
from athanor.store.schema import dataset_rows, datasets, molecules

STORE_COLUMNS = ("row", "line", "molecule_id", "smiles", "inchikey", "status", "reason", "message")


@dataclass(frozen=True, slots=True)
class DatasetRow:
    """One input record and what standardisation made of it."""

    row: int
    line: int
    input: str
    result: Molecule | MoleculeFailure
    conditions: dict
    extra: dict


@dataclass(frozen=True, slots=True)
class DatasetHeader:
    """What a data set was imported from and how."""

    id: int
    name: str
    source: str
    smiles_column: str
    columns: list[str]
    condition_columns: list[str]
    standardizer: dict


def _header(row) -> DatasetHeader:
    return DatasetHeader(
        id=row.id,
        name=row.name,
        source=row.source,
        smiles_column=row.smiles_column,
        columns=json.loads(row.columns),
        condition_columns=json.loads(row.condition_columns),
        standardizer=json.loads(row.standardizer),
    )


def _options(standardizer: dict | None) -> dict:
    """Standardiser options in canonical form: collection values (sets of elements) sorted,
    as a set's iteration order varies between processes."""
    return {
        key: sorted(value) if isinstance(value, list | tuple | set | frozenset) else value
        for key, value in (standardizer or {}).items()
    }


def _difference(
    stored: DatasetHeader,
    source: str,
    smiles_column: str,
    columns: Sequence[str],
    condition_columns: Sequence[str],
    standardizer: dict | None,
) -> str | None:
    """How an import differs from the stored data set of that name; None if it may resume."""
    if stored.source != source:
        return f"imported from {stored.source}"
    if stored.smiles_column != smiles_column:
        return f"with SMILES column '{stored.smiles_column}', not '{smiles_column}'"
    if stored.condition_columns != list(condition_columns):
        return f"with condition columns {stored.condition_columns}, not {list(condition_columns)}"
    unknown = [c for c in columns if c not in stored.columns]
    if unknown:
        return f"with columns {stored.columns}, without {unknown}"
    old, new = _options(stored.standardizer), _options(standardizer)
    changed = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
    if changed:
        return f"with other standardiser options ({', '.join(changed)})"
    return None


def _write_rows(connection: Connection, dataset_id: int, rows: Sequence[DatasetRow]) -> None:
    valid = [r for r in rows if isinstance(r.result, Molecule)]
    molecule_ids = insert_molecules(connection, [r.result for r in valid])
    ids = {r.row: molecule_id for r, molecule_id in zip(valid, molecule_ids, strict=True)}
    records = []
    for r in rows:
        failure = r.result if isinstance(r.result, MoleculeFailure) else None
        records.append(
            {
                "dataset_id": dataset_id,
                "row": r.row,
                "line": r.line,
                "molecule_id": ids.get(r.row),
                "input": r.input,
                "conditions": jsonutil.dumps(r.conditions),
                "extra": jsonutil.dumps(r.extra),
                "status": "invalid" if failure else "ok",
                "reason": failure.reason if failure else None,
                "message": failure.message if failure else None,
            }
        )
    statement = sqlite_insert(dataset_rows).on_conflict_do_nothing()
    connection.execute(statement, records)


class DatasetsMixin:
    """Store methods for data sets and their rows."""

    engine: Engine

    def create_dataset(
        self,
        name: str,
        source: str,
        smiles_column: str,
        columns: Sequence[str],
        condition_columns: Sequence[str] = (),
        standardizer: dict | None = None,
    ) -> DatasetHeader:
        """Create a data set, or return the existing one imported the same way (to resume).

        Raises:
            InputDataError: a data set of that name exists with another source, SMILES or
                condition columns, input columns or standardiser options.
        """
        existing = self.find_dataset(name)
        if existing is not None:
            difference = _difference(
                existing, source, smiles_column, columns, condition_columns, standardizer
            )
            if difference is not None:
                raise InputDataError(
                    f"data set '{name}' already exists, {difference}; "
                    "choose another --name or pass --replace"
                )
            return existing
        row = {
            "name": name,
            "source": source,
            "smiles_column": smiles_column,
            "columns": json.dumps(list(columns)),
            "condition_columns": json.dumps(list(condition_columns)),
            "standardizer": json.dumps(_options(standardizer), sort_keys=True),
            "created_at": utc_now(),
        }
        with self.engine.begin() as connection:
            connection.execute(insert(datasets).values(row))
        return self.dataset(name)

    def find_dataset(self, name: str) -> DatasetHeader | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(datasets).where(datasets.c.name == name)).first()
        return None if row is None else _header(row)

    def dataset(self, name: str) -> DatasetHeader:
        """The data set `name`. Raises InputDataError naming the stored ones if absent."""
        header = self.find_dataset(name)
        if header is None:
            names = ", ".join(self.list_datasets()["name"]) or "none"
            raise InputDataError(f"no data set named '{name}' in the store (stored: {names})")
        return header

    def extend_columns(self, header: DatasetHeader, columns: Sequence[str]) -> DatasetHeader:
        """Append input columns first seen in a later chunk (SDF data items vary by record)."""
        new = [c for c in columns if c not in header.columns]
        if not new:
            return header
        merged = [*header.columns, *new]
        with self.engine.begin() as connection:
            connection.execute(
                update(datasets)
                .where(datasets.c.id == header.id)
                .values(columns=json.dumps(merged))
            )
        return self.dataset(header.name)

    def delete_dataset(self, name: str) -> None:
        header = self.dataset(name)
        with self.engine.begin() as connection:
            connection.execute(delete(dataset_rows).where(dataset_rows.c.dataset_id == header.id))
            connection.execute(delete(datasets).where(datasets.c.id == header.id))

    def add_dataset_rows(self, dataset_id: int, rows: Sequence[DatasetRow]) -> None:
        """Write rows and their molecules in one transaction (already stored rows are kept)."""
        with self.engine.begin() as connection:
            _write_rows(connection, dataset_id, rows)

    def stored_row_count(self, dataset_id: int) -> int:
        """How many leading records of the input are stored (where a resumed import starts)."""
        query = select(func.coalesce(func.max(dataset_rows.c.row) + 1, 0)).where(
            dataset_rows.c.dataset_id == dataset_id
        )
        with self.engine.connect() as connection:
            return connection.execute(query).scalar_one()

    def stored_inputs(self, dataset_id: int, start: int, stop: int) -> dict[int, str]:
        """Record index -> input text (SMILES or mol block) of the stored records in
        [start, stop)."""
        columns = dataset_rows.c
        query = select(columns.row, columns.input).where(
            columns.dataset_id == dataset_id, columns.row >= start, columns.row < stop
        )
        with self.engine.connect() as connection:
            return {key: value for key, value in connection.execute(query).all()}

    def list_datasets(self) -> pd.DataFrame:
        """name, source, rows, valid, invalid, molecules (unique), created_at per data set."""
        is_ok = case((dataset_rows.c.status == "ok", 1), else_=0)
        query = (
            select(
                datasets.c.name,
                datasets.c.source,
                func.count(dataset_rows.c.row).label("rows"),
                func.coalesce(func.sum(is_ok), 0).label("valid"),
                func.count(func.distinct(dataset_rows.c.molecule_id)).label("molecules"),
                datasets.c.created_at,
            )
            .select_from(datasets.outerjoin(dataset_rows))
            .group_by(datasets.c.id)
            .order_by(datasets.c.id)
        )
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        frame.insert(4, "invalid", frame["rows"] - frame["valid"])
        return frame

    def dataset_molecules(self, name: str) -> pd.DataFrame:
        """``molecule_id`` and canonical ``smiles`` of the data set's valid rows, in input
        order, once per molecule (first occurrence): a pool's candidates, without reading or
        decoding the input's other columns."""
        header = self.dataset(name)
        first_row = (
            select(dataset_rows.c.molecule_id, func.min(dataset_rows.c.row).label("row"))
            .where(dataset_rows.c.dataset_id == header.id, dataset_rows.c.status == "ok")
            .group_by(dataset_rows.c.molecule_id)
            .subquery()
        )
        query = (
            select(first_row.c.molecule_id, molecules.c.smiles)
            .join(molecules, molecules.c.id == first_row.c.molecule_id)
            .order_by(first_row.c.row)
        )
        with self.engine.connect() as connection:
            return pd.read_sql(query, connection)

    def dataset_frame(self, name: str, include_invalid: bool = False) -> pd.DataFrame:
        """The data set as a table: store columns (`STORE_COLUMNS`) then the input's columns.

        ``smiles`` is the canonical SMILES; an input column whose name clashes with a store
        column is renamed ``input_<name>``.
        """
        header = self.dataset(name)
        query = (
            select(dataset_rows, molecules.c.smiles, molecules.c.inchikey)
            .outerjoin(molecules, molecules.c.id == dataset_rows.c.molecule_id)
            .where(dataset_rows.c.dataset_id == header.id)
            .order_by(dataset_rows.c.row)
        )
        if not include_invalid:
            query = query.where(dataset_rows.c.status == "ok")
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        extra = pd.DataFrame([jsonutil.loads(e) for e in frame["extra"]], index=frame.index)
        extra = extra.reindex(columns=header.columns)
        extra.columns = _unique_input_names(header.columns)
        return pd.concat([frame[list(STORE_COLUMNS)], extra], axis=1)


def _unique_input_names(columns: Sequence[str]) -> list[str]:
    """Input column names, prefixed with ``input_`` (repeatedly) where they clash."""
    taken = set(STORE_COLUMNS)
    names = []
    for column in columns:
        name = column
        while name in taken:
            name = f"input_{name}"
        taken.add(name)
        names.append(name)
    return names
