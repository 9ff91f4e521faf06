"""Shipped data sets: registry, loaders, fixed splits, licences."""

from __future__ import annotations

import fnmatch
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from athanor.core.errors import InputDataError
from athanor.datasets import (
    dataset_info,
    dataset_path,
    list_datasets,
    load_dataset,
    load_split,
    load_splits,
)

NAMES = [
    "esol",
    "freesolv",
    "lipophilicity",
    "redox_oxidation",
    "absorption",
    "qm9",
    "enamine10k",
    "zinc250k",
]
DATA_DIR = dataset_path("esol").parent
# Mirrors [tool.setuptools.package-data] in pyproject.toml: anything else would not be installed.
PACKAGE_DATA_GLOBS = ("*.csv.gz", "*.smi.gz", "*.txt", "LICENSE*")


def shared_smiles(parts: dict[str, pd.DataFrame]) -> set[str]:
    """SMILES that occur in more than one part of a split."""
    seen: dict[str, str] = {}
    shared = set()
    for part, frame in parts.items():
        for smiles in set(frame["smiles"]):
            if seen.setdefault(smiles, part) != part:
                shared.add(smiles)
    return shared


def test_registry_names():
    assert [info.name for info in list_datasets()] == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_dataset_loads_with_registered_shape_and_columns(name):
    info = dataset_info(name)
    frame = load_dataset(name)
    assert len(frame) == info.n_rows
    columns = [info.smiles_column, *info.target_columns, *info.condition_columns]
    assert set(columns) <= set(frame.columns)
    assert frame[info.smiles_column].notna().all()
    assert (frame[info.smiles_column].str.strip() == frame[info.smiles_column]).all()
    assert len(info.units) == len(info.target_columns)
    for column in info.target_columns:
        assert pd.api.types.is_float_dtype(frame[column])


def test_expected_row_counts():
    counts = {info.name: info.n_rows for info in list_datasets()}
    assert counts == {
        "esol": 1128,
        "freesolv": 642,
        "lipophilicity": 4200,
        "redox_oxidation": 1424,
        "absorption": 28734,
        "qm9": 10000,
        "enamine10k": 10560,
        "zinc250k": 249456,
    }


def test_enamine_scores_merged_with_missing_as_nan():
    frame = load_dataset("enamine10k")
    assert frame["score"].isna().sum() == 111
    assert frame["score"].min() == pytest.approx(-9.9)
    assert frame["score"].max() < 0  # Vina scores: negative kcal/mol, lower is better


def test_qm9_subset_sorted_unique_and_consistent():
    frame = load_dataset("qm9")
    assert frame["id"].is_unique and frame["id"].is_monotonic_increasing
    gap = frame["lumo_ha"] - frame["homo_ha"]
    np.testing.assert_allclose(frame["gap_ha"], gap, atol=2e-4)


def test_zinc_has_unique_smiles_and_no_header():
    smiles = load_dataset("zinc250k")["smiles"]
    assert smiles.is_unique
    assert smiles.iloc[0] == "CC(C)(C)c1ccc2occ(CC(=O)Nc3ccccc3F)c2c1"


@pytest.mark.parametrize("split", ["group_by_smiles", "scaffold"])
def test_grouped_splits_never_share_a_dye(split):
    parts = load_splits("absorption", split)
    assert list(parts) == ["train", "val", "test"]
    assert shared_smiles(parts) == set()


def test_random_split_shares_dyes_between_parts():
    # Pairs are split at random, so the same dye appears with different solvents across parts.
    assert len(shared_smiles(load_splits("absorption", "random"))) > 100


def test_split_sizes_and_columns():
    sizes = {
        part: len(frame) for part, frame in load_splits("absorption", "group_by_smiles").items()
    }
    assert sizes == {"train": 21253, "val": 2566, "test": 2576}
    test = load_split(split="random", part="test")
    assert len(test) == 2639
    assert list(test.columns) == ["smiles", "solvent", "peakwavs_max"]


