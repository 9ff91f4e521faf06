"""Choosing a batch: initial design, and surrogate-driven acquisition under constraints."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from athanor.acquisition import acquisition_scores, diverse_top_k
from athanor.acquisition.multiobjective import multiobjective_scores
from athanor.chem.fingerprints import morgan_fingerprints
from athanor.core.prediction import Prediction
from athanor.workflows.screening_config import ScreeningConfig
from athanor.workflows.screening_objective import satisfies

PREDICT_CHUNK = 10_000  # candidates featurised and predicted at once: memory stays flat
SHORTLIST_FACTOR = 10


def feasible_first(
    order: np.ndarray, smiles: np.ndarray, config: ScreeningConfig, k: int
) -> np.ndarray:
    """The first `k` indices of `order` that satisfy the constraints (checked lazily)."""
    if not config.constraints:
        return order[:k]
    chosen: list[np.ndarray] = []
    found = 0
    step = max(SHORTLIST_FACTOR * k, 100)
    for start in range(0, len(order), step):
        block = order[start : start + step]
        ok = block[satisfies(smiles[block].tolist(), config.constraints)]
        chosen.append(ok)
        found += len(ok)
        if found >= k:
            break
    return np.concatenate(chosen)[:k] if chosen else order[:0]


def initial_design(candidates: pd.DataFrame, config: ScreeningConfig, size: int) -> np.ndarray:
    """Row indices of the initial batch: uniformly random, or MaxMin-diverse."""
    rng = np.random.default_rng([config.seed, 0])
    smiles = candidates["smiles"].to_numpy()
    order = rng.permutation(len(candidates))
    if config.loop.initial_design == "random":
        return feasible_first(order, smiles, config, size)
    shortlist = feasible_first(order, smiles, config, min(len(order), 50 * size))
    if len(shortlist) == 0:
        return shortlist
    return shortlist[_maxmin(smiles[shortlist], min(size, len(shortlist)), config.seed)]


def _maxmin(smiles: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Indices of `size` mutually dissimilar molecules (RDKit MaxMin on Morgan bits)."""
    from rdkit.SimDivFilters import rdSimDivPickers

    from athanor.chem.fingerprints import morgan_generator
    from athanor.chem.parse import parse_molecule

    generator = morgan_generator(2, 2048)
    fingerprints = [generator.GetFingerprint(parse_molecule(s)) for s in smiles]
    picker = rdSimDivPickers.MaxMinPicker()
    picks = picker.LazyBitVectorPick(fingerprints, len(fingerprints), size, seed=seed)
    return np.asarray(list(picks), dtype=int)


def round_seed(config: ScreeningConfig, round_: int) -> int:
    """The seed of a round's surrogate (and of its re-tuning)."""
    return config.seed * 1000 + round_


def make_surrogate(config: ScreeningConfig, round_: int, params: dict[str, Any]):
    """A fresh surrogate of the configured model with ``params``, seeded per round unless
    ``params`` sets a seed."""
    from athanor.models.registry import make_surrogate as make_model
    from athanor.models.registry import surrogate_class

    params = dict(params)
    cls = surrogate_class(config.surrogate.model)
    if "seed" in inspect.signature(cls).parameters and "seed" not in params:
        params["seed"] = round_seed(config, round_)
    return make_model(config.surrogate.model, params)


def _chunks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), PREDICT_CHUNK):
        yield frame.iloc[start : start + PREDICT_CHUNK]


def _prediction_columns(chunk: pd.DataFrame, prediction: Prediction) -> dict[str, np.ndarray]:
    """``molecule_id``, ``mean``/``std`` of the primary objective, ``mean_<t>``/``std_<t>``
    of the others."""
    columns = {"molecule_id": chunk["molecule_id"].to_numpy()}
    for t in range(prediction.n_tasks):
        suffix = "" if t == 0 else f"_{t}"
        columns[f"mean{suffix}"] = prediction.mean[:, t]
        columns[f"std{suffix}"] = prediction.std[:, t]
    return columns


def predict_and_score(
    model,
    candidates: pd.DataFrame,
    config: ScreeningConfig,
    observed: np.ndarray,
    round_: int,
    size: int,
) -> pd.DataFrame:
    """Predict every candidate in chunks and score it with the acquisition function.

    Args:
        model: the fitted surrogate, one task per objective.
        candidates: ``molecule_id`` and ``smiles`` of the unlabelled pool.
        config: the campaign.
        observed: shape (m, n_objectives), utilities measured so far.
        round_: seeds Thompson sampling.
        size: the batch to be picked (for the sequential Pareto rule).

    Returns:
        ``molecule_id``, ``mean``, ``std`` (``mean_<t>``, ``std_<t>`` for further
        objectives) and ``acquisition`` per candidate, in utility units.
    """
    if observed.shape[1] > 1:
        return _pareto_scored(model, candidates, config, observed, size)
    rng = np.random.default_rng([config.seed, round_])
    acquisition = config.acquisition
    parts = []
    for chunk in _chunks(candidates):
        prediction: Prediction = model.predict(chunk["smiles"].tolist())
        scores = acquisition_scores(
            acquisition.function,
            prediction,
            best=float(observed.max()),
            rng=rng,
            beta=acquisition.beta,
            xi=acquisition.xi,
        )
        parts.append(pd.DataFrame(_prediction_columns(chunk, prediction) | {"acquisition": scores}))
    return pd.concat(parts, ignore_index=True)


def _pareto_scored(
    model, candidates: pd.DataFrame, config: ScreeningConfig, observed: np.ndarray, size: int
) -> pd.DataFrame:
    """Several objectives: predictions in chunks, then one Pareto scoring of the whole pool
    (means and σ only, 2 x n x k floats, so memory stays small)."""
    parts = [
        pd.DataFrame(_prediction_columns(chunk, model.predict(chunk["smiles"].tolist())))
        for chunk in _chunks(candidates)
    ]
    frame = pd.concat(parts, ignore_index=True)
    k = observed.shape[1]
    means = frame[["mean", *(f"mean_{t}" for t in range(1, k))]].to_numpy()
    stds = frame[["std", *(f"std_{t}" for t in range(1, k))]].to_numpy()
    acquisition = config.acquisition
    scores = multiobjective_scores(
        Prediction(means, stds), observed, acquisition.pareto, acquisition.beta, size
    )
    return frame.assign(acquisition=scores)


def acquire(
    scored: pd.DataFrame, candidates: pd.DataFrame, config: ScreeningConfig, size: int
) -> np.ndarray:
    """Row indices (into `candidates`) of the batch picked from acquisition scores."""
    scores = scored["acquisition"].to_numpy()
    order = np.argsort(-scores, kind="stable")
    smiles = candidates["smiles"].to_numpy()
    if config.acquisition.batch == "top_k":
        return feasible_first(order, smiles, config, size)
    shortlist = feasible_first(order, smiles, config, size * SHORTLIST_FACTOR * 2)
    fingerprints = morgan_fingerprints(smiles[shortlist].tolist())
    picks = diverse_top_k(scores[shortlist], size, fingerprints, config.acquisition.max_similarity)
    return shortlist[picks]
