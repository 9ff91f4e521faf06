"""Campaign selections: which molecules each round of a campaign chose to evaluate."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from athanor.store.engine import utc_now
from athanor.store.schema import molecules, selections


class SelectionsMixin:
    """Store methods for the selections table."""

    engine: Engine

    def record_selection(
        self,
        run_id: int,
        round_: int,
        molecule_ids: Sequence[int],
        scores: Sequence[float | None] | None = None,
    ) -> None:
        """Record one round's batch in one transaction (already selected molecules are kept)."""
        now = utc_now()
        scores = scores if scores is not None else [None] * len(molecule_ids)
        rows = [
            {
                "run_id": run_id,
                "round": round_,
                "molecule_id": int(m),
                "score": s,
                "created_at": now,
            }
            for m, s in zip(molecule_ids, scores, strict=True)
        ]
        if rows:
            with self.engine.begin() as connection:
                connection.execute(sqlite_insert(selections).on_conflict_do_nothing(), rows)

    def selections_frame(self, run_id: int) -> pd.DataFrame:
        """round, molecule_id, smiles, score of every selected molecule, in selection order."""
        query = (
            select(
                selections.c.round,
                selections.c.molecule_id,
                molecules.c.smiles,
                selections.c.score,
                selections.c.created_at,
            )
            .join(molecules, molecules.c.id == selections.c.molecule_id)
            .where(selections.c.run_id == run_id)
            .order_by(selections.c.round, selections.c.created_at, selections.c.molecule_id)
        )
        with self.engine.connect() as connection:
            return pd.read_sql(query, connection)
