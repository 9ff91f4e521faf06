"""`athanor tune CONFIG.toml -p PROJECT` end to end on 60 ESOL molecules."""

from __future__ import annotations

from athanor.cli.main import main
from athanor.datasets import load_dataset

TARGET = "measured log solubility in mols per litre"


def write_config(tmp_path, space: str) -> str:
    load_dataset("esol").head(60)[["smiles", TARGET]].to_csv(tmp_path / "esol.csv", index=False)
    path = tmp_path / "tune.toml"
    path.write_text(
        f"""
study = "esol-rf"
model = "rf"
n_trials = 3
test_seeds = [0]

[data]
file = "esol.csv"
smiles = ["smiles"]
targets = ["{TARGET}"]

[split]
strategy = "random"

{space}
"""
    )
    return str(path)


def test_tune_prints_the_best_value_and_writes_the_config(tmp_path, capsys):
    space = """
[space.ranges]
min_samples_leaf = { int = [1, 4] }

[space.fixed]
n_estimators = 20
n_bits = 256
"""
    project = tmp_path / "project"
    assert main(["tune", write_config(tmp_path, space), "-p", str(project)]) == 0
    out = capsys.readouterr().out
    assert "best validation rmse:" in out and "test rmse tuned:" in out
    assert (project / ".athanor" / "tuning" / "esol-rf" / "best.toml").is_file()


def test_bad_range_fails_before_any_trial(tmp_path, capsys):
    space = "[space.ranges]\nn_trees = { int = [10, 5] }\n"
    project = tmp_path / "project"
    assert main(["tune", write_config(tmp_path, space), "-p", str(project)]) == 1
    assert "no parameter(s) ['n_trees']; its parameters: n_estimators" in capsys.readouterr().err
    assert not (project / ".athanor").exists()
