"""Fingerprint surrogates (random forest, LightGBM, Tanimoto GP): the shared contract."""

import json

import numpy as np
import pytest
from sklearn.ensemble import RandomForestRegressor

from athanor.core.errors import ConfigError, InputDataError
from athanor.datasets import load_dataset
from athanor.models import (
    LightGBMSurrogate,
    ModelFileError,
    RandomForestSurrogate,
    Surrogate,
    TanimotoGPSurrogate,
    available_surrogates,
    surrogate_class,
)
from athanor.models.gaussian_process import tanimoto

ESOL = load_dataset("esol").iloc[:40]
SMILES = ESOL["smiles"].tolist()
Y = np.column_stack(
    [ESOL["measured log solubility in mols per litre"], ESOL["Molecular Weight"] / 100]
)
Y[::2, 1] = np.nan
SMALL = {
    "rf": {"n_estimators": 20},
    "lightgbm": {"n_estimators": 30, "ensemble_size": 3},
    "gp": {"n_samples": 4},
}
MODELS = {"rf": RandomForestSurrogate, "lightgbm": LightGBMSurrogate, "gp": TanimotoGPSurrogate}


def test_registry_names_every_model():
    assert available_surrogates() == ["dmpnn", "gp", "lightgbm", "rf"]
    assert surrogate_class("rf") is RandomForestSurrogate
    with pytest.raises(ConfigError, match="choose one of"):
        surrogate_class("svm")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_fit_predict_shapes_with_a_half_missing_task(name):
    prediction = MODELS[name](**SMALL[name]).fit(SMILES, Y).predict(SMILES[:5])
    assert prediction.mean.shape == prediction.std.shape == (5, 2)
    assert np.isfinite(prediction.mean).all() and (prediction.std > 0).all()
    assert prediction.samples.shape[1:] == (5, 2)


def test_forest_arrays_predict_exactly_as_scikit_learn():
    model = RandomForestSurrogate(n_estimators=15, seed=2).fit(SMILES, Y[:, 0])
    features = model._matrix([SMILES], None)
    reference = RandomForestRegressor(n_estimators=15, max_features=0.3, random_state=2)
    reference.fit(features, Y[:, 0])
    np.testing.assert_array_equal(model.predict(SMILES).mean[:, 0], reference.predict(features))


def test_two_components_and_conditions_are_concatenated_features():
    pairs = np.column_stack([SMILES, ["O", "CCO"] * 20])
    model = RandomForestSurrogate(n_estimators=10, n_bits=256).fit(
        pairs, Y, conditions=np.arange(40)
    )
    assert model._matrix([SMILES, ["O"] * 40], np.zeros((40, 1))).shape == (40, 2 * 256 + 1)
    with pytest.raises(InputDataError, match="conditions"):
        model.predict(pairs)


def test_descriptor_features_feed_the_forest():
    model = RandomForestSurrogate(n_estimators=10, features="descriptors").fit(SMILES, Y)
    assert model.predict(SMILES[:3]).mean.shape == (3, 2)


def test_tanimoto_is_one_on_the_diagonal_and_symmetric():
    fingerprints = (np.random.default_rng(0).random((6, 64)) < 0.3).astype(np.float32)
    similarity = tanimoto(fingerprints, fingerprints)
    np.testing.assert_allclose(np.diag(similarity), 1.0)
    np.testing.assert_allclose(similarity, similarity.T)
    assert similarity.min() >= 0


def test_gp_refuses_descriptor_features():
    with pytest.raises(ConfigError, match="Tanimoto"):
        TanimotoGPSurrogate(features="descriptors").fit(SMILES, Y)


@pytest.mark.parametrize("features", ["morgan", "atompair_counts"])
def test_gp_std_grows_away_from_the_training_data(features):
    model = TanimotoGPSurrogate(features=features).fit(SMILES, Y[:, 0])
    near, far = model.predict([SMILES[0], "FC(F)(F)C(F)(F)C(F)(F)S(=O)(=O)O"]).std[:, 0]
    assert far > near


@pytest.mark.parametrize(
    ("name", "file"), [("rf", "forest.npz"), ("gp", "gp.npz"), ("lightgbm", "booster_0_0.txt")]
)
def test_truncated_model_files_raise_model_file_error(name, file, tmp_path):
    MODELS[name](**SMALL[name]).fit(SMILES, Y).save(tmp_path)
    path = tmp_path / file
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ModelFileError) as error:
        Surrogate.load(tmp_path)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda config: config["state"].pop("n_tasks"), "KeyError: 'n_tasks'"),
        (lambda config: config["params"].update(n_estimatorz=3), "n_estimatorz"),
    ],
)
def test_a_hand_edited_model_config_raises_model_file_error(edit, message, tmp_path):
    MODELS["rf"](**SMALL["rf"]).fit(SMILES, Y).save(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    edit(config)
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFileError, match=message):
        Surrogate.load(tmp_path)


def test_atom_pair_features_and_depth_limited_forest():
    import numpy as np

    from athanor.models.registry import surrogate_class

    smiles = ["C" * n for n in range(1, 13)] + ["c1ccccc1" + "C" * n for n in range(1, 7)]
    y = np.array([len(s) for s in smiles], dtype=float)
    model = surrogate_class("rf")(n_estimators=30, max_depth=2, features="atompair", seed=0)
    model.fit(smiles, y)
    assert model.get_params()["max_depth"] == 2
    prediction = model.predict(["CCCCCCCCCCC", "CC"])
    assert prediction.mean[0, 0] > prediction.mean[1, 0]  # size is what atom pairs encode
