"""SIGKILL a writer in the middle of an import: the store stays consistent and resumes."""

from __future__ import annotations

import gzip
import os
import signal
import sqlite3
import subprocess
import sys
import time

from athanor.datasets import dataset_path
from athanor.store import Store
from athanor.store.importing import import_file

N_MOLECULES = 2500

IMPORT = """
import sys
from athanor.store import Store
from athanor.store.importing import import_file
with Store.open(sys.argv[1]) as store:
    import_file(store, sys.argv[2], n_jobs=1, progress=False)
"""


def _stored_rows(database) -> int:
    try:
        with sqlite3.connect(database, timeout=30) as connection:
            return connection.execute("SELECT COUNT(*) FROM dataset_rows").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _write_pool(path) -> None:
    with gzip.open(dataset_path("zinc250k"), "rt") as source:
        lines = [next(source) for _ in range(N_MOLECULES)]
    path.write_text("smiles\n" + "".join(lines))


def test_sigkill_mid_import_leaves_a_consistent_store_that_resumes(tmp_path):
    pool = tmp_path / "pool.csv"
    _write_pool(pool)
    database = tmp_path / ".athanor" / "store.sqlite"
    writer = subprocess.Popen([sys.executable, "-c", IMPORT, str(tmp_path), str(pool)])
    deadline = time.monotonic() + 120
    while _stored_rows(database) < 500 and time.monotonic() < deadline:
        assert writer.poll() is None, "the import finished before it could be killed"
        time.sleep(0.05)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()

    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        rows = [r[0] for r in connection.execute("SELECT row FROM dataset_rows ORDER BY row")]
        orphans = connection.execute(
            "SELECT COUNT(*) FROM dataset_rows WHERE status = 'ok' AND molecule_id IS NULL"
        ).fetchone()[0]
    assert 500 <= len(rows) < N_MOLECULES
    assert rows == list(range(len(rows)))  # whole chunks only: a prefix of the input
    assert orphans == 0

    with Store.open(tmp_path) as store:
        report = import_file(store, pool, n_jobs=1, progress=False)
        frame = store.dataset_frame("pool", include_invalid=True)
    assert report.resumed_from == len(rows)
    assert report.rows == N_MOLECULES
    assert frame["row"].tolist() == list(range(N_MOLECULES))  # nothing lost, nothing twice
