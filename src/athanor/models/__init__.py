"""Surrogate models: featurisers, fingerprint models, the D-MPNN and its uncertainty.

>>> from athanor.models import DMPNNRegressor, Surrogate
>>> model = DMPNNRegressor(uncertainty="ensemble", ensemble_size=5).fit(smiles, y)
>>> prediction = model.predict(new_smiles)          # Prediction(mean, std, samples)
>>> model.save("model/"); Surrogate.load("model/")  # config.json + weights, no pickle

Every model is registered by name (`surrogate_class("rf")`): ``rf`` (random forest),
``lightgbm`` (gradient boosting), ``gp`` (Tanimoto Gaussian process) and ``dmpnn``.
Names are imported on first use, so ``import athanor.models`` does not load torch.
"""

from importlib import import_module
from typing import Any

_EXPORTS = {
    "DMPNNRegressor": "athanor.models.dmpnn",
    "LightGBMSurrogate": "athanor.models.boosting",
    "ModelFileError": "athanor.models.persistence",
    "RandomForestSurrogate": "athanor.models.forest",
    "Surrogate": "athanor.models.base",
    "TanimotoGPSurrogate": "athanor.models.gaussian_process",
    "available_surrogates": "athanor.models.registry",
    "check_surrogate": "athanor.models.conformance",
    "surrogate_class": "athanor.models.registry",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'athanor.models' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
