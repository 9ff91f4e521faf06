"""Plumbing shared by the ask/tell generators: constructor parameters and told-score checks."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import numpy as np

from athanor.core.errors import InputDataError


def constructor_params(obj: object) -> dict:
    """`{name: value}` for each `__init__` argument, read from the attribute of that name."""
    names = inspect.signature(type(obj).__init__).parameters
    return {name: getattr(obj, name) for name in names if name != "self"}


def told_scores(name: str, n_asked: int | None, smiles: Sequence[str], scores) -> np.ndarray:
    """Scores told for the last `ask` as floats of shape (n,), NaN (failed scoring) as 0.

    Args:
        name: the generator (for messages).
        n_asked: molecules of the pending `ask`, or None if there is none.

    Raises:
        InputDataError: no pending `ask`, or not one score per asked molecule.
    """
    if n_asked is None:
        raise InputDataError(f"{name}: tell() must follow ask()")
    if len(smiles) != n_asked or len(scores) != n_asked:
        raise InputDataError(f"{name}: expected {n_asked} scores, got {len(scores)}")
    return np.nan_to_num(np.asarray(scores, dtype=float))
