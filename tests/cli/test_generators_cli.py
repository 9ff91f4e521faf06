"""`athanor generate sample` and `athanor generate metrics`."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from rdkit import Chem

from athanor.cli.generate import read_smiles_file
from athanor.cli.main import main
from tests.unit.test_language_model import TINY_SET, tiny_model


def test_sample_then_metrics(tmp_path, capsys):
    checkpoint = tmp_path / "lm"
    tiny_model(steps=100).save(checkpoint)
    sample = tmp_path / "out.smi"
    params = ["--param", f"checkpoint={checkpoint}", "--param", "temperature=0.8"]
    status = main(["generate", "sample", "-m", "smiles_lm", "-n", "50", "-o", str(sample), *params])
    assert status == 0 and "wrote 50 molecules" in capsys.readouterr().out
    assert len(sample.read_text().splitlines()) == 50
    reference = tmp_path / "train.smi"
    reference.write_text("smiles\n" + "\n".join(TINY_SET) + "\n")
    status = main(["generate", "metrics", str(sample), "--reference", str(reference),
                   "--no-fcd", "--json", str(tmp_path / "m.json")])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0 and "validity" in out and "novelty" in out
    assert json.loads((tmp_path / "m.json").read_text())["n_generated"] == 50


def test_errors_are_one_line(tmp_path, capsys):
    assert main(["generate", "metrics", str(tmp_path / "missing.smi")]) == 1
    assert "input file not found" in capsys.readouterr().err
    assert main(["generate", "sample", "--model", "nope", "-o", str(tmp_path / "x.smi")]) == 1
    assert "unknown generator 'nope'" in capsys.readouterr().err
    sample = ["generate", "sample", "-m", "smiles_lm", "-o", str(tmp_path / "x.smi")]
    assert main([*sample, "--param", "temperature=-1"]) == 1
    assert "temperature = -1: it must be > 0" in capsys.readouterr().err


def test_empty_or_invalid_reference_is_an_error(tmp_path, capsys):
    sample = tmp_path / "out.smi"
    sample.write_text("CCO\nCCN\nc1ccccc1\n")
    files = [("header.smi", "smiles\n", "no molecules"), ("bad.smi", "xyz\n\nC1CC\n", "no valid")]
    for name, text, problem in files:
        (tmp_path / name).write_text(text)
        for option in ["--reference", "--training"]:
            args = ["generate", "metrics", str(sample), option, str(tmp_path / name), "--no-fcd"]
            assert main(args) == 1
            err = capsys.readouterr().err
            assert f"{tmp_path / name}: {problem}" in err and "Traceback" not in err


def test_header_and_name_columns_are_not_molecules(tmp_path):
    path = tmp_path / "named.smi"
    path.write_text("SMILES Name\nCCO ethanol\n\nc1ccccc1\tbenzene\n")
    assert read_smiles_file(path) == ["CCO", "c1ccccc1"]  # a blank line is no record
    path.write_text("CCO smiles\nCCN\n")  # `smiles` as a later field is no header
    assert read_smiles_file(path) == ["CCO", "CCN"]


def test_param_seed_overrides_the_seed_option(tmp_path, capsys, monkeypatch):
    seeds = []

    def fake_generator(name, **params):
        seeds.append(params["seed"])
        return SimpleNamespace(ask=lambda count: ["CCO"] * count)

    monkeypatch.setattr("athanor.generators.registry.make_generator", fake_generator)
    output = str(tmp_path / "x.smi")
    assert main(["generate", "sample", "-n", "2", "-o", output, "--param", "seed=3"]) == 0
    assert main(["generate", "sample", "-n", "2", "-o", output, "--seed", "5"]) == 0
    assert seeds == [3, 5] and "wrote 2 molecules" in capsys.readouterr().out


def test_json_writes_nan_as_null(tmp_path):
    sample = tmp_path / "one.smi"
    sample.write_text("CCO\n")  # internal diversity needs two molecules: NaN
    out = tmp_path / "m.json"
    assert main(["generate", "metrics", str(sample), "--no-fcd", "--json", str(out)]) == 0
    result = json.loads(out.read_text(), parse_constant=lambda name: pytest.fail(name))
    assert result["internal_diversity"] is None and result["validity"] == 1.0


def test_a_csv_gives_its_smiles_column_and_a_csv_sample_has_a_header(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text("name,SMILES,y\nethanol,CCO,1\nblank,,2\nbenzene,c1ccccc1,3\n")
    assert read_smiles_file(path) == ["CCO", "", "c1ccccc1"]  # not the header, not 'name'
    sdf = tmp_path / "two.sdf"
    sdf.write_text(Chem.MolToMolBlock(Chem.MolFromSmiles("CCO")) + "$$$$\n"
                   + Chem.MolToMolBlock(Chem.MolFromSmiles("CCN")) + "$$$$\n")  # fmt: skip
    assert read_smiles_file(sdf) == ["CCO", "CCN"]
    out = tmp_path / "sample.csv"
    assert main(["generate", "sample", "-m", "smiles_lm", "-n", "3", "-o", str(out)]) == 0
    assert out.read_text().startswith("smiles\n") and len(read_smiles_file(out)) == 3
