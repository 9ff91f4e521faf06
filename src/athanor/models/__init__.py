"""Surrogate models: featurisers, fingerprint models, the D-MPNN and its uncertainty.

>>> from athanor.models import DMPNNRegressor, Surrogate
>>> model = DMPNNRegressor(uncertainty="ensemble", ensemble_size=5).fit(smiles, y)
>>> prediction = model.predict(new_smiles)          # Prediction(mean, std, samples)
>>> model.save("model/"); Surrogate.load("model/")  # config.json + weights, no pickle

Every model is registered by name (`surrogate_class("rf")`): ``rf`` (random forest),
``lightgbm`` (gradient boosting), ``gp`` (Tanimoto Gaussian process) and ``dmpnn``.
Names are imported on first use, so ``import athanor.models`` does not load torch.
"""

from athanor.core.lazy import lazy_getattr

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


__getattr__ = lazy_getattr(__name__, _EXPORTS)
