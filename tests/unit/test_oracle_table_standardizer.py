"""A table oracle finds the molecules of a pool imported with non-default standardiser options
when it is given those options; the runner looks pool molecules up as stored."""

from __future__ import annotations

import pytest

from athanor.chem import StandardizerOptions
from athanor.execution.runner import pending_tasks
from athanor.execution.summary import RunSummary
from athanor.oracles import make_oracle
from athanor.oracles.conformance import check_identity
from athanor.store.importing import import_file

SCORES = {"Oc1ccccn1": 1.0, "C[C@H](N)C(=O)O": 2.0, "CCO": 3.0}  # tautomer, stereo, plain


@pytest.fixture
def scores_csv(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("smiles,score\n" + "".join(f"{s},{v}\n" for s, v in SCORES.items()))
    return path


def _pool(store, path, options: StandardizerOptions) -> list[str]:
    """Canonical SMILES of `path` imported with `options`, in input order."""
    import_file(store, path, name="pool", standardizer=options, progress=False)
    return store.dataset_frame("pool")["smiles"].tolist()


@pytest.mark.parametrize(
    "options",
    [StandardizerOptions(canonical_tautomer=True), StandardizerOptions(isomeric=False)],
    ids=["tautomers", "no-stereo"],
)
def test_a_table_with_the_pool_options_finds_every_pool_molecule(store, scores_csv, options):
    pool = _pool(store, scores_csv, options)
    imported_with = store.dataset("pool").standardizer
    oracle = make_oracle("table", path=str(scores_csv), standardizer=imported_with)
    results = oracle.evaluate(pool)
    assert [r.status for r in results] == ["ok"] * 3
    assert [r.values["score"] for r in results] == list(SCORES.values())


def test_options_are_part_of_the_fingerprint_in_a_stable_form(scores_csv):
    plain = make_oracle("table", path=str(scores_csv))
    assert "standardizer" not in plain.identity()["parameters"]  # unchanged fingerprints
    options = StandardizerOptions(canonical_tautomer=True, allowed_elements={"C", "N", "O"})
    oracle = make_oracle("table", path=str(scores_csv), standardizer=options)
    stated = oracle.identity()["parameters"]["standardizer"]
    assert stated["allowed_elements"] == ["C", "N", "O"]  # sorted: no per-process set order
    assert oracle.fingerprint != plain.fingerprint
    check_identity(oracle)  # the stated parameters rebuild the same oracle


def test_the_runner_takes_pool_molecules_as_stored(store, scores_csv):
    pool = _pool(store, scores_csv, StandardizerOptions(canonical_tautomer=True, isomeric=False))
    stored = store.count_molecules()
    oracle = make_oracle("table", path=str(scores_csv))
    summary = RunSummary(oracle.name, oracle.fingerprint, requested=len(pool))
    tasks = pending_tasks(oracle, pool, store, summary, timeout_s=None)
    assert sorted(task.smiles for task in tasks) == sorted(pool)  # not standardised again
    assert store.count_molecules() == stored and summary.invalid == 0
