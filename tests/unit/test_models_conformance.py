"""Every registered surrogate passes the contract checks."""

import pytest
import torch

from athanor.models import available_surrogates, surrogate_class
from athanor.models.conformance import check_surrogate

SMALL = {
    "rf": {"n_estimators": 20, "seed": 1},
    "lightgbm": {"n_estimators": 30, "ensemble_size": 3, "seed": 1},
    "gp": {"n_samples": 3, "seed": 1},
    "dmpnn": {"hidden_size": 16, "ffn_hidden_size": 16, "epochs": 3, "batch_size": 8,
              "uncertainty": "ensemble", "ensemble_size": 2, "seed": 1},
}  # fmt: skip


def test_every_registered_model_is_covered():
    assert sorted(SMALL) == available_surrogates()


@pytest.mark.parametrize("name", sorted(SMALL))
def test_surrogate_contract(name, tmp_path):
    torch.set_num_threads(1)
    check_surrogate(lambda: surrogate_class(name)(**SMALL[name]), tmp_path / name)
