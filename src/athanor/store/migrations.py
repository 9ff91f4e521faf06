"""Forward migrations of the store schema.

`MIGRATIONS[v]` upgrades a store from schema version v to v + 1 inside one transaction.
A store written by a newer Athanor is refused with `SchemaVersionError`, never modified.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select, update

from athanor.core.errors import SchemaVersionError
from athanor.store.schema import SCHEMA_VERSION, meta

Migration = Callable[[Connection], None]


def _add_selections(connection: Connection) -> None:
    """v1 -> v2: the table of molecules chosen by each campaign round."""
    from athanor.store.schema import selections

    selections.create(connection)


MIGRATIONS: dict[int, Migration] = {1: _add_selections}


def stored_version(connection: Connection) -> int:
    """The schema version recorded in the store."""
    value = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version"))
    return int(value.scalar_one())


def upgrade(connection: Connection, latest: int | None = None) -> int:
    """Apply pending migrations in order up to `latest` (default: `SCHEMA_VERSION`).

    Returns:
        The version reached.

    Raises:
        SchemaVersionError: if the store is newer than `latest`, or a step is missing.
    """
    latest = SCHEMA_VERSION if latest is None else latest
    version = stored_version(connection)
    if version > latest:
        raise SchemaVersionError(
            f"the store has schema version {version}, but this Athanor reads up to version "
            f"{latest}: upgrade athanor (pip install -U athanor)"
        )
    while version < latest:
        if version not in MIGRATIONS:
            raise SchemaVersionError(f"no migration from schema version {version}")
        MIGRATIONS[version](connection)
        version += 1
        connection.execute(
            update(meta).where(meta.c.key == "schema_version").values(value=str(version))
        )
    return version
