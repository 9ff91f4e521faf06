"""D-MPNN surrogate: determinism, uncertainty modes, multi-task masking, multi-component
inputs, and safe saving."""

import json
import logging

import numpy as np
import pytest
import torch

from athanor.chem.descriptors import descriptor_names
from athanor.core.errors import AthanorError, ConfigError, InputDataError
from athanor.core.prediction import Prediction
from athanor.datasets import load_dataset
from athanor.models import DMPNNRegressor, ModelFileError, Surrogate, dmpnn
from athanor.models.likelihoods import PointLikelihood
from athanor.models.persistence import CONFIG_FILE

ESOL = load_dataset("esol").iloc[:40]
SMILES = ESOL["smiles"].tolist()
# two tasks: solubility (log mol/L) and molecular weight / 100, the latter half missing
Y = np.column_stack(
    [ESOL["measured log solubility in mols per litre"], ESOL["Molecular Weight"] / 100]
)
Y[::2, 1] = np.nan
VAL = (SMILES[30:], Y[30:])
TINY = {"hidden_size": 16, "ffn_hidden_size": 16, "epochs": 3, "batch_size": 8}


def fit(**params) -> DMPNNRegressor:
    torch.set_num_threads(1)
    return DMPNNRegressor(**(TINY | params)).fit(SMILES, Y)


def test_same_seed_gives_identical_predictions_and_another_seed_does_not():
    first, second, other = fit(seed=3), fit(seed=3), fit(seed=4)
    np.testing.assert_array_equal(first.predict(SMILES).mean, second.predict(SMILES).mean)
    assert not np.allclose(first.predict(SMILES).mean, other.predict(SMILES).mean)


@pytest.mark.parametrize(
    ("params", "n_samples"),
    [
        ({"uncertainty": "none"}, None),
        ({"uncertainty": "ensemble", "ensemble_size": 3}, 3),
        ({"uncertainty": "mve"}, None),
        ({"uncertainty": "evidential"}, None),
        ({"uncertainty": "dropout", "dropout": 0.2, "dropout_samples": 5}, 5),
        ({"uncertainty": "mve", "ensemble_size": 2}, 2),
    ],
)
def test_every_uncertainty_mode_returns_a_full_prediction(params, n_samples):
    prediction = fit(**params).predict(SMILES[:7])
    assert prediction.mean.shape == prediction.std.shape == (7, 2)
    assert np.isfinite(prediction.mean).all() and (prediction.std >= 0).all()
    if params["uncertainty"] == "none":
        assert (prediction.std == 0).all()
    else:
        assert (prediction.std > 0).all()
    if n_samples is None:
        assert prediction.samples is None
    else:
        assert prediction.samples.shape == (n_samples, 7, 2)
        np.testing.assert_allclose(prediction.samples.mean(axis=0), prediction.mean)


def rows(prediction: Prediction, index: slice) -> Prediction:
    return Prediction(prediction.mean[index], prediction.std[index], prediction.samples[:, index])


def assert_same_prediction(a: Prediction, b: Prediction, atol: float = 0.0) -> None:
    for field in ("mean", "std", "samples"):
        np.testing.assert_allclose(getattr(a, field), getattr(b, field), rtol=0, atol=atol)


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_mc_dropout_predicts_a_molecule_alike_alone_in_a_list_and_in_reverse(precision):
    model = fit(uncertainty="dropout", dropout=0.3, dropout_samples=4, precision=precision)
    listed = model.predict(SMILES)
    assert_same_prediction(model.predict(SMILES), listed)
    assert_same_prediction(rows(model.predict(SMILES[::-1]), slice(None, None, -1)), listed)
    # fp32 products of a one-row batch may round otherwise (bf16 batches are padded to a few
    # shapes): float32 rounding at most, where another dropout mask moves them by ~1e-3
    alone = model.predict(SMILES[:1])
    assert_same_prediction(alone, rows(listed, slice(1)), atol=1e-6 if precision == "fp32" else 0)
    other_seed = model.set_params(seed=1).predict(SMILES)
    assert not np.allclose(other_seed.std, listed.std)


def test_missing_labels_are_masked_per_task_not_per_row():
    y = torch.tensor([[1.0, 0.0], [3.0, 5.0]])
    mask = torch.tensor([[True, False], [True, True]])
    raw = torch.zeros(2, 2)
    # squared errors of the three labelled entries only: (1 + 9 + 25) / 3
    assert float(PointLikelihood().loss(raw, y, mask)) == pytest.approx(35 / 3)


