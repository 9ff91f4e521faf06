"""Runs (imports, campaigns, trainings): resolved config, environment and seed of each."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import Engine, insert, select, update

from athanor.core.provenance import environment
from athanor.store.engine import utc_now
from athanor.store.schema import runs


class RunsMixin:
    """Store methods for the runs table."""

    engine: Engine

    def start_run(self, kind: str, name: str, config: dict, seed: int | None = None) -> int:
        """Record a new run with its resolved config and the environment; return its id."""
        now = utc_now()
        row = {
            "kind": kind,
            "name": name,
            "status": "running",
            "config": json.dumps(config, sort_keys=True, default=str),
            "environment": json.dumps(environment(), sort_keys=True),
            "seed": seed,
            "created_at": now,
            "updated_at": now,
        }
        with self.engine.begin() as connection:
            return connection.execute(insert(runs).values(row)).inserted_primary_key[0]

    def finish_run(self, run_id: int, status: str = "finished") -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(runs).where(runs.c.id == run_id).values(status=status, updated_at=utc_now())
            )

    def runs_frame(self, kind: str | None = None) -> pd.DataFrame:
        query = select(runs).order_by(runs.c.id)
        if kind is not None:
            query = query.where(runs.c.kind == kind)
        with self.engine.connect() as connection:
            return pd.read_sql(query, connection)
