"""Oracle results: one row per attempt, at most one success per (molecule, fingerprint)."""

from __future__ import annotations

import json

import pandas as pd
from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from athanor.core.provenance import host_name, package_versions
from athanor.core.records import Evaluation
from athanor.store import jsonutil
from athanor.store.engine import utc_now
from athanor.store.schema import evaluations, molecules, oracles


class EvaluationsMixin:
    """Store methods for oracles and their evaluations."""

    engine: Engine

    def register_oracle(
        self,
        fingerprint: str,
        name: str,
        version: str,
        parameters: dict,
        properties: dict[str, str],
    ) -> None:
        """Record an oracle configuration (idempotent). `properties` maps name -> unit."""
        row = {
            "fingerprint": fingerprint,
            "name": name,
            "version": version,
            "parameters": json.dumps(parameters, sort_keys=True, default=str),
            "properties": json.dumps(properties, sort_keys=True),
            "created_at": utc_now(),
        }
        statement = sqlite_insert(oracles).on_conflict_do_nothing(index_elements=["fingerprint"])
        with self.engine.begin() as connection:
            connection.execute(statement, row)

    def record_evaluation(
        self,
        molecule_id: int,
        fingerprint: str,
        evaluation: Evaluation,
        *,
        attempt: int = 1,
        transient: bool = False,
        run_id: int | None = None,
    ) -> None:
        """Write one attempt in its own transaction, committed before returning.

        A second success for the same (molecule, fingerprint) is ignored: the first one stays.
        """
        row = {
            "molecule_id": molecule_id,
            "fingerprint": fingerprint,
            "status": evaluation.status,
            "values": jsonutil.dumps(evaluation.values),
            "message": evaluation.message,
            "runtime_s": float(evaluation.runtime_s),
            "attempt": attempt,
            "transient": int(transient),
            "host": host_name(),
            "versions": json.dumps(package_versions(), sort_keys=True),
            "run_id": run_id,
            "geometry": evaluation.geometry,
            "created_at": utc_now(),
        }
        statement = sqlite_insert(evaluations).on_conflict_do_nothing()
        with self.engine.begin() as connection:
            connection.execute(statement, row)

    def oracle_names(self) -> dict[str, str]:
        """Fingerprint -> name of every oracle registered in the store."""
        with self.engine.connect() as connection:
            query = select(oracles.c.fingerprint, oracles.c.name)
            return {key: value for key, value in connection.execute(query).all()}

    def finished_molecule_ids(self, fingerprint: str) -> set[int]:
        """Molecules never to compute again: a success, or a failure that is not transient."""
        query = select(evaluations.c.molecule_id).where(
            and_(
                evaluations.c.fingerprint == fingerprint,
                or_(evaluations.c.status == "ok", evaluations.c.transient == 0),
            )
        )
        with self.engine.connect() as connection:
            return set(connection.execute(query).scalars())

    def evaluations_frame(self, fingerprint: str | None = None) -> pd.DataFrame:
        """Every attempt, one row each, with one column per property value."""
        query = (
            select(evaluations, molecules.c.smiles, oracles.c.name.label("oracle"))
            .join(molecules, molecules.c.id == evaluations.c.molecule_id)
            .join(oracles, oracles.c.fingerprint == evaluations.c.fingerprint)
            .order_by(evaluations.c.id)
        )
        if fingerprint is not None:
            query = query.where(evaluations.c.fingerprint == fingerprint)
        with self.engine.connect() as connection:
            frame = pd.read_sql(query, connection)
        values = pd.DataFrame([jsonutil.loads(v) for v in frame.pop("values")], index=frame.index)
        return pd.concat([frame, values], axis=1)

    def latest_values(self, fingerprint: str) -> pd.DataFrame:
        """One row per successfully evaluated molecule: molecule_id, smiles, property columns."""
        frame = self.evaluations_frame(fingerprint)
        ok = frame[frame["status"] == "ok"]
        drop = [
            "id",
            "fingerprint",
            "status",
            "message",
            "attempt",
            "transient",
            "host",
            "versions",
            "run_id",
            "geometry",
            "created_at",
            "oracle",
        ]
        return ok.drop(columns=drop).reset_index(drop=True)