def test_a_row_labelled_only_in_one_task_still_trains_that_task():
    y = Y.copy()
    y[:20, 0] = np.nan  # task 0 known for 20 rows; task 1 for the other half
    model = DMPNNRegressor(**TINY).fit(SMILES, y)
    assert np.isfinite(model.predict(SMILES).mean).all()
    all_missing = y.copy()
    all_missing[:, 1] = np.nan
    with pytest.raises(InputDataError, match="no label"):
        DMPNNRegressor(**TINY).fit(SMILES, all_missing)


def test_save_and_load_reproduce_predictions_bit_for_bit(tmp_path):
    model = fit(uncertainty="mve", ensemble_size=2)
    model.save(tmp_path / "model")
    loaded = Surrogate.load(tmp_path / "model")
    assert isinstance(loaded, DMPNNRegressor) and loaded.get_params() == model.get_params()
    before, after = model.predict(SMILES), loaded.predict(SMILES)
    np.testing.assert_array_equal(before.mean, after.mean)
    np.testing.assert_array_equal(before.std, after.std)


def test_multi_component_inputs_with_conditions_save_and_reload(tmp_path):
    pairs = np.column_stack([SMILES, ["O", "CCO"] * 20])
    conditions = np.linspace(280, 320, 40)
    model = DMPNNRegressor(**TINY, shared_encoder=False).fit(pairs, Y, conditions=conditions)
    assert len(model.networks_[0].encoders) == 2
    assert model.embed(pairs, conditions=conditions).shape == (40, 2 * 16 + 1)
    model.save(tmp_path)
    reloaded = DMPNNRegressor.load(tmp_path).predict(pairs, conditions=conditions)
    np.testing.assert_array_equal(reloaded.mean, model.predict(pairs, conditions=conditions).mean)
    with pytest.raises(InputDataError, match="2 molecule"):
        model.predict(SMILES, conditions=conditions)


def test_descriptors_of_each_component_join_the_head_and_reload_bit_for_bit(tmp_path):
    pairs = np.column_stack([SMILES, ["O", "CCO"] * 20])
    conditions = np.linspace(280, 320, 40)
    model = DMPNNRegressor(**TINY, molecule_features="descriptors")
    model.fit(pairs, Y, conditions=conditions)
    width = len(descriptor_names())
    assert model.embed(pairs, conditions=conditions).shape == (40, 2 * 16 + 1 + 2 * width)
    graphs_only = DMPNNRegressor(**TINY).fit(pairs, Y, conditions=conditions)
    with_descriptors = model.predict(pairs, conditions=conditions).mean
    assert not np.allclose(with_descriptors, graphs_only.predict(pairs, conditions=conditions).mean)
    # descriptors are standardised with the training set's statistics, not the batch's
    one_row = model.predict(pairs[:1], conditions=conditions[:1]).mean
    np.testing.assert_allclose(one_row, with_descriptors[:1], rtol=1e-5)
    model.save(tmp_path)
    reloaded = Surrogate.load(tmp_path).predict(pairs, conditions=conditions)
    np.testing.assert_array_equal(reloaded.mean, with_descriptors)


def test_validation_data_keeps_the_epoch_with_the_lowest_validation_error():
    # validation never draws random numbers, so both runs follow the same trajectory and the
    # selected epoch can only be better on the validation set than the last one
    train, val, y = SMILES[:30], SMILES[30:], Y[:, 0]
    params = TINY | {"epochs": 8}
    selected = DMPNNRegressor(**params).fit(train, y[:30], val=(val, y[30:]))
    last = DMPNNRegressor(**params).fit(train, y[:30])
    error_selected = np.mean((selected.predict(val).mean[:, 0] - y[30:]) ** 2)
    error_last = np.mean((last.predict(val).mean[:, 0] - y[30:]) ** 2)
    assert error_selected <= error_last


@pytest.mark.parametrize("ensemble_size", [1, 2])
def test_on_epoch_gets_one_validation_loss_per_epoch(ensemble_size):
    losses = []
    model = DMPNNRegressor(**(TINY | {"epochs": 4, "ensemble_size": ensemble_size}))
    model.fit(SMILES[:30], Y[:30], val=VAL, on_epoch=lambda *args: losses.append(args))
    assert [epoch for epoch, _ in losses] == [0, 1, 2, 3]  # the first network's curve only
    assert all(isinstance(loss, float) and loss > 0 for _, loss in losses)


class Stop(Exception):
    pass


def test_an_exception_from_on_epoch_stops_training_and_propagates():
    epochs = []

    def stop_at_second_epoch(epoch, loss):
        epochs.append(epoch)
        if epoch == 1:
            raise Stop

    with pytest.raises(Stop):
        DMPNNRegressor(**(TINY | {"epochs": 6})).fit(
            SMILES[:30], Y[:30], val=VAL, on_epoch=stop_at_second_epoch
        )
    assert epochs == [0, 1]


