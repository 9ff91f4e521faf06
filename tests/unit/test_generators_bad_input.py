"""Generators given a misspelt parameter or a file that is not a checkpoint: one-line errors."""

from __future__ import annotations

import pytest
import torch

from athanor.cli.main import main
from athanor.core.errors import ConfigError, ModelFileError
from athanor.generators.checkpoint import load_checkpoint, save_checkpoint
from athanor.generators.registry import make_generator
from athanor.generators.screened import ScreenedGenerator


def test_an_unknown_generator_parameter_lists_the_parameters():
    with pytest.raises(ConfigError, match=r"no parameter\(s\) \['n_intial'\]; .*n_initial"):
        make_generator("graph_ga", n_intial=20)


def test_an_unknown_sample_param_lists_the_parameters(tmp_path, capsys):
    args = ["generate", "sample", "-m", "smiles_lm", "-o", str(tmp_path / "x.smi")]
    assert main([*args, "--param", "temprature=0.8"]) == 1
    err = capsys.readouterr().err
    assert "generator 'smiles_lm' has no parameter(s) ['temprature']" in err
    assert "its parameters: checkpoint, temperature, seed" in err


def test_an_unknown_surrogate_or_parameter_fails_when_screening_is_set_up():
    inner = make_generator("graph_ga", seed=0)
    with pytest.raises(ConfigError, match=r"no parameter\(s\) \['leaves'\].*n_estimators"):
        ScreenedGenerator(inner, "rf", {"leaves": 3})
    with pytest.raises(ConfigError, match="unknown model 'forest'"):
        ScreenedGenerator(inner, "forest")


@pytest.fixture
def checkpoint(tmp_path):
    save_checkpoint(tmp_path / "lm", "language_model", {"w": torch.zeros(2)}, {})
    return tmp_path / "lm"


def test_a_checkpoint_round_trips(checkpoint):
    state_dict, description = load_checkpoint(checkpoint, "language_model")
    assert list(state_dict) == ["w"] and description["kind"] == "language_model"


@pytest.mark.parametrize(
    ("suffix", "content", "problem"),
    [
        (".pt", bytes(range(256)), "damaged weights file"),
        (".pt", b"", "damaged weights file"),
        (".pt", None, "its weights are not a dict of tensors"),  # a list saved by torch
        (".json", b"{}", "not a checkpoint description: no schema_version"),
        (".json", b"[]", "not a checkpoint description: no schema_version"),
        (".json", b"\x89PNG", "unreadable description"),
    ],
)
def test_a_foreign_file_is_not_a_checkpoint(checkpoint, suffix, content, problem):
    path = checkpoint.with_name("lm" + suffix)
    if content is None:
        torch.save([1, 2], path)
    else:
        path.write_bytes(content)
    with pytest.raises(ModelFileError) as error:
        load_checkpoint(checkpoint, "language_model")
    message = str(error.value)
    assert message.startswith(f"{path} is not an Athanor generator checkpoint ({problem}")
    assert "\n" not in message and "weights_only" not in message and "upgrade" not in message
