"""The chemical language model: training, sampling, likelihoods and checkpoints."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from athanor.core.errors import ModelFileError
from athanor.generators.language_model import LanguageModel, LanguageModelConfig
from athanor.generators.metrics import validity
from athanor.generators.registry import make_generator

# small drug-like molecules, with and without nitrogen
TINY_SET = [
    "CCO", "CCN", "c1ccccc1", "c1ccncc1", "CC(=O)O", "CC(=O)N", "CCOC(=O)C", "CNC(=O)C",
    "c1ccc(O)cc1", "c1ccc(N)cc1", "CC(C)O", "CC(C)N", "OCCO", "NCCN", "C1CCCCC1", "C1CCNCC1",
]  # fmt: skip


def tiny_model(representation: str = "smiles", steps: int = 300, seed: int = 0) -> LanguageModel:
    """A small GRU overfitted on `TINY_SET` (about a second of CPU)."""
    torch.set_num_threads(1)
    config = LanguageModelConfig(
        representation=representation, embedding_dim=16, hidden_dim=64, n_layers=1, max_length=40
    )
    return LanguageModel(config, seed=seed).fit(
        TINY_SET, steps=steps, batch_size=32, learning_rate=1e-2, augment=False
    )


@pytest.fixture(scope="module")
def smiles_model():
    return tiny_model()


def test_overfits_tiny_set_and_samples_valid_molecules(smiles_model):
    samples = smiles_model.sample(200)
    assert validity(samples) > 0.9
    assert np.mean([text in TINY_SET for text in samples]) > 0.8


def test_selfies_model_samples_are_all_valid():
    samples = tiny_model("selfies", steps=100).sample(100)
    assert validity(samples) == 1.0  # any SELFIES string decodes to a molecule


def test_log_likelihood_prefers_training_molecules_and_flags_unknown_tokens(smiles_model):
    values = smiles_model.log_likelihood(["c1ccccc1", "c1ccsc1", "C[Se]C"])
    assert values[0] > values[1] and values[0] > -3
    assert values[2] == -np.inf  # [Se] is not in the vocabulary


def test_sampling_is_reproducible_with_a_seed():
    assert tiny_model(steps=20).sample(20) == tiny_model(steps=20).sample(20)


def test_save_load_gives_identical_log_likelihoods(smiles_model, tmp_path):
    smiles_model.save(tmp_path / "lm")
    loaded = LanguageModel.load(tmp_path / "lm.pt")
    np.testing.assert_array_equal(
        loaded.log_likelihood(TINY_SET), smiles_model.log_likelihood(TINY_SET)
    )
    assert loaded.vocabulary_ == smiles_model.vocabulary_


def test_newer_schema_is_refused_with_a_clear_error(smiles_model, tmp_path):
    smiles_model.save(tmp_path / "lm")
    meta = tmp_path / "lm.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "schema_version": 99}))
    with pytest.raises(ModelFileError, match=r"schema version 99.*upgrade"):
        LanguageModel.load(tmp_path / "lm")


def test_truncated_or_missing_weights_give_a_clear_error(smiles_model, tmp_path):
    weights = smiles_model.save(tmp_path / "lm")
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(ModelFileError, match="damaged weights"):
        LanguageModel.load(tmp_path / "lm")
    with pytest.raises(ModelFileError, match="not found"):
        LanguageModel.load(tmp_path / "missing")


def test_generator_samples_from_a_checkpoint(smiles_model, tmp_path):
    smiles_model.save(tmp_path / "lm")
    generator = make_generator("smiles_lm", checkpoint=str(tmp_path / "lm"), seed=1)
    proposals = generator.ask(10)
    generator.tell(proposals, np.ones(10))
    assert len(proposals) == 10 and generator.get_params()["seed"] == 1
