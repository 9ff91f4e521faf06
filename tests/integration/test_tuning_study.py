"""Studies on 60 ESOL molecules with a small random forest: resume, refusal, outputs."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import optuna
import pandas as pd
import pytest
import torch
from optuna.trial import TrialState

from athanor.core.config import load_toml, validate_config
from athanor.core.errors import ConfigError, InputDataError
from athanor.datasets import load_dataset
from athanor.datasets.labelled import load_split_data
from athanor.models import surrogate_class
from athanor.tuning import (
    TrainingConfig,
    TuneConfig,
    load_tune_config,
    results,
    retune,
    run_study,
    tune,
)
from athanor.tuning import objective as objective_module
from athanor.tuning import study as study_module
from athanor.tuning.config import SurrogateSpec
from athanor.tuning.study import finished_trials, open_study

TARGET = "measured log solubility in mols per litre"
SPACE = {
    "ranges": {"min_samples_leaf": {"int": [1, 4]}, "max_features": {"float": [0.1, 0.6]}},
    "fixed": {"n_estimators": 20, "n_bits": 256},
}


@pytest.fixture(scope="module")
def esol_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "esol60.csv"
    load_dataset("esol").head(60)[["smiles", TARGET]].to_csv(path, index=False)
    return path


def tiny_config(esol_csv, **changes) -> TuneConfig:
    data = {
        "model": "rf",
        "n_trials": 2,
        "data": {"file": str(esol_csv), "smiles": ["smiles"], "targets": [TARGET]},
        "split": {"strategy": "random"},
        "space": SPACE,
        "test_seeds": [0, 1],
    }
    return validate_config(TuneConfig, {**data, **changes})


def test_study_resumes_in_the_same_storage(esol_csv, tmp_path):
    first = run_study(tiny_config(esol_csv), tmp_path)
    assert len(first.trials) == 2
    resumed = run_study(tiny_config(esol_csv, n_trials=4), tmp_path)
    assert len(resumed.trials) == 4
    assert resumed._study_id == first._study_id
    assert (tmp_path / ".athanor" / "tuning.sqlite3").is_file()
    params = [tuple(t.params.values()) for t in resumed.trials]
    assert len(set(params)) == 4  # the resumed run does not repeat the first draws


def test_the_first_trial_is_the_model_default(esol_csv, tmp_path):
    study = run_study(tiny_config(esol_csv, n_trials=1), tmp_path)
    defaults = surrogate_class("rf")().get_params()
    assert study.trials[0].params == {
        "min_samples_leaf": defaults["min_samples_leaf"],
        "max_features": defaults["max_features"],
    }


def test_study_of_another_config_is_refused_before_any_trial(esol_csv, tmp_path):
    run_study(tiny_config(esol_csv, n_trials=1), tmp_path)
    other = tiny_config(esol_csv, n_trials=1, split={"strategy": "random", "seed": 7})
    with pytest.raises(ConfigError, match="another configuration"):
        run_study(other, tmp_path)


def test_tuned_config_reloads_and_trains(esol_csv, tmp_path):
    result = tune(tiny_config(esol_csv), tmp_path)
    config = load_toml(result.output / "best.toml", TrainingConfig)
    assert config.surrogate.params == result.best_params
    assert config.surrogate.params["n_estimators"] == 20
    data = load_split_data(config.data, config.split)
    model = surrogate_class(config.surrogate.model)(**config.surrogate.params)
    prediction = model.fit(data.train.smiles, data.train.y).predict(data.test.smiles)
    assert prediction.mean.shape == data.test.y.shape
    assert set(result.comparison["model"]) == {"default", "tuned"}
    assert len(result.comparison) == 4  # 2 models x 2 seeds
    assert "Optimisation history" in (result.output / "report.html").read_text()


def test_final_parameters_override_the_best_trial_in_the_tuned_model(esol_csv, tmp_path):
    def tuned_with(final: dict):
        config = tiny_config(esol_csv, space={**SPACE, "final": final}, test_seeds=[0])
        return tune(config, tmp_path)

    first = tuned_with({"n_estimators": 40})
    assert first.best_params["n_estimators"] == 40
    again = tuned_with({"n_estimators": 60})  # same stored study: no new trial, new final
    assert len(again.study.trials) == len(first.study.trials) == 2
    config = load_toml(again.output / "best.toml", TrainingConfig)
    assert config.surrogate.params == again.best_params
    assert config.surrogate.params["n_estimators"] == 60


def test_the_default_model_on_test_takes_the_fixed_and_final_parameters(esol_csv, tmp_path):
    config = tiny_config(esol_csv, space={**SPACE, "final": {"n_estimators": 7}}, test_seeds=[0])
    result = tune(config, tmp_path)
    data = load_split_data(config.data, config.split)
    rf = surrogate_class("rf")(n_estimators=7, n_bits=256, seed=0)  # final, then fixed
    expected = rf.fit(data.train.smiles, data.train.y)
    errors = expected.predict(data.test.smiles).mean - data.test.y
    default = result.comparison.set_index("model").loc["default"]
    assert default["test_rmse"] == pytest.approx(np.sqrt(np.mean(errors**2)))


def test_a_killed_comparison_resumes_from_its_finished_test_fits(esol_csv, tmp_path, monkeypatch):
    config = tiny_config(esol_csv)
    first = tune(config, tmp_path)
    fits = sorted((first.output / "test_fits").glob("*.json"))
    assert len(fits) == 4  # (default, tuned) x test seeds (0, 1)
    fitted = []
    real_fit = results.fit_model
    monkeypatch.setattr(results, "fit_model", lambda *a: fitted.append(a) or real_fit(*a))
    again = tune(config, tmp_path)
    pd.testing.assert_frame_equal(again.comparison, first.comparison)
    assert fitted == []
    fits[0].unlink()  # as if killed before that fit finished: only that one runs again
    resumed = tune(config, tmp_path)
    assert len(fitted) == 1
    pd.testing.assert_frame_equal(
        resumed.comparison.drop(columns="fit_seconds"),
        first.comparison.drop(columns="fit_seconds"),
    )


def test_an_edited_data_file_is_fitted_again_and_not_tuned_further(esol_csv, tmp_path, monkeypatch):
    edited = tmp_path / "esol60.csv"
    frame = pd.read_csv(esol_csv)
    frame.to_csv(edited, index=False)
    config = tiny_config(edited)
    tune(config, tmp_path)
    frame.loc[0, TARGET] += 1.0  # same path, same config: one label differs
    frame.to_csv(edited, index=False)
    fitted = []
    real_fit = results.fit_model
    monkeypatch.setattr(results, "fit_model", lambda *a: fitted.append(a) or real_fit(*a))
    tune(config, tmp_path)
    assert len(fitted) == 4  # no score of the old rows is reused
    assert len(list((tmp_path / ".athanor" / "tuning").rglob("test_fits/*.json"))) == 8
    with pytest.raises(ConfigError, match="changed since its trials ran"):
        run_study(tiny_config(edited, n_trials=3), tmp_path)  # no new trial on other rows


def test_trials_are_scored_on_the_validation_and_calibration_rows(esol_csv, tmp_path):
    config = tiny_config(esol_csv, n_trials=1, split={"strategy": "random", "calibration": 0.5})
    study = run_study(config, tmp_path)
    data = load_split_data(config.data, config.split)
    assert len(data.calibration.y) > 0
    model = surrogate_class("rf")(**SPACE["fixed"], seed=0)
    model.fit(data.train.smiles, data.train.y, val=data.val.as_validation())
    held_out = data.val + data.calibration
    errors = model.predict(held_out.smiles).mean - held_out.y
    assert study.trials[0].value == pytest.approx(np.sqrt(np.mean(errors**2)))


def test_a_split_without_test_part_is_refused_before_any_trial(esol_csv, tmp_path):
    config = tiny_config(esol_csv, split={"strategy": "random", "sizes": [0.9, 0.1, 0.0]})
    with pytest.raises(ConfigError, match="no test part"):
        tune(config, tmp_path)
    assert not (tmp_path / ".athanor").exists()
    assert len(tune(config, tmp_path, compare=False).study.trials) == 2
    with pytest.raises(ConfigError, match="test_seeds"):
        tiny_config(esol_csv, test_seeds=[])


def test_a_moved_project_resumes_its_study(esol_csv, tmp_path):
    for folder in ("a", "b"):  # the same config and data file, in two places
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "esol.csv").write_bytes(esol_csv.read_bytes())
        (tmp_path / folder / "tune.toml").write_text(
            'model = "rf"\nn_trials = 1\n[data]\nfile = "esol.csv"\nsmiles = ["smiles"]\n'
            f'targets = ["{TARGET}"]\n[space.fixed]\nn_estimators = 10\n'
        )
    first, moved = (load_tune_config(tmp_path / f / "tune.toml") for f in ("a", "b"))
    assert first.data.file != moved.data.file
    assert first.fingerprint() == moved.fingerprint()


def test_multi_objective_returns_a_pareto_front(esol_csv, tmp_path):
    config = tiny_config(esol_csv, n_trials=3, objectives=["rmse", "fit_seconds"])
    result = tune(config, tmp_path, compare=False)
    assert len(result.study.directions) == 2
    assert 1 <= len(result.pareto) <= 3
    errors, seconds = np.array(result.pareto).T
    order = np.argsort(seconds)  # along the front, more time buys less error
    assert np.all(np.diff(errors[order]) <= 0)


def test_retune_keeps_unsearched_parameters(esol_csv):
    frame = load_dataset("esol").head(60)
    settings = SurrogateSpec(model="rf", params={"n_estimators": 20, "n_bits": 256})
    space = TuneConfig.model_validate(
        {"model": "rf", "data": {"dataset": "esol"}, "space": SPACE}
    ).search_space()
    result = retune(settings, frame["smiles"], frame[TARGET], 30, space=space, max_trials=2)
    params = result.params
    assert result.n_trials == 2 and result.val_rmse > 0
    assert params["n_estimators"] == 20 and params["n_bits"] == 256
    assert 1 <= params["min_samples_leaf"] <= 4


def test_retune_on_one_scaffold_validates_on_a_random_hold_out():
    series = [f"c1ccccc1{'C' * n}" for n in range(1, 13)]  # a congeneric series: one scaffold
    settings = SurrogateSpec(model="rf", params={"n_estimators": 10, "n_bits": 256})
    result = retune(settings, series, np.arange(12.0), 30, max_trials=2)
    assert result.n_trials == 2 and np.isfinite(result.val_rmse)
    with pytest.raises(InputDataError, match="too few"):
        retune(settings, series[:3], np.arange(3.0), 30, max_trials=2)


def test_retune_keeps_the_parameters_when_no_trial_completes(esol_csv, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("out of memory")

    monkeypatch.setattr(objective_module, "fit_model", crash)
    frame = load_dataset("esol").head(30)
    settings = SurrogateSpec(model="rf", params={"n_estimators": 10})
    result = retune(settings, frame["smiles"], frame[TARGET], 30, max_trials=3)
    assert result.params == {"n_estimators": 10}
    assert result.n_trials == 3 and np.isnan(result.val_rmse)


@pytest.mark.slow
@pytest.mark.parametrize("executor", ["local", "ray"])
def test_parallel_workers_share_one_study(esol_csv, tmp_path, executor):
    config = tiny_config(esol_csv, n_trials=4, n_jobs=2, executor=executor)
    study = run_study(config, tmp_path)
    finished = [t for t in study.trials if t.state.is_finished()]
    assert 4 <= len(finished) <= 5  # a worker may finish one trial past the target


KILLED_WORKER = """
import sys
from athanor.tuning import TuneConfig, run_study
run_study(TuneConfig.model_validate_json(sys.argv[1]), sys.argv[2])
"""


@pytest.mark.slow
def test_study_resumes_after_a_kill(esol_csv, tmp_path):
    config = tiny_config(esol_csv, n_trials=30)
    args = [sys.executable, "-c", KILLED_WORKER, config.model_dump_json(), str(tmp_path)]
    process = subprocess.Popen(args)
    storage = tmp_path / ".athanor" / "tuning.sqlite3"
    while process.poll() is None and not (
        storage.exists() and finished_trials(open_study(config, tmp_path)) >= 2
    ):
        time.sleep(1)
    process.kill()
    process.wait()
    done = finished_trials(open_study(config, tmp_path))
    assert 2 <= done < 30
    resumed = run_study(config.model_copy(update={"n_trials": done + 2}), tmp_path)
    assert finished_trials(resumed) == done + 2


@pytest.mark.slow
def test_a_killed_workers_trial_is_failed_and_queued_when_the_study_reopens(
    esol_csv, tmp_path, monkeypatch
):
    monkeypatch.setattr(study_module, "HEARTBEAT_S", 1)
    config = tiny_config(esol_csv, n_trials=1000)
    worker = "import athanor.tuning.study as s; s.HEARTBEAT_S = 1\n" + KILLED_WORKER
    process = subprocess.Popen(
        [sys.executable, "-c", worker, config.model_dump_json(), str(tmp_path)]
    )
    storage = f"sqlite:///{tmp_path / '.athanor' / 'tuning.sqlite3'}"
    while process.poll() is None and not (
        (tmp_path / ".athanor" / "tuning.sqlite3").exists()
        and len(optuna.load_study(study_name=config.study, storage=storage).trials) >= 3
    ):
        time.sleep(0.5)
    process.kill()
    process.wait()
    states = [t.state for t in optuna.load_study(study_name=config.study, storage=storage).trials]
    time.sleep(4)  # past the grace period of 3 heartbeats
    reopened = [t.state for t in open_study(config, tmp_path).trials]
    assert TrialState.RUNNING not in reopened
    assert reopened.count(TrialState.FAIL) == states.count(TrialState.RUNNING)
    assert reopened.count(TrialState.WAITING) == states.count(TrialState.RUNNING)


def test_hyperband_prunes_dmpnn_trials_from_their_validation_curves(esol_csv, tmp_path):
    torch.set_num_threads(1)
    space = {
        "ranges": {"max_lr": {"float": [1e-5, 3e-2], "log": True}, "depth": {"int": [1, 3]}},
        "fixed": {"hidden_size": 16, "ffn_hidden_size": 16, "epochs": 8, "batch_size": 16},
    }
    config = tiny_config(esol_csv, model="dmpnn", n_trials=8, space=space, pruner="hyperband")
    study = run_study(config, tmp_path)
    complete = study.get_trials(states=[TrialState.COMPLETE])
    pruned = study.get_trials(states=[TrialState.PRUNED])
    assert complete and pruned
    assert all(list(t.intermediate_values) == list(range(8)) for t in complete)
    assert all(max(t.intermediate_values) < 7 for t in pruned)  # stopped before the last epoch


@pytest.mark.parametrize(
    ("model", "space", "refusal"),
    [
        ("rf", {"fixed": {"n_estimators": -5}}, r"\[space.fixed\] n_estimators: .* = -5 \(Inv"),
        ("rf", {"ranges": {"max_features": {"float": [0.5, 3.0]}}}, r"max_features = 3.0 \(Inv"),
        ("rf", {"ranges": {"radius": {"int": [-2, -1]}}}, r"radius = -2 \(OverflowError"),
        ("rf", {"ranges": {"n_bits": {"choice": [1024, "big"]}}}, "n_bits = 'big' is not a num"),
        ("dmpnn", {"ranges": {"dropout": {"float": [0.0, 1.5]}}}, "'dropout': Input should be"),
    ],
)
def test_a_value_the_model_does_not_take_is_refused_before_the_study(
    esol_csv, tmp_path, model, space, refusal
):
    config = tiny_config(esol_csv, model=model, space=space)
    with pytest.raises(ConfigError, match=refusal):
        tune(config, tmp_path, compare=False)
    assert not (tmp_path / ".athanor").exists()


def test_a_split_or_data_file_that_cannot_be_tuned_on_is_refused_before_the_study(
    esol_csv, tmp_path
):
    no_validation = tiny_config(esol_csv, split={"strategy": "random", "sizes": [1.0, 0, 0]})
    with pytest.raises(ConfigError, match="60 training and 0 validation rows"):
        tune(no_validation, tmp_path, compare=False)
    missing = tiny_config(tmp_path / "missing.csv")
    with pytest.raises(InputDataError, match="not found"):
        tune(missing, tmp_path, compare=False)
    assert not (tmp_path / ".athanor").exists()


def test_a_few_held_out_rows_are_warned_about(esol_csv, tmp_path, caplog):
    config = tiny_config(esol_csv, split={"strategy": "random", "sizes": [0.9, 0.05, 0.05]})
    data = study_module.load_study_data(config)
    assert 0 < len(data.held_out().y) < study_module.MIN_HELD_OUT_ROWS
    assert "held-out row(s) only" in caplog.text
    caplog.clear()
    study_module.load_study_data(tiny_config(esol_csv, data={"dataset": "esol"}))
    assert "held-out" not in caplog.text


def test_a_study_that_finished_no_trial_is_taken_over_by_another_config(
    esol_csv, tmp_path, monkeypatch, caplog
):
    def crash(*args):
        raise RuntimeError("a trial that fails")

    with monkeypatch.context() as patch:
        patch.setattr(objective_module.TrialObjective, "__call__", crash)
        with pytest.raises(RuntimeError, match="a trial that fails"):
            run_study(tiny_config(esol_csv), tmp_path)
    corrected = tiny_config(esol_csv, split={"strategy": "random", "seed": 7})
    caplog.set_level("INFO", logger=study_module.__name__)
    study = run_study(corrected, tmp_path)
    assert [t.state for t in study.trials] == [TrialState.COMPLETE] * 2
    assert "every trial failed; replaced by this one" in caplog.text


def test_a_study_being_set_up_by_another_process_is_never_taken(esol_csv, tmp_path):
    config = tiny_config(esol_csv)
    storage = study_module._storage(config, tmp_path)
    other = optuna.create_study(storage=storage, study_name=config.study)
    other.enqueue_trial({})  # created, a trial waiting, its fingerprint not yet written
    with pytest.raises(ConfigError, match="created by another configuration"):
        run_study(config, tmp_path)
    assert optuna.load_study(study_name=config.study, storage=storage).trials


def test_a_storage_that_cannot_be_opened_is_a_config_error(esol_csv, tmp_path):
    (tmp_path / "folder").mkdir()
    config = tiny_config(esol_csv, storage=str(tmp_path / "folder"))
    with pytest.raises(ConfigError, match=r"storage '.*folder': cannot open an SQLite file"):
        run_study(config, tmp_path)
