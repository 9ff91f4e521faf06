"""Trials report per-epoch validation losses to the pruner when the model offers them."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import optuna
import pytest

from athanor.datasets.labelled import Part, SplitData
from athanor.tuning.objective import error_on, fit_model, pruning_callback


class CurveModel:
    """Stands in for a network whose ``fit`` reports a validation loss per epoch."""

    def __init__(self, losses):
        self.losses = losses

    def fit(self, smiles, y, *, conditions=None, val=None, on_epoch=None):
        for epoch, loss in enumerate(self.losses):
            on_epoch(epoch, loss)
        return self


class ConstantModel:
    """Predicts the same values for every molecule."""

    def __init__(self, value):
        self.value = np.asarray(value, dtype=float)

    def predict(self, smiles, conditions=None):
        return SimpleNamespace(mean=np.tile(self.value, (len(smiles), 1)))


def tiny_data() -> SplitData:
    part = Part(np.array([["C"], ["CC"]], dtype=object), np.zeros((2, 1)), None)
    return SplitData(train=part, val=part, test=part)


def test_a_worse_curve_than_the_median_is_pruned():
    pruner = optuna.pruners.MedianPruner(n_startup_trials=1, n_warmup_steps=0)
    study = optuna.create_study(pruner=pruner)
    good = study.ask()
    fit_model(CurveModel([1.0, 0.5, 0.4]), tiny_data(), pruning_callback(good))
    study.tell(good, 0.4)
    bad = study.ask()
    with pytest.raises(optuna.TrialPruned, match="epoch 0"):
        fit_model(CurveModel([3.0, 2.0, 1.0]), tiny_data(), pruning_callback(bad))


def test_a_task_without_validation_labels_leaves_the_others_to_score():
    part = Part(
        np.array([["C"], ["CC"]], dtype=object), np.array([[1.0, np.nan], [3.0, np.nan]]), None
    )
    assert error_on(ConstantModel([2.0, 0.0]), part, "rmse") == pytest.approx(1.0)
    unlabelled = Part(part.smiles, np.full((2, 2), np.nan), None)
    assert np.isnan(error_on(ConstantModel([2.0, 0.0]), unlabelled, "rmse"))


def test_a_trial_scores_the_mean_error_of_its_model_seeds(monkeypatch):
    from athanor.tuning import objective as objective_module
    from athanor.tuning.objective import TrialObjective
    from athanor.tuning.space import resolve_space

    seeds = []

    def seeded_model(model, params, seed):
        seeds.append(seed)
        return ConstantModel([float(seed)])  # error on zero labels: the seed itself

    monkeypatch.setattr(objective_module, "build_model", seeded_model)
    monkeypatch.setattr(objective_module, "fit_model", lambda model, data, on_epoch: 0.5)
    space = resolve_space("rf")
    trial = optuna.create_study().ask()
    objective = TrialObjective("rf", space, tiny_data(), "rmse", False, seed=4, n_fits=3)
    assert objective(trial) == pytest.approx(5.0)  # mean of 4, 5, 6
    assert seeds == [4, 5, 6]
    assert trial.user_attrs == {"fit_seconds": 0.5, "fit_errors": [4.0, 5.0, 6.0]}  # per fit
    fixed_seed = space.model_copy(update={"fixed": {**space.fixed, "seed": 1}})
    assert TrialObjective("rf", fixed_seed, tiny_data(), "rmse", False, 0, n_fits=3).n_fits == 1
