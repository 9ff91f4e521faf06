"""Every surrogate must be able to fit 30 molecules almost exactly (a broken model cannot),
and the D-MPNN must use the second component of multi-component inputs."""

import numpy as np
import pytest
import torch

from athanor.datasets import load_dataset
from athanor.models import (
    DMPNNRegressor,
    LightGBMSurrogate,
    RandomForestSurrogate,
    TanimotoGPSurrogate,
)

ESOL = load_dataset("esol").iloc[:30]
SMILES = ESOL["smiles"].tolist()
SOLUBILITY = ESOL["measured log solubility in mols per litre"].to_numpy()
DMPNN = {"hidden_size": 64, "ffn_hidden_size": 64, "batch_size": 10, "aggregation": "mean"}


def rmse(model, smiles, y, **inputs) -> float:
    return float(np.sqrt(np.mean((model.predict(smiles, **inputs).mean[:, 0] - y) ** 2)))


@pytest.mark.parametrize(
    "model",
    [
        RandomForestSurrogate(n_estimators=50, max_features=1.0),
        LightGBMSurrogate(n_estimators=300, min_child_samples=2, ensemble_size=1),
        TanimotoGPSurrogate(noise=1e-3),
        DMPNNRegressor(**DMPNN, epochs=80),
    ],
    ids=["rf", "lightgbm", "gp", "dmpnn"],
)
def test_model_overfits_thirty_molecules(model):
    torch.set_num_threads(1)
    model.fit(SMILES, SOLUBILITY)
    assert rmse(model, SMILES, SOLUBILITY) < 0.4 * SOLUBILITY.std()  # R² > 0.84


@pytest.mark.slow
def test_dmpnn_learns_a_solvent_effect_from_the_second_component():
    torch.set_num_threads(1)
    pairs = np.array([(s, solvent) for s in SMILES for solvent in ("O", "CCCCCC")])
    shift = np.where(pairs[:, 1] == "O", 2.0, -2.0)
    y = np.repeat(SOLUBILITY, 2) + shift
    model = DMPNNRegressor(**DMPNN, epochs=100).fit(pairs, y)
    prediction = model.predict(pairs).mean[:, 0]
    assert np.sqrt(np.mean((prediction - y) ** 2)) < 0.4 * y.std()
    in_water, in_hexane = prediction[0::2], prediction[1::2]
    assert np.median(in_water - in_hexane) == pytest.approx(4.0, abs=1.0)
