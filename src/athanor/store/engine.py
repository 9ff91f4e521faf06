"""Opening the SQLite database: WAL mode so other processes read while a campaign writes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, insert, inspect
from sqlalchemy.exc import DatabaseError

from athanor._version import __version__
from athanor.core.errors import StoreError
from athanor.store import migrations
from athanor.store.migrations import stored_version, upgrade
from athanor.store.schema import SCHEMA_VERSION, meta, metadata

BUSY_TIMEOUT_MS = 60_000


def utc_now() -> str:
    """The current time as an ISO-8601 UTC string (how every timestamp is stored)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _configure_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL: readers never block the writer nor wait for it; NORMAL synchronous is durable
    # against a killed process (only a power loss can drop the last commits).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _create_schema(connection) -> None:
    metadata.create_all(connection)
    connection.execute(
        insert(meta),
        [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "created_at", "value": utc_now()},
            {"key": "created_by", "value": f"athanor {__version__}"},
        ],
    )


def _is_current(engine: Engine) -> bool:
    """Whether the schema exists at this version (read without taking the write lock)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("meta"):
            return False
        return stored_version(connection) == migrations.SCHEMA_VERSION


def _prepare_schema(engine: Engine) -> None:
    """Create the schema or migrate it to the current version, under the write lock.

    An immediate (write-locked) transaction, so two processes opening a new project at once
    cannot both create the schema.
    """
    if _is_current(engine):
        return  # the common case: no lock, so readers never wait for a writer
    with engine.connect() as connection:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # waits for any other writer
        try:
            if not inspect(connection).has_table("meta"):
                _create_schema(connection)
            else:
                upgrade(connection)
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")


def open_engine(database: Path) -> Engine:
    """An engine on `database`, creating the schema or migrating it to the current version.

    Raises:
        StoreError: the database cannot be opened (not an SQLite file, corrupt, unreadable).
        SchemaVersionError: the database was written by a newer Athanor.
    """
    engine = create_engine(f"sqlite:///{database}")
    event.listen(engine, "connect", _configure_sqlite)
    try:
        _prepare_schema(engine)
    except DatabaseError as error:
        engine.dispose()
        raise StoreError(f"cannot open the store database {database}: {error.orig}") from None
    return engine
