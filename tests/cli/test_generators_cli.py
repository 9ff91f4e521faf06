"""`athanor generate sample` and `athanor generate metrics`."""

from __future__ import annotations

import json

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
    assert "SMILES file not found" in capsys.readouterr().err
    assert main(["generate", "sample", "--model", "nope", "-o", str(tmp_path / "x.smi")]) == 1
    assert "unknown generator 'nope'" in capsys.readouterr().err
