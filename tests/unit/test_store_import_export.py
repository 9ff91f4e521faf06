"""Import and export: bad rows by line, duplicates merged, every column kept, resumable."""

from __future__ import annotations

import pandas as pd
import pytest

from athanor.core.errors import InputDataError
from athanor.store.exporting import export_dataset
from athanor.store.importing import import_file, validate_file


def test_import_reports_bad_rows_by_line_and_keeps_the_good_ones(store, molecules_csv):
    report = import_file(store, molecules_csv, conditions=["solvent"], progress=False)
    assert (report.rows, report.valid, report.invalid) == (7, 4, 3)
    assert [(line, reason) for line, _, reason, _ in report.failures] == [
        (3, "unparsable"),
        (4, "empty"),
        (8, "valence"),
    ]
    frame = store.dataset_frame("dyes")
    assert frame["line"].tolist() == [2, 5, 6, 7]
    assert frame["smiles"].tolist() == ["CCO", "c1ccccc1", "CC(=O)O", "CCO"]
    assert frame["input_smiles"].tolist() == ["CCO", "c1ccccc1", "CC(=O)[O-].[Na+]", "OCC"]
    assert frame["solvent"].tolist() == ["O", "CCO", "O", "CCO"]
    assert frame["source"].tolist() == ["a", "d", "e", "f"]
    assert pd.isna(frame["lambda_nm"].iloc[2])


def test_duplicates_are_merged_not_multiplied(store, molecules_csv):
    import_file(store, molecules_csv, progress=False)
    import_file(store, molecules_csv, progress=False)  # same file again: nothing added
    frame = store.dataset_frame("dyes")
    assert len(frame) == 4
    assert store.count_molecules() == 3  # ethanol twice (two solvents) is one molecule
    assert frame.loc[frame.smiles == "CCO", "molecule_id"].nunique() == 1


def test_dataset_molecules_lists_each_valid_molecule_once_in_input_order(store, molecules_csv):
    import_file(store, molecules_csv, progress=False)
    frame = store.dataset_molecules("dyes")
    assert frame["smiles"].tolist() == ["CCO", "c1ccccc1", "CC(=O)O"]  # lines 2, 5, 6 (7: CCO)
    assert frame["molecule_id"].is_unique


def test_import_resumes_after_the_stored_rows(store, molecules_csv):
    from athanor.chem.standardize import StandardizerOptions, standardize_or_failure
    from athanor.store.datasets import DatasetRow
    from athanor.store.readers import read_chunks

    header = store.create_dataset(  # as the killed import created it: same file, same options
        "dyes",
        str(molecules_csv.resolve()),
        "smiles",
        ["smiles", "solvent", "lambda_nm", "source"],
        standardizer=StandardizerOptions().model_dump(mode="json"),
    )
    first_chunk = next(read_chunks(molecules_csv, chunk_size=3))

    rows = [
        DatasetRow(i, i + 2, s, standardize_or_failure(s, StandardizerOptions()), {}, {"smiles": s})
        for i, s in enumerate(first_chunk.frame["smiles"].fillna(""))
    ]
    store.add_dataset_rows(header.id, rows)
    report = import_file(store, molecules_csv, progress=False)
    assert report.resumed_from == 3
    assert report.rows == 7 and report.valid == 4


def test_name_clash_with_another_source_is_an_error(store, molecules_csv, tmp_path):
    import_file(store, molecules_csv, progress=False)
    other = tmp_path / "other" / "dyes.csv"
    other.parent.mkdir()
    other.write_text("smiles\nCCO\n")
    with pytest.raises(InputDataError, match="already exists"):
        import_file(store, other, progress=False)
    report = import_file(store, other, replace=True, progress=False)
    assert report.rows == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\n1,2\n", "cannot tell which column holds SMILES"),
        ("smiles,b\nCC,2\nCC,3,4\n", "cannot read as CSV"),
        ("", "cannot read as CSV"),
    ],
)
def test_unusable_files_give_one_clear_error(store, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(InputDataError, match=message):
        import_file(store, path, progress=False)


def test_missing_columns_and_files_are_named(store, molecules_csv, tmp_path):
    with pytest.raises(InputDataError, match=r"\['temperature'\] not in the input"):
        import_file(store, molecules_csv, conditions=["temperature"], progress=False)
    with pytest.raises(InputDataError, match="input file not found"):
        import_file(store, tmp_path / "absent.csv", progress=False)
    corrupt = tmp_path / "corrupt.parquet"
    corrupt.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(InputDataError, match="cannot read as Parquet"):
        import_file(store, corrupt, progress=False)


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".tsv", ".parquet"])
def test_export_then_import_roundtrip_keeps_columns(store, molecules_csv, tmp_path, suffix):
    import_file(store, molecules_csv, conditions=["solvent"], progress=False)
    out = tmp_path / f"out{suffix}"
    assert export_dataset(store, "dyes", out) == 4
    report = import_file(store, out, name="copy", smiles_column="smiles", progress=False)
    assert report.valid == 4
    copy = store.dataset_frame("copy")
    assert copy["source"].tolist() == ["a", "d", "e", "f"]
    assert copy["input_smiles"].tolist() == ["CCO", "c1ccccc1", "CC(=O)O", "CCO"]


def test_sdf_roundtrip_keeps_data_items(store, molecules_csv, tmp_path):
    import_file(store, molecules_csv, progress=False)
    out = tmp_path / "out.sdf"
    export_dataset(store, "dyes", out)
    report = import_file(store, out, name="from_sdf", progress=False)
    assert report.valid == 4
    frame = store.dataset_frame("from_sdf")
    assert frame["smiles"].tolist() == ["CCO", "c1ccccc1", "CC(=O)O", "CCO"]
    assert frame["source"].tolist() == ["a", "d", "e", "f"]


def test_sdf_with_a_broken_record_keeps_the_others(store, tmp_path):
    good = (
        "ethanol\n  test\n\n  3  2  0  0  0  0  0  0  0  0999 V2000\n"
        + "".join(
            f"    {x:.4f}    0.0000    0.0000 {e}   0  0\n"
            for x, e in [(0, "C"), (1.5, "C"), (3, "O")]
        )
        + "  1  2  1  0\n  2  3  1  0\nM  END\n> <id>\n7\n\n$$$$\n"
    )
    broken = "broken\n\n\n  1  0  0  0  0  0  0  0  0  0999 V2000\nnot an atom line\nM  END\n$$$$\n"
    path = tmp_path / "mixed.sdf"
    path.write_text(good + broken + good)
    report = import_file(store, path, progress=False)
    assert (report.valid, report.invalid) == (2, 1)
    assert report.failures[0][0] == 2  # record number
    assert store.dataset_frame("mixed")["id"].tolist() == ["7", "7"]


def test_smiles_list_with_header_and_names(store, tmp_path):
    path = tmp_path / "pool.smi"
    path.write_text("SMILES Name\nCCO ethanol\n\nc1ccccc1 benzene\nC1CC broken\n")
    report = import_file(store, path, progress=False)
    assert report.failures[0][:3] == (5, "C1CC", "unparsable")
    assert store.dataset_frame("pool")["name"].tolist() == ["ethanol", "benzene"]


def test_validate_stores_nothing(molecules_csv, tmp_path):
    report = validate_file(molecules_csv, progress=False)
    assert (report.rows, report.invalid) == (7, 3)
    assert not (tmp_path / ".athanor").exists()
