"""Molecule rows: insert-or-ignore by canonical SMILES, look-ups by SMILES."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from athanor.core.records import Molecule
from athanor.store.engine import utc_now
from athanor.store.schema import molecules

IN_CLAUSE_SIZE = 900  # stay below SQLite's bound-parameter limit


def chunked(items: Sequence, size: int = IN_CLAUSE_SIZE) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_molecules(connection: Connection, new: Sequence[Molecule]) -> list[int]:
    """Insert-or-ignore `new` within an open transaction; return their ids in input order."""
    if not new:
        return []
    now = utc_now()
    rows = [
        {
            "smiles": m.smiles,
            "inchikey": m.inchikey,
            "heavy_atoms": m.heavy_atoms,
            "formal_charge": m.formal_charge,
            "radical_electrons": m.radical_electrons,
            "created_at": now,
        }
        for m in {m.smiles: m for m in new}.values()
    ]
    statement = sqlite_insert(molecules).on_conflict_do_nothing(index_elements=["smiles"])
    connection.execute(statement, rows)
    ids = select_molecule_ids(connection, [m.smiles for m in new])
    return [ids[m.smiles] for m in new]


def select_molecule_ids(connection: Connection, smiles: Sequence[str]) -> dict[str, int]:
    """Canonical SMILES -> id for the stored ones among `smiles`."""
    ids: dict[str, int] = {}
    unique = list(dict.fromkeys(smiles))
    for part in chunked(unique):
        query = select(molecules.c.smiles, molecules.c.id).where(molecules.c.smiles.in_(part))
        ids.update({smiles: id_ for smiles, id_ in connection.execute(query)})
    return ids


class MoleculesMixin:
    """Store methods for the molecules table."""

    engine: Engine

    def add_molecules(self, new: Sequence[Molecule]) -> list[int]:
        """Store molecules not stored yet (keyed by canonical SMILES); ids in input order."""
        with self.engine.begin() as connection:
            return insert_molecules(connection, new)

    def molecule_ids(self, smiles: Sequence[str]) -> dict[str, int]:
        """Canonical SMILES -> id, for those of `smiles` that are stored."""
        with self.engine.connect() as connection:
            return select_molecule_ids(connection, smiles)

    def count_molecules(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(molecules)).scalar_one()
