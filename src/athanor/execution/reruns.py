"""Which finished molecules a new run computes again.

A success is final for ever. A timeout is final only for time limits up to the one it ran
under (its message states it, see `athanor.execution.tasks.timeout_evaluation`): a run with a
larger limit, or none, tries the molecule again. A timeout whose message states no limit (the
oracle's own time limit ran out, which is part of its fingerprint) and every other failure are
final unless the caller asks to retry failures, e.g. after fixing an installation or when
a molecule used up its retries because workers kept dying.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, and_, case, func, select

from athanor.execution.tasks import timeout_limit
from athanor.store.schema import evaluations

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from athanor.store import Store


def _final(fingerprint: str) -> ColumnElement[bool]:
    """The final (non-transient) attempts of an oracle."""
    return and_(evaluations.c.fingerprint == fingerprint, evaluations.c.transient == 0)


def _retryable_timeouts(
    connection: Connection, fingerprint: str, timeout_s: float | None
) -> list[str]:
    """Messages of an oracle's final timeouts under a per-call limit below `timeout_s` (any
    limit if None): a few distinct ones, one per limit and way of stopping a call."""
    columns = evaluations.c
    query = (
        select(columns.message)
        .distinct()
        .where(_final(fingerprint), columns.status == "timeout")
        # only messages that can state a limit: the oracles' own timeouts may vary in wording
        .where(columns.message.contains("s per-call timeout"))
    )
    limits = {message: timeout_limit(message) for message in connection.scalars(query)}
    return [
        message
        for message, limit in limits.items()
        if limit is not None and (timeout_s is None or timeout_s > limit)
    ]


def rerun_ids(
    store: Store, fingerprint: str, *, timeout_s: float | None, retry_failed: bool = False
) -> set[int]:
    """Molecules with a final result for `fingerprint` that a run should compute again.

    The database does the selection, so memory grows with the molecules chosen, not with the
    results stored.

    Args:
        store: the project store.
        fingerprint: the oracle's fingerprint.
        timeout_s: the new run's per-call limit in seconds; None for no limit.
        retry_failed: also retry every failure and timeout, whatever its limit.

    Returns:
        Ids of the molecules without a success whose every final result is worth retrying.
    """
    columns = evaluations.c
    with store.engine.connect() as connection:
        if retry_failed:
            worth = columns.status != "ok"
        else:
            messages = _retryable_timeouts(connection, fingerprint, timeout_s)
            if not messages:
                return set()
            worth = and_(columns.status == "timeout", columns.message.in_(messages))
        query = (
            select(columns.molecule_id)
            .where(_final(fingerprint))
            .group_by(columns.molecule_id)
            .having(func.min(case((worth, 1), else_=0)) == 1)  # every final result is worth it
        )
        return set(connection.scalars(query))