def test_on_epoch_without_validation_data_is_an_input_error():
    with pytest.raises(InputDataError, match="val"):
        DMPNNRegressor(**TINY).fit(SMILES, Y, on_epoch=lambda epoch, loss: None)


def test_newer_schema_is_refused_with_one_line(tmp_path):
    fit().save(tmp_path)
    config = (
        (tmp_path / CONFIG_FILE).read_text().replace('"schema_version": 1', '"schema_version": 99')
    )
    (tmp_path / CONFIG_FILE).write_text(config)
    with pytest.raises(ModelFileError, match="schema 99") as error:
        Surrogate.load(tmp_path)
    assert isinstance(error.value, AthanorError) and "\n" not in str(error.value)


def test_truncated_weights_are_refused_with_one_line(tmp_path):
    fit().save(tmp_path)
    weights = tmp_path / "weights.pt"
    weights.write_bytes(weights.read_bytes()[:500])
    with pytest.raises(ModelFileError, match="truncated or corrupt") as error:
        Surrogate.load(tmp_path)
    assert "\n" not in str(error.value)


def test_missing_model_is_a_model_file_error(tmp_path):
    with pytest.raises(ModelFileError, match=r"config\.json is missing"):
        Surrogate.load(tmp_path)


@pytest.mark.parametrize(
    "params",
    [
        {"uncertainty": "ensemble", "ensemble_size": 1},
        {"uncertainty": "dropout", "dropout": 0.0},
        {"aggregation": "max"},
        {"depth": 0},
        {"precision": "fp16"},
    ],
)
def test_invalid_hyper_parameters_are_config_errors(params):
    with pytest.raises(ConfigError):
        DMPNNRegressor(**params).fit(SMILES, Y)
    with pytest.raises(ConfigError):  # and before any fit
        DMPNNRegressor(**params).check_params()


def test_valid_hyper_parameters_are_checked_without_fitting():
    model = DMPNNRegressor(uncertainty="ensemble", ensemble_size=2)
    assert model.check_params()
    assert not hasattr(model, "n_tasks_")


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_each_precision_is_reproducible_and_reloads_bit_for_bit(precision, tmp_path):
    first, second = fit(precision=precision, seed=1), fit(precision=precision, seed=1)
    np.testing.assert_array_equal(first.predict(SMILES).mean, second.predict(SMILES).mean)
    first.save(tmp_path / "model")
    reloaded = Surrogate.load(tmp_path / "model")
    np.testing.assert_array_equal(reloaded.predict(SMILES).mean, first.predict(SMILES).mean)


@pytest.mark.parametrize("fitted_on_a_bf16_cpu", [True, False])
def test_auto_precision_is_resolved_once_when_fitting_and_kept_after_loading(
    fitted_on_a_bf16_cpu, tmp_path, monkeypatch, caplog
):
    resolved = "bf16" if fitted_on_a_bf16_cpu else "fp32"
    monkeypatch.setattr(dmpnn, "bf16_is_native", lambda: fitted_on_a_bf16_cpu)
    with caplog.at_level(logging.INFO, logger=dmpnn.__name__):
        model = fit(precision="auto", seed=1)
    assert f"{resolved} matrix products" in caplog.text
    before = model.predict(SMILES)
    model.save(tmp_path)
    monkeypatch.setattr(dmpnn, "bf16_is_native", lambda: not fitted_on_a_bf16_cpu)
    after = Surrogate.load(tmp_path).predict(SMILES)
    np.testing.assert_array_equal(after.mean, before.mean)
    # a model saved before the precision was resolves "auto" on the machine that loads it
    config = json.loads((tmp_path / CONFIG_FILE).read_text())
    del config["state"]["precision"]
    (tmp_path / CONFIG_FILE).write_text(json.dumps(config))
    assert not np.array_equal(Surrogate.load(tmp_path).predict(SMILES).mean, before.mean)


def test_bf16_products_predict_what_fp32_ones_do_up_to_bf16_rounding():
    model = fit(seed=2, precision="fp32", epochs=20)
    exact = model.predict(SMILES).mean
    model.set_params(precision="bf16")
    rounded = model.predict(SMILES).mean
    assert not np.array_equal(rounded, exact)
    np.testing.assert_allclose(rounded, exact, atol=0.05 * np.nanstd(Y, axis=0).max())


def test_predict_before_fit_and_bad_targets_are_input_errors():
    with pytest.raises(InputDataError, match="not fitted"):
        DMPNNRegressor().predict(SMILES)
    with pytest.raises(InputDataError, match="infinite"):
        DMPNNRegressor(**TINY).fit(SMILES, np.full(40, np.inf))
    with pytest.raises(InputDataError, match="shape"):
        DMPNNRegressor(**TINY).fit(SMILES, Y[:10])
