"""The store refuses what it cannot use with one typed error: a re-import done another way,
a corrupt database, a truncated table."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from athanor.chem.standardize import StandardizerOptions
from athanor.core.errors import InputDataError, StoreError
from athanor.store import Store
from athanor.store.importing import import_file


@pytest.mark.parametrize(
    ("options", "difference"),
    [
        ({"conditions": ["solvent"]}, r"condition columns \[\], not \['solvent'\]"),
        ({"smiles_column": "source"}, "SMILES column 'smiles', not 'source'"),
        (
            {"standardizer": StandardizerOptions(canonical_tautomer=True)},
            r"other standardiser options \(canonical_tautomer\)",
        ),
    ],
)
def test_reimport_done_another_way_is_refused_not_resumed(
    store, molecules_csv, options, difference
):
    import_file(store, molecules_csv, progress=False)
    with pytest.raises(
        InputDataError, match=f"'dyes' already exists, with {difference}.*--replace"
    ):
        import_file(store, molecules_csv, progress=False, **options)
    report = import_file(store, molecules_csv, replace=True, progress=False, **options)
    assert report.resumed_from == 0 and report.rows == 7


def test_reimport_of_a_file_with_new_columns_is_refused(store, molecules_csv):
    import_file(store, molecules_csv, progress=False)
    molecules_csv.write_text("smiles,temperature\nCCO,300\n")
    with pytest.raises(InputDataError, match=r"without \['temperature'\]"):
        import_file(store, molecules_csv, progress=False)


def test_reimport_the_same_way_resumes(store, molecules_csv):
    options = StandardizerOptions(max_heavy_atoms=60)
    import_file(store, molecules_csv, conditions=["solvent"], standardizer=options, progress=False)
    report = import_file(
        store, molecules_csv, conditions=["solvent"], standardizer=options, progress=False
    )
    assert (report.resumed_from, report.rows) == (7, 7)


def test_element_order_does_not_make_options_differ(store, molecules_csv):
    """A set's iteration order varies between processes; a resumed import must not care."""
    options = StandardizerOptions().model_dump(mode="json")
    columns = ["smiles", "solvent", "lambda_nm", "source"]
    source = str(molecules_csv.resolve())
    first = store.create_dataset("dyes", source, "smiles", columns, standardizer=options)
    reordered = {**options, "allowed_elements": options["allowed_elements"][::-1]}
    again = store.create_dataset("dyes", source, "smiles", columns, standardizer=reordered)
    assert again == first


@pytest.mark.parametrize("create", [True, False])
def test_corrupt_database_is_a_store_error_naming_the_file(tmp_path, create):
    database = tmp_path / ".athanor" / "store.sqlite"
    database.parent.mkdir()
    database.write_bytes(b"not an SQLite database, just bytes\n" * 200)
    with pytest.raises(StoreError, match=re.escape(f"{database}: file is not a database")):
        Store.open(tmp_path, create=create)


def test_truncated_table_is_a_store_error_naming_the_file(store):
    path = store.write_table("marker", pd.DataFrame({"rows": range(100)}))
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(StoreError, match=re.escape(f"stored table 'marker' ({path})")):
        store.read_table("marker")


@pytest.mark.parametrize(
    ("edited", "message"),
    [
        (
            "smiles,y\nCCN,1\nCCC,2\nCCCC,3\n",
            r"line 2 is 'CCN', but an earlier import stored 'CCO'",
        ),
        ("smiles,y\nCCO,1\n", "the file has 1 records, but an earlier import stored 2"),
    ],
    ids=["edited-row", "shorter"],
)
def test_reimport_of_an_edited_file_is_refused_not_mixed(store, tmp_path, edited, message):
    path = tmp_path / "grow.csv"
    path.write_text("smiles,y\nCCO,1\nCCC,2\n")
    import_file(store, path, progress=False)
    path.write_text(edited)
    with pytest.raises(InputDataError, match=message):
        import_file(store, path, progress=False)
    assert store.dataset_frame("grow")["smiles"].tolist() == ["CCO", "CCC"]  # untouched


def test_reimport_of_a_grown_file_adds_only_the_new_rows(store, tmp_path):
    path = tmp_path / "grow.csv"
    path.write_text("smiles,y\nCCO,1\nCCC,2\n")
    import_file(store, path, progress=False)
    path.write_text("smiles,y\nCCO,1\nCCC,2\nCCCC,3\n")
    report = import_file(store, path, progress=False)
    assert (report.resumed_from, report.rows) == (2, 3)
