"""The surrogate contract as executable checks (like scikit-learn's ``check_estimator``).

Any implementation, ours or a plug-in, passes when `check_surrogate` returns without error:

>>> check_surrogate(lambda: MySurrogate(n_estimators=10, seed=0), tmp_path)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from rdkit import Chem
from rdkit.Chem import Crippen, rdMolDescriptors

from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction
from athanor.models.base import Surrogate

MOLECULES = (
    "CCO", "CCCCO", "CC(C)O", "c1ccccc1", "Cc1ccccc1", "Oc1ccccc1", "Nc1ccccc1", "CC(=O)O",
    "CCN(CC)CC", "CCOC(C)=O", "ClC(Cl)Cl", "c1ccncc1", "C1CCCCC1", "CC(C)(C)O", "OCCO",
    "c1ccc2ccccc2c1", "CC(=O)Nc1ccc(O)cc1", "O=C(O)c1ccccc1", "CCCCCCCC", "CS(C)=O",
    "NC(=O)N", "c1ccsc1", "FC(F)(F)c1ccccc1", "CC#N",
)  # fmt: skip


def reference_data() -> tuple[list[str], np.ndarray]:
    """24 molecules and two real targets, Crippen logP and TPSA / 100 (shape (24, 2)), with
    the second task missing for every other molecule."""
    mols = [Chem.MolFromSmiles(s) for s in MOLECULES]
    y = np.array([[Crippen.MolLogP(m), rdMolDescriptors.CalcTPSA(m) / 100] for m in mols])
    y[::2, 1] = np.nan
    return list(MOLECULES), y


def _check_prediction(prediction: Prediction, n: int, n_tasks: int) -> None:
    assert isinstance(prediction, Prediction), "predict must return a Prediction"
    assert prediction.mean.shape == (n, n_tasks), f"mean shape {prediction.mean.shape}"
    assert np.isfinite(prediction.mean).all(), "NaN-masked tasks must still predict"
    assert (prediction.std >= 0).all() and np.isfinite(prediction.std).all()


def _assert_same(first: Prediction, second: Prediction) -> None:
    np.testing.assert_array_equal(first.mean, second.mean)
    np.testing.assert_array_equal(first.std, second.std)
    if first.samples is not None:
        np.testing.assert_array_equal(first.samples, second.samples)


def check_surrogate(make: Callable[[], Surrogate], directory: str | Path) -> None:
    """Run the contract checks; raises AssertionError naming the first broken rule.

    Args:
        make: builds a fresh, unfitted model with fixed hyper-parameters and seed.
        directory: an empty folder the checks may write a saved model into.
    """
    smiles, y = reference_data()
    model = make()
    params = model.get_params()
    assert type(model)(**params).get_params() == params, "get_params must rebuild the model"
    assert not [k for k in vars(model) if k.endswith("_")], "__init__ must not learn state"
    try:
        model.predict(smiles)
        raise AssertionError("predict before fit must raise InputDataError")
    except InputDataError:
        pass
    assert model.fit(smiles, y) is model, "fit must return self"
    prediction = model.predict(smiles)
    _check_prediction(prediction, len(smiles), 2)
    _assert_same(prediction, make().fit(smiles, y).predict(smiles))  # same seed, same numbers
    loaded = Surrogate.load(model.save(directory))
    assert type(loaded) is type(model) and loaded.get_params() == params
    _assert_same(prediction, loaded.predict(smiles))
