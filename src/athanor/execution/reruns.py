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

from sqlalchemy import select

from athanor.execution.tasks import timeout_limit
from athanor.store.schema import evaluations

if TYPE_CHECKING:
    from athanor.store import Store


def _final_results(store: Store, fingerprint: str) -> list[tuple[int, str, str]]:
    """(molecule id, status, message) of every final (non-transient) attempt of an oracle."""
    columns = evaluations.c
    query = select(columns.molecule_id, columns.status, columns.message).where(
        columns.fingerprint == fingerprint, columns.transient == 0
    )
    with store.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def _worth_again(status: str, message: str, timeout_s: float | None, retry_failed: bool) -> bool:
    """Whether one final result leaves the molecule to compute under the new conditions."""
    if status == "ok":
        return False
    if retry_failed:
        return True
    limit = timeout_limit(message) if status == "timeout" else None
    return limit is not None and (timeout_s is None or timeout_s > limit)


def rerun_ids(
    store: Store, fingerprint: str, *, timeout_s: float | None, retry_failed: bool = False
) -> set[int]:
    """Molecules with a final result for `fingerprint` that a run should compute again.

    Args:
        store: the project store.
        fingerprint: the oracle's fingerprint.
        timeout_s: the new run's per-call limit in seconds; None for no limit.
        retry_failed: also retry every failure and timeout, whatever its limit.

    Returns:
        Ids of the molecules without a success whose every final result is worth retrying.
    """
    again: dict[int, bool] = {}
    for molecule_id, status, message in _final_results(store, fingerprint):
        worth = _worth_again(status, message, timeout_s, retry_failed)
        again[molecule_id] = again.get(molecule_id, True) and worth
    return {molecule_id for molecule_id, worth in again.items() if worth}