@pytest.mark.parametrize(
    ("call", "valid"),
    [
        (lambda: load_dataset("esoll"), NAMES),
        (lambda: dataset_info("QM9"), NAMES),
        (lambda: dataset_path("tox21"), NAMES),
        (lambda: load_split("absorption", "time", "train"), ["random", "scaffold"]),
        (lambda: load_split("absorption", "random", "validation"), ["train", "val", "test"]),
    ],
)
def test_unknown_names_raise_input_data_error_listing_choices(call, valid):
    with pytest.raises(InputDataError) as caught:
        call()
    message = str(caught.value)
    assert "\n" not in message
    for choice in valid:
        assert choice in message


def test_split_of_dataset_without_splits_is_rejected():
    with pytest.raises(InputDataError, match="no fixed splits"):
        load_splits("esol", "random")


@pytest.mark.parametrize("name", NAMES)
def test_licence_and_citation_present(name):
    info = dataset_info(name)
    assert info.citation and info.licence and info.description
    sources = (DATA_DIR / "SOURCES.txt").read_text()
    section = sources.split(f"[{name}]\n", 1)[1].split("\n[", 1)[0]
    assert info.filename in section
    assert "Cite:" in section
    if info.licence_file is not None:
        assert (DATA_DIR / info.licence_file).read_text().lstrip().startswith("MIT License")
        assert info.licence_file in section


def test_every_data_file_is_package_data():
    for path in DATA_DIR.iterdir():
        assert any(fnmatch.fnmatch(path.name, glob) for glob in PACKAGE_DATA_GLOBS), path.name


def test_import_does_not_load_pandas():
    code = "import sys, athanor.datasets; assert 'pandas' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_published_group_split_keeps_every_dye_in_one_part():
    from athanor.datasets.labelled import DataConfig, SplitConfig, load_split_data

    data = load_split_data(DataConfig(dataset="absorption"), SplitConfig(fixed="group_by_smiles"))
    parts = (data.train, data.val, data.test, data.calibration)
    dyes = [set(part.smiles[:, 0]) for part in parts]
    assert data.train.smiles.shape[1] == 2  # dye, solvent
    assert len(data.test.y) > 2000 and not (dyes[0] & dyes[2]) and not (dyes[1] & dyes[2])
    assert dyes[3] and not (dyes[1] & dyes[3])  # calibration dyes are held out of validation
    split = SplitConfig(fixed="group_by_smiles", calibration=0.1, calibration_source="train")
    from_train = load_split_data(DataConfig(dataset="absorption"), split)
    kept, held_out = (set(p.smiles[:, 0]) for p in (from_train.train, from_train.calibration))
    assert held_out and not (kept & held_out)  # a dye is trained on or calibrates, not both
    assert len(from_train.val.y) == len(data.val.y) + len(data.calibration.y)


def test_calibration_rows_of_a_published_split_are_held_out_by_its_own_strategy():
    from athanor.chem.scaffolds import murcko_scaffold
    from athanor.datasets.labelled import DataConfig, SplitConfig, load_split_data

    def dyes(split: str) -> tuple[set[str], set[str]]:
        data = load_split_data(DataConfig(dataset="absorption"), SplitConfig(fixed=split))
        return set(data.val.smiles[:, 0]), set(data.calibration.smiles[:, 0])

    kept, held_out = dyes("random")
    assert kept & held_out  # random rows: a dye in two solvents may land on both sides
    kept, held_out = dyes("scaffold")
    scaffolds = [{murcko_scaffold(dye) for dye in part} for part in (kept, held_out)]
    assert not (scaffolds[0] & scaffolds[1])  # as the test part: new scaffolds


