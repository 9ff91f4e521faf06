"""Choosing a batch: initial design, and surrogate-driven acquisition under constraints."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from athanor.acquisition import acquisition_scores, diverse_top_k
from athanor.chem.fingerprints import morgan_fingerprints
from athanor.core.prediction import Prediction
from athanor.workflows.screening_config import ScreeningConfig
from athanor.workflows.screening_objective import satisfies

PREDICT_CHUNK = 50_000  # candidates predicted at once: memory stays flat with pool size
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
    return shortlist[_maxmin(smiles[shortlist], size, config.seed)]


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
    import athanor.models  # noqa: F401  (registers the built-in surrogates)
    from athanor.models.registry import surrogate_class

    cls = surrogate_class(config.surrogate.model)
    params = dict(params)
    if "seed" in inspect.signature(cls).parameters and "seed" not in params:
        params["seed"] = round_seed(config, round_)
    return cls(**params)


def _chunks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    for start in range(0, len(frame), PREDICT_CHUNK):
        yield frame.iloc[start : start + PREDICT_CHUNK]


def predict_and_score(
    model, candidates: pd.DataFrame, config: ScreeningConfig, best: float, round_: int
) -> pd.DataFrame:
    """Predict every candidate in chunks and score it with the acquisition function.

    Returns:
        ``molecule_id``, ``mean``, ``std``, ``acquisition`` per candidate (utility units).
    """
    rng = np.random.default_rng([config.seed, round_])
    acquisition = config.acquisition
    parts = []
    for chunk in _chunks(candidates):
        prediction: Prediction = model.predict(chunk["smiles"].tolist())
        scores = acquisition_scores(
            acquisition.function,
            prediction,
            best=best,
            rng=rng,
            beta=acquisition.beta,
            xi=acquisition.xi,
        )
        parts.append(
            pd.DataFrame(
                {
                    "molecule_id": chunk["molecule_id"].to_numpy(),
                    "mean": prediction.mean[:, 0],
                    "std": prediction.std[:, 0],
                    "acquisition": scores,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


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
