"""The SELFIES VAE and latent-space Bayesian optimisation."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from athanor.chem.parse import canonical_smiles
from athanor.core.errors import InputDataError
from athanor.generators.latent_gp import LatentGP
from athanor.generators.metrics import validity
from athanor.generators.registry import make_generator
from athanor.generators.selfies_vae import SelfiesVAE, VAEConfig
from tests.unit.test_language_model import TINY_SET


@pytest.fixture(scope="module")
def vae():
    torch.set_num_threads(1)
    config = VAEConfig(
        embedding_dim=16, encoder_dim=32, latent_dim=4, decoder_dim=64, max_length=30
    )
    return SelfiesVAE(config, seed=0).fit(
        TINY_SET, steps=300, batch_size=16, learning_rate=1e-2, beta=0.01
    )


def test_vae_reconstructs_training_molecules(vae):
    codes = vae.encode(TINY_SET)
    assert codes.shape == (len(TINY_SET), 4) and np.isfinite(codes).all()
    decoded = vae.decode(codes)
    same = [
        canonical_smiles(a) == canonical_smiles(b) for a, b in zip(decoded, TINY_SET, strict=True)
    ]
    assert np.mean(same) > 0.5  # overfitted: most molecules round-trip
    assert validity(vae.decode(np.random.default_rng(0).standard_normal((20, 4)))) == 1.0


def test_property_head_predicts_in_property_units(vae):
    predicted = vae.predict_properties(vae.encode(["c1ccccc1", "OCCO"]))
    assert predicted.shape == (2, 2)
    assert predicted[0, 1] > predicted[1, 1]  # benzene is more lipophilic than ethylene glycol


def test_save_load_round_trip(vae, tmp_path):
    vae.save(tmp_path / "vae")
    loaded = SelfiesVAE.load(tmp_path / "vae")
    np.testing.assert_array_equal(loaded.encode(TINY_SET), vae.encode(TINY_SET))


def test_latent_gp_interpolates_a_smooth_function():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, size=(40, 2))
    y = np.sin(x[:, 0]) + 0.5 * x[:, 1]
    prediction = LatentGP().fit(x, y).predict(np.array([[0.5, 0.5], [5.0, 5.0]]))
    assert abs(prediction.mean[0, 0] - (np.sin(0.5) + 0.25)) < 0.1
    assert prediction.std[1, 0] > 5 * prediction.std[0, 0]  # far from data: uncertain
    with pytest.raises(InputDataError):
        LatentGP().fit(x[:1], y[:1])


def test_bayesian_optimisation_proposes_distinct_valid_molecules(vae, tmp_path):
    vae.save(tmp_path / "vae")
    generator = make_generator("vae_bo", checkpoint=str(tmp_path / "vae"), n_candidates=200)
    proposed = []
    for _ in range(3):
        smiles = generator.ask(8)
        scores = np.array([float("N" in s) for s in smiles])
        generator.tell(smiles, scores)
        proposed += [canonical_smiles(s) for s in smiles]
    assert len(proposed) == len(set(proposed)) and validity(proposed) == 1.0
    assert len(smiles) > 0 and generator.codes_.shape == (len(proposed), 4)
    generator.tell(smiles, scores)  # told already: ignored
    assert generator.codes_.shape == (len(proposed), 4)
    with pytest.raises(InputDataError, match="1 molecules told with 2 scores"):
        generator.tell(smiles[:1], scores[:2])