def test_text_labels_are_masked_and_rows_with_text_conditions_skipped_by_line(tmp_path, caplog):
    from athanor.datasets.labelled import DataConfig, SplitConfig, load_split_data

    smiles = ["CCO", "CCN", "CCC", "c1ccccc1", "CCCl", "CCBr", "CCCO", "CCCN", "CCCC", "CCOC"]
    frame = pd.DataFrame({
        "smiles": smiles,
        "y": ["1", "<0.1", "2", "3", "4", "5", "6", "7", "8", "9"],
        "temperature": ["300", "310", "hot", "320", "330", "340", "350", "360", "370", "380"],
    })  # fmt: skip
    path = tmp_path / "labels.csv"
    frame.to_csv(path, index=False)
    config = DataConfig(file=path, smiles=["smiles"], targets=["y"], conditions=["temperature"])
    data = load_split_data(config, SplitConfig(strategy="random", sizes=(1.0, 0.0, 0.0),
                                               calibration=0))  # fmt: skip
    kept = dict(zip(data.train.smiles[:, 0], data.train.y[:, 0], strict=True))
    assert "CCC" not in kept and len(kept) == 9  # its condition is not a number
    assert np.isnan(kept["CCN"]) and kept["CCO"] == 1.0  # '<0.1' is a missing label
    assert "line 3: '<0.1'" in caplog.text and "line 4: 'hot'" in caplog.text


def test_rows_with_an_empty_condition_are_skipped_and_logged_by_line(tmp_path, caplog):
    from athanor.datasets.labelled import DataConfig, SplitConfig, load_split_data

    smiles = ["CCO", "CCN", "CCC", "c1ccccc1", "CCCl", "CCBr"]
    temperature = ["300", "", "320", None, "340", "350"]
    path = tmp_path / "labels.csv"
    pd.DataFrame({"smiles": smiles, "y": range(6), "temperature": temperature}).to_csv(
        path, index=False
    )
    config = DataConfig(file=path, smiles=["smiles"], targets=["y"], conditions=["temperature"])
    split = SplitConfig(strategy="random", sizes=(1.0, 0.0, 0.0), calibration=0)
    data = load_split_data(config, split)
    assert sorted(data.train.smiles[:, 0]) == sorted(["CCO", "CCC", "CCCl", "CCBr"])
    assert "2 rows skipped: no value in condition column(s) ['temperature'] (line 3, 5)" in (
        caplog.text
    )
    assert "not numbers" not in caplog.text


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"smiles": ["smiles"], "targets": ["smiles"]}, "in both 'smiles' and 'targets'"),
        ({"smiles": ["smiles"], "targets": ["y", "y"]}, "twice in 'targets'"),
        ({"smiles": ["s"], "targets": ["y"], "conditions": ["y"]}, "'targets' and 'conditions'"),
    ],
)
def test_a_column_has_one_role(tmp_path, columns, message):
    from athanor.datasets.labelled import DataConfig

    with pytest.raises(ValueError, match=message):
        DataConfig(file=tmp_path / "data.csv", **columns)


@pytest.mark.parametrize(
    ("text", "message"),
    [("smiles,y\n", "has no data rows"), ("smiles,y\nCCO,\nxyz,1\n", "none of its 2 rows")],
)
def test_a_file_without_usable_rows_is_refused_by_name(tmp_path, text, message):
    from athanor.datasets.labelled import DataConfig, read_frame

    path = tmp_path / "data.csv"
    path.write_text(text)
    with pytest.raises(InputDataError, match=message):
        read_frame(DataConfig(file=path, smiles=["smiles"], targets=["y"]))


def test_an_sdf_file_gives_its_mol_blocks_as_the_molecule_column(tmp_path, caplog):
    from rdkit import Chem

    from athanor.datasets.labelled import DataConfig, read_frame

    blocks = [Chem.MolToMolBlock(Chem.MolFromSmiles(s)) for s in ("OCC", "c1ccccc1")]
    blocks.insert(1, "broken\n\n\nM  END\n")
    path = tmp_path / "data.sdf"
    path.write_text("".join(f"{b}> <y>\n{i}.5\n\n$$$$\n" for i, b in enumerate(blocks)))
    frame = read_frame(DataConfig(file=path, targets=["y"]))  # molecules: "smiles"
    assert frame["smiles"].tolist() == ["CCO", "c1ccccc1"]
    assert frame["y"].tolist() == [0.5, 2.5]
    assert "1 records skipped: record 2: cannot parse molblock" in caplog.text


def test_a_negative_split_seed_is_refused():
    from athanor.datasets.labelled import SplitConfig

    with pytest.raises(ValueError, match="greater than or equal to 0"):
        SplitConfig(strategy="cluster", seed=-1)
