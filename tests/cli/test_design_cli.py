"""`athanor design run/status/report` on a tiny configuration."""

from __future__ import annotations

import pytest

from athanor.cli.main import main

CONFIG = """
name = "tiny"
seed = 1
[generator]
name = "graph_ga"
params = { n_initial = 20, initial_smiles = [
    "CCO", "CCN", "CCC", "CCCl", "CC(=O)O", "c1ccccc1", "c1ccncc1", "CCOC", "CC=O", "CN",
    "OCCO", "CC(C)O", "c1ccoc1", "C1CCCCC1", "CCCCO", "NCCO", "c1ccccc1O", "CC(N)=O",
    "CCOC(C)=O", "Cc1ccccc1", "OC1CCCC1", "c1ccsc1"] }
[objective]
components = [{ kind = "qed" }, { kind = "similarity", params = { smiles = "c1ccccc1O" } }]
constraints = [{ kind = "sa", max = 4.0 }]
[budget]
oracle_calls = 40
batch_size = 20
"""


def test_design_run_status_report(tmp_path, capsys):
    config = tmp_path / "tiny.toml"
    config.write_text(CONFIG)
    project = str(tmp_path / "project")
    assert main(["design", "run", str(config), "-p", project, "--no-report"]) == 0
    out = capsys.readouterr().out
    assert "calls        40" in out and "done         True" in out
    assert main(["design", "status", "tiny", "-p", project]) == 0
    assert main(["design", "run", str(config), "-p", project, "--no-report"]) == 0  # resumes


def test_design_run_rejects_unknown_key(tmp_path, capsys):
    config = tmp_path / "bad.toml"
    config.write_text(CONFIG.replace("batch_size", "batchsize"))
    assert main(["design", "run", str(config), "-p", str(tmp_path)]) == 1
    assert "allowed: batch_size, max_rounds, oracle_calls" in capsys.readouterr().err


@pytest.mark.slow  # the novelty section fingerprints 20,000 ZINC molecules
def test_design_report(tmp_path, capsys):
    config = tmp_path / "tiny.toml"
    config.write_text(CONFIG)
    project = tmp_path / "project"
    assert main(["design", "run", str(config), "-p", str(project)]) == 0
    html = (project / "reports" / "design-tiny.html").read_text()
    assert "Score against oracle calls" in html and "Novelty of the best" in html


def test_design_run_help_says_how_often_scores_are_committed(capsys):
    assert main(["design", "run", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "committed to the project store as they are computed, a few molecules" in help_text
    assert "as soon as it is scored" not in help_text  # design.COMMIT_EVERY molecules a commit
