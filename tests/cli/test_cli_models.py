"""`athanor train | predict | embed | evaluate`: end to end, and one-line errors for bad input."""

from __future__ import annotations

import json

import pytest

from athanor.cli.main import main
from athanor.datasets import load_dataset

TARGET = "measured log solubility in mols per litre"


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def esol_csv(tmp_path):
    path = tmp_path / "esol.csv"
    load_dataset("esol").head(120).to_csv(path, index=False)
    return str(path)


@pytest.fixture
def model_dir(esol_csv, tmp_path, capsys):
    folder = str(tmp_path / "model")
    status, out, _ = run(
        capsys, "train", "--data", esol_csv, "--smiles", "smiles", "--target", TARGET,
        "--model", "rf", "--param", "n_estimators=20", "--split", "random", "-o", folder,
    )  # fmt: skip
    assert status == 0, out
    assert "z-scaled" in out and "report.html" in out
    return folder


def test_train_from_options_then_predict(model_dir, esol_csv, tmp_path, capsys):
    smi = tmp_path / "library.smi"
    smi.write_text("CCO ethanol\nnot_a_smiles bad\nc1ccccc1O phenol\n")
    status, out, err = run(
        capsys, "predict", model_dir, "-i", str(smi), "-o", str(tmp_path / "p.csv")
    )
    assert status == 0
    assert "predicted 2 of 3 rows" in out
    assert "line 2:" in err and "not_a_smiles" in err


def test_train_calibration_share_is_an_option(esol_csv, tmp_path, capsys):
    folder = tmp_path / "all-validation"
    status, out, _ = run(
        capsys, "train", "--data", esol_csv, "--smiles", "smiles", "--target", TARGET,
        "--model", "rf", "--split", "random", "--calibration", "0", "-o", str(folder),
    )  # fmt: skip
    assert status == 0, out
    sizes = json.loads((folder / "run.json").read_text())["split_sizes"]
    assert sizes["calibration"] == 0 and sizes["val"] == 12


def test_train_from_a_config_file(esol_csv, tmp_path, capsys):
    config = tmp_path / "train.toml"
    config.write_text(
        f'seed = 3\n[surrogate]\nmodel = "rf"\nparams = {{ n_estimators = 10 }}\n'
        f'[data]\nfile = "esol.csv"\nsmiles = ["smiles"]\ntargets = ["{TARGET}"]\n'
        '[split]\nstrategy = "scaffold"\n'
    )
    status, _, _ = run(capsys, "train", str(config), "-o", str(tmp_path / "m"))
    assert status == 0
    assert json.loads((tmp_path / "m" / "run.json").read_text())["seed"] == 3
    status, _, err = run(capsys, "train", str(config), "--seed", "4", "--calibration", "0",
                         "-o", str(tmp_path / "m2"))  # fmt: skip
    assert status == 2  # options that the file defines are refused, not silently dropped
    assert "--seed, --calibration: not used with CONFIG.toml" in err
    assert not (tmp_path / "m2").exists()


def test_evaluate_prints_the_models_by_splits_table(esol_csv, tmp_path, capsys):
    status, out, _ = run(
        capsys, "evaluate", "--data", esol_csv, "--smiles", "smiles", "--target", TARGET,
        "--model", "rf", "--split", "random", "--split", "scaffold", "--seeds", "0,1",
        "-o", str(tmp_path / "eval"),
    )  # fmt: skip
    assert status == 0
    assert "scaffold" in out and "random" in out
    assert (tmp_path / "eval" / "summary.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "nope"], "column(s) ['nope'] not in the data"),
        (["--target", TARGET, "--param", "n_trees=3"], "no parameter(s) ['n_trees']"),
        (["--target", TARGET, "--param", "n_estimators=abc"], "n_estimators = 'abc' is not"),
        (["--target", TARGET, "--split", "fixed:scaffold"], "a fixed split needs a shipped"),
    ],
)
def test_train_errors_are_one_line(esol_csv, tmp_path, capsys, args, message):
    status, _, err = run(
        capsys, "train", "--data", esol_csv, "--smiles", "smiles", "--model", "rf", *args,
        "-o", str(tmp_path / "m"),
    )  # fmt: skip
    assert status == 1
    assert message in err and "Traceback" not in err


def test_a_wrong_config_key_names_the_allowed_ones(tmp_path, capsys):
    config = tmp_path / "train.toml"
    config.write_text('[surrogate]\nmodel = "rf"\n[data]\ndataset = "esol"\n[splt]\n')
    status, _, err = run(capsys, "train", str(config), "-o", str(tmp_path / "m"))
    assert status == 1 and "unknown key 'splt'" in err and "split" in err


def test_newer_or_damaged_model_files_are_one_line_errors(model_dir, esol_csv, tmp_path, capsys):
    config = tmp_path / "model" / "config.json"
    text = config.read_text()
    config.write_text(text.replace('"schema_version": 1', '"schema_version": 99'))
    status, _, err = run(
        capsys, "predict", model_dir, "-i", esol_csv, "-o", str(tmp_path / "p.csv")
    )
    assert status == 1 and "upgrade Athanor" in err
    config.write_text(text)
    arrays = tmp_path / "model" / "forest.npz"
    arrays.write_bytes(arrays.read_bytes()[:100])
    status, _, err = run(
        capsys, "predict", model_dir, "-i", esol_csv, "-o", str(tmp_path / "p.csv")
    )
    assert status == 1 and "truncated or corrupt" in err


def test_evaluate_refuses_a_repeated_seed(esol_csv, capsys):
    status, _, err = run(
        capsys, "evaluate", "--data", esol_csv, "--smiles", "smiles", "--target", TARGET,
        "--model", "rf", "--seeds", "0,0",
    )  # fmt: skip
    assert status == 1 and "repeat a seed" in err


def test_predict_fails_when_no_row_can_be_used(model_dir, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("smiles\nnot_a_smiles\nC1CC\n")
    status, _, err = run(
        capsys, "predict", model_dir, "-i", str(bad), "-o", str(tmp_path / "p.csv")
    )
    assert status == 1 and "none of the 2 rows could be predicted" in err
    assert "line 2:" in err  # the reasons come first
