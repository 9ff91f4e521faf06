"""The project store: molecules, data sets, oracle results and runs of one project directory.

One SQLite database in WAL mode (``<project>/.athanor/store.sqlite``): every write is a
transaction, a killed writer leaves it consistent, and other processes (``status``,
``report``) read while a campaign writes. Bulk arrays live in Parquet files beside it
(`athanor.store.tables`).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from athanor.core.errors import StoreError
from athanor.store.datasets import DatasetsMixin
from athanor.store.engine import open_engine
from athanor.store.evaluations import EvaluationsMixin
from athanor.store.molecules import MoleculesMixin
from athanor.store.runs import RunsMixin
from athanor.store.selections import SelectionsMixin
from athanor.store.tables import TablesMixin

STORE_DIRECTORY = ".athanor"
DATABASE_NAME = "store.sqlite"


class Store(
    MoleculesMixin, DatasetsMixin, EvaluationsMixin, RunsMixin, SelectionsMixin, TablesMixin
):
    """Handle on a project's store; open it with `Store.open`.

    Attributes:
        directory: the store directory (``<project>/.athanor``).
        engine: the SQLAlchemy engine on its database.
    """

    def __init__(self, directory: Path, engine: Engine):
        self.directory = directory
        self.engine = engine

    @classmethod
    def open(cls, project_dir: str | Path = ".", *, create: bool = True) -> Store:
        """Open (and by default create) the store of the project in `project_dir`.

        Raises:
            StoreError: no store exists and `create` is False, or the path is not usable.
            SchemaVersionError: the store was written by a newer Athanor.
        """
        directory = Path(project_dir) / STORE_DIRECTORY
        database = directory / DATABASE_NAME
        if not database.exists():
            if not create:
                raise StoreError(f"no Athanor store in {Path(project_dir).resolve()}")
            try:
                directory.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"cannot create the store in {directory}: {error}") from None
        return cls(directory, open_engine(database))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
