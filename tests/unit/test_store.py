"""The store: identity, one success per (molecule, oracle), runs, tables, concurrent reads."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from athanor.chem import standardize
from athanor.core.errors import InputDataError, StoreError
from athanor.core.records import Evaluation
from athanor.store import Store


def test_molecules_are_stored_once(store):
    ids = store.add_molecules([standardize("CCO"), standardize("OCC"), standardize("c1ccccc1")])
    assert ids[0] == ids[1] != ids[2]
    again = store.add_molecules([standardize("c1ccccc1")])
    assert again == [ids[2]]
    assert store.count_molecules() == 2
    assert store.molecule_ids(["CCO", "CCN"]) == {"CCO": ids[0]}


def _oracle(store, fingerprint="fp1"):
    store.register_oracle(fingerprint, "xtb", "1", {"method": "GFN2"}, {"gap": "eV"})
    store.register_oracle(fingerprint, "xtb", "1", {"method": "GFN2"}, {"gap": "eV"})  # idempotent


def test_at_most_one_success_per_molecule_and_oracle(store):
    _oracle(store)
    (ethanol,) = store.add_molecules([standardize("CCO")])
    store.record_evaluation(ethanol, "fp1", Evaluation("ok", {"gap": 1.5}, runtime_s=0.1))
    store.record_evaluation(ethanol, "fp1", Evaluation("ok", {"gap": 9.9}), attempt=2)
    frame = store.evaluations_frame("fp1")
    assert len(frame) == 1 and frame.loc[0, "gap"] == 1.5
    assert frame.loc[0, "host"] and "rdkit" in frame.loc[0, "versions"]


def test_finished_molecules_exclude_transient_failures(store):
    _oracle(store)
    a, b, c = store.add_molecules([standardize(s) for s in ("CCO", "CCN", "CCC")])
    store.record_evaluation(a, "fp1", Evaluation("ok", {"gap": 1.0}))
    store.record_evaluation(b, "fp1", Evaluation("failed", message="SCF did not converge"))
    store.record_evaluation(c, "fp1", Evaluation("failed", message="worker died"), transient=True)
    assert store.finished_molecule_ids("fp1") == {a, b}
    latest = store.latest_values("fp1")
    assert latest["smiles"].tolist() == ["CCO"] and latest["gap"].tolist() == [1.0]


def test_runs_record_config_environment_and_seed(store):
    run = store.start_run("screen", "demo", {"batch_size": 10}, seed=7)
    store.finish_run(run)
    row = store.runs_frame("screen").iloc[0]
    assert row["status"] == "finished" and row["seed"] == 7
    assert '"batch_size": 10' in row["config"] and "rdkit" in row["environment"]


def test_parquet_tables_roundtrip(store):
    import pandas as pd

    frame = pd.DataFrame({"molecule_id": range(1000), "mean": [i / 10 for i in range(1000)]})
    store.write_table("predictions_round_1", frame, kind="predictions")
    assert store.read_table("predictions_round_1").equals(frame)
    assert store.read_table("predictions_round_1", columns=["mean"]).equals(frame[["mean"]])
    with pytest.raises(StoreError, match="no table named 'missing'"):
        store.read_table("missing")


def test_open_without_create_refuses_a_missing_store(tmp_path):
    with pytest.raises(StoreError, match="no Athanor store"):
        Store.open(tmp_path / "nowhere", create=False)


def test_unknown_dataset_names_the_stored_ones(store):
    with pytest.raises(
        InputDataError, match=r"no data set named 'x' in the store \(stored: none\)"
    ):
        store.dataset_frame("x")


READER = """
import sys
from athanor.store import Store
with Store.open(sys.argv[1], create=False) as store:
    print(store.count_molecules())
"""


def test_another_process_reads_while_a_write_transaction_is_open(store, tmp_path):
    store.add_molecules([standardize("CCO")])
    writer = sqlite3.connect(store.directory / "store.sqlite", timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # hold the write lock, as a campaign writing a batch
    writer.execute(
        "INSERT INTO molecules (smiles, inchikey, heavy_atoms, formal_charge, radical_electrons,"
        " created_at) VALUES ('CCN', '', 3, 0, 0, 'now')"
    )
    try:
        reader = subprocess.run(
            [sys.executable, "-c", READER, str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert reader.returncode == 0, reader.stderr
        assert reader.stdout.strip() == "1"  # sees the last committed state, without waiting
    finally:
        writer.rollback()
        writer.close()
