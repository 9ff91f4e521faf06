"""Schema versions: forward migrations run in order; a newer store is refused untouched."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from athanor.core.errors import SchemaVersionError
from athanor.store import Store, migrations
from athanor.store.engine import open_engine


def _schema_version(database) -> int:
    with sqlite3.connect(database) as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0])


def test_a_newer_store_is_refused_and_left_unchanged(tmp_path):
    Store.open(tmp_path).close()
    database = tmp_path / ".athanor" / "store.sqlite"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match=r"schema version 99.*upgrade athanor"):
        Store.open(tmp_path)
    assert _schema_version(database) == 99


def test_pending_migrations_run_in_order_and_keep_data(tmp_path, monkeypatch):
    from athanor.chem import standardize

    with Store.open(tmp_path) as store:
        store.add_molecules([standardize("CCO")])
    database = tmp_path / ".athanor" / "store.sqlite"
    current = _schema_version(database)
    applied = []

    def add_note_column(connection):
        applied.append("note")
        connection.execute(text("ALTER TABLE molecules ADD COLUMN note TEXT DEFAULT 'kept'"))

    def add_index(connection):
        applied.append("index")
        connection.execute(text("CREATE INDEX ix_molecules_note ON molecules (note)"))

    monkeypatch.setitem(migrations.MIGRATIONS, current, add_note_column)
    monkeypatch.setitem(migrations.MIGRATIONS, current + 1, add_index)
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", current + 2)
    Store.open(tmp_path).close()
    assert applied == ["note", "index"]
    assert _schema_version(database) == current + 2
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT smiles, note FROM molecules").fetchall()
    assert rows == [("CCO", "kept")]


def test_a_missing_migration_step_is_an_error(tmp_path):
    Store.open(tmp_path).close()
    database = tmp_path / ".athanor" / "store.sqlite"
    engine = open_engine(database)
    latest = _schema_version(database) + 1
    with (
        pytest.raises(SchemaVersionError, match="no migration from schema version"),
        engine.begin() as connection,
    ):
        migrations.upgrade(connection, latest=latest)
    engine.dispose()


def test_a_version_1_store_gains_the_selections_table(tmp_path):
    from sqlalchemy import create_engine, insert

    from athanor.store.schema import meta, metadata

    database = tmp_path / ".athanor" / "store.sqlite"
    database.parent.mkdir()
    engine = create_engine(f"sqlite:///{database}")
    version_1 = [table for table in metadata.sorted_tables if table.name != "selections"]
    with engine.begin() as connection:
        metadata.create_all(connection, tables=version_1)
        connection.execute(insert(meta), [{"key": "schema_version", "value": "1"}])
    engine.dispose()
    with Store.open(tmp_path) as store:
        assert store.selections_frame(run_id=1).empty
    assert _schema_version(database) == 2
