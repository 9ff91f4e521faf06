"""`athanor oracle list|run|results` through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from athanor.cli.main import main


def test_list_names_every_builtin_oracle(capsys):
    assert main(["oracle", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("rdkit", "xtb", "dft", "table", "python", "command"):
        assert f"\n{name}: " in f"\n{out}"
    assert "solvent (default None)" in out


def test_run_stores_exports_and_resumes(tmp_path, capsys):
    molecules = tmp_path / "mols.csv"
    molecules.write_text("name,smiles\nethanol,CCO\nphenol,c1ccccc1O\nbroken,C1CC\n")
    output = tmp_path / "qed.parquet"
    args = [
        "oracle",
        "run",
        "rdkit",
        "--input",
        str(molecules),
        "--project",
        str(tmp_path),
        "--no-progress",
    ]
    assert main([*args, "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert "3 molecules, 0 already done, 1 invalid, 2 computed" in out
    assert "ok 2, failed 0, timeout 0" in out
    frame = pd.read_parquet(output)  # the input's rows, with their results
    assert frame["name"].tolist() == ["ethanol", "phenol", "broken"]
    assert frame["canonical_smiles"].tolist()[:2] == ["CCO", "Oc1ccccc1"]
    assert frame.set_index("name").loc["phenol", "aromatic_rings"] == 1

    assert main(args) == 0
    assert "2 already done, 1 invalid, 0 computed" in capsys.readouterr().out


def test_results_export_every_attempt(tmp_path, capsys):
    smi = tmp_path / "in.smi"
    smi.write_text("CCO\nCCN\n")
    assert (
        main(["oracle", "run", "rdkit", "--input", str(smi), "-p", str(tmp_path), "--no-progress"])
        == 0
    )
    fingerprint = capsys.readouterr().out.split("[")[1].split("]")[0]
    out_csv = tmp_path / "attempts.csv"
    assert (
        main(
            [
                "oracle",
                "results",
                fingerprint,
                "--attempts",
                "-o",
                str(out_csv),
                "-p",
                str(tmp_path),
            ]
        )
        == 0
    )
    assert set(pd.read_csv(out_csv)["status"]) == {"ok"}


def test_bad_parameter_is_one_line_error(tmp_path, capsys):
    smi = tmp_path / "in.smi"
    smi.write_text("CCO\n")
    code = main(
        [
            "oracle",
            "run",
            "xtb",
            "--input",
            str(smi),
            "--param",
            "optimise=true",
            "-p",
            str(tmp_path),
        ]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "unknown key 'optimise'" in err and "optimize" in err


def test_unknown_oracle_and_missing_input(tmp_path, capsys):
    assert main(["oracle", "run", "gaussian", "--input", "x.smi", "-p", str(tmp_path)]) == 1
    assert "unknown oracle 'gaussian'; choose one of: command, dft" in capsys.readouterr().err
    assert main(["oracle", "run", "rdkit", "-p", str(tmp_path)]) == 2  # usage error


def test_run_on_a_shipped_dataset_with_limit(tmp_path, capsys):
    args = ["oracle", "run", "rdkit", "--dataset", "esol", "--limit", "5", "-p", str(tmp_path)]
    assert main([*args, "--no-progress"]) == 0
    assert "5 molecules, 0 already done, 0 invalid, 5 computed" in capsys.readouterr().out
    assert main(["oracle", "run", "rdkit", "--dataset", "nope", "-p", str(tmp_path)]) == 1
    assert "no data set 'nope'" in capsys.readouterr().err


def test_parameters_from_a_toml_file(tmp_path, capsys):
    config, smi = tmp_path / "rdkit.toml", tmp_path / "in.smi"
    config.write_text("all_descriptors = true\n")
    smi.write_text("CCO\n")
    out = tmp_path / "all.csv"
    args = ["oracle", "run", "rdkit", "--input", str(smi), "-p", str(tmp_path), "--no-progress"]
    assert main([*args, "--config", str(config), "-o", str(out)]) == 0
    assert "rdkit_BertzCT" in pd.read_csv(out).columns
    config.write_text("all_descriptors = \n")
    assert main([*args, "--config", str(config)]) == 1
    assert "not valid TOML" in capsys.readouterr().err


def test_failed_molecules_are_computed_again_only_with_retry_failed(tmp_path, capsys, monkeypatch):
    root = Path(__file__).resolve().parents[2]
    monkeypatch.chdir(root)  # workers import tests.oracle_functions from the repository root
    monkeypatch.setenv("PYTHONPATH", str(root))
    smi = tmp_path / "in.smi"
    smi.write_text("CCO\nCCN\n")
    args = ["oracle", "run", "python", "--input", str(smi), "-p", str(tmp_path), "--no-progress",
            "--param", "function=tests.oracle_functions:logp_unless_told_to_fail",
            "--param", 'properties={"logp": "1"}', "--max-attempts", "1"]  # fmt: skip
    monkeypatch.setenv("ATHANOR_TEST_FAIL", "1")
    assert main(args) == 0 and "failed 2" in capsys.readouterr().out
    monkeypatch.delenv("ATHANOR_TEST_FAIL")
    assert main(args) == 0 and "2 already done" in capsys.readouterr().out
    assert main([*args, "--retry-failed"]) == 0
    assert "ok 2, failed 0" in capsys.readouterr().out


def test_a_table_oracle_on_a_stored_data_set_takes_its_import_options(tmp_path, capsys):
    scores = tmp_path / "scores.csv"
    scores.write_text("smiles,score\nOc1ccccn1,1.0\nCCO,3.0\n")  # a hydroxypyridine tautomer
    project = ["--project", str(tmp_path)]
    assert main(["data", "import", str(scores), "--name", "pool", "--tautomer", *project]) == 0
    run = ["oracle", "run", "table", "--param", f"path={scores}", "--no-progress", *project]
    assert main([*run, "--dataset", "pool"]) == 0  # stored as the pyridone: found all the same
    assert "ok 2, failed 0, timeout 0" in capsys.readouterr().out


def test_a_default_import_leaves_the_table_oracle_fingerprint(tmp_path, capsys):
    scores = tmp_path / "scores.csv"
    scores.write_text("smiles,score\nCCO,3.0\n")
    project = ["--project", str(tmp_path)]
    assert main(["data", "import", str(scores), "--name", "pool", *project]) == 0
    run = ["oracle", "run", "table", "--param", f"path={scores}", "--no-progress", *project]
    assert main([*run, "--input", str(scores)]) == 0
    assert main([*run, "--dataset", "pool"]) == 0
    assert "1 already done" in capsys.readouterr().out  # the same oracle: nothing recomputed


def test_a_limit_below_one_is_refused(tmp_path, capsys):
    molecules = tmp_path / "mols.csv"
    molecules.write_text("smiles\nCCO\nCCN\n")
    args = ["oracle", "run", "rdkit", "--input", str(molecules), "--project", str(tmp_path)]
    assert main([*args, "--limit", "-1"]) != 0  # a slice would drop the last molecule
    assert "--limit" in capsys.readouterr().err


def test_the_output_holds_this_inputs_molecules_only(tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("smiles\nCCN\n")
    second.write_text("smiles\nOCC\nCCO\nc1ccccc1\n")  # two spellings of ethanol
    args = ["oracle", "run", "rdkit", "--project", str(tmp_path), "--no-progress"]
    assert main([*args, "--input", str(first)]) == 0
    out = tmp_path / "out.csv"
    assert main([*args, "--input", str(second), "-o", str(out)]) == 0
    frame = pd.read_csv(out)  # not CCN of the first run
    assert frame["canonical_smiles"].tolist() == ["CCO", "CCO", "c1ccccc1"]


def test_results_of_an_unknown_fingerprint_name_the_known_ones(tmp_path, capsys):
    molecules = tmp_path / "mols.csv"
    molecules.write_text("smiles\nCCO\n")
    project = ["--project", str(tmp_path)]
    assert (
        main(["oracle", "run", "rdkit", "--input", str(molecules), "--no-progress", *project]) == 0
    )
    assert main(["oracle", "results", "deadbeef", *project]) == 1
    assert "no oracle 'deadbeef' in this store (known: " in capsys.readouterr().err


def test_list_shows_factory_defaults(capsys):
    assert main(["oracle", "list"]) == 0
    assert "PydanticUndefined" not in capsys.readouterr().out
