"""Surrogate models: featurisers, fingerprint models, the D-MPNN and its uncertainty.

>>> from athanor.models import DMPNNRegressor, Surrogate
>>> model = DMPNNRegressor(uncertainty="ensemble", ensemble_size=5).fit(smiles, y)
>>> prediction = model.predict(new_smiles)          # Prediction(mean, std, samples)
>>> model.save("model/"); Surrogate.load("model/")  # config.json + weights, no pickle

Every model is registered by name (`surrogate_class("rf")`): ``rf`` (random forest),
``lightgbm`` (gradient boosting), ``gp`` (Tanimoto Gaussian process) and ``dmpnn``.
"""

from athanor.models.base import Surrogate
from athanor.models.boosting import LightGBMSurrogate
from athanor.models.dmpnn import DMPNNRegressor
from athanor.models.forest import RandomForestSurrogate
from athanor.models.gaussian_process import TanimotoGPSurrogate
from athanor.models.persistence import ModelFileError
from athanor.models.registry import available_surrogates, surrogate_class

__all__ = [
    "DMPNNRegressor",
    "LightGBMSurrogate",
    "ModelFileError",
    "RandomForestSurrogate",
    "Surrogate",
    "TanimotoGPSurrogate",
    "available_surrogates",
    "surrogate_class",
]
