"""Plumbing shared by the ask/tell generators: constructor parameters, the proposals of the
last `ask` matched to the molecules told, and told-score cleaning."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import numpy as np

from athanor.chem.parse import canonical_smiles
from athanor.core.errors import InputDataError


def constructor_params(obj: object) -> dict:
    """`{name: value}` for each `__init__` argument, read from the attribute of that name."""
    names = inspect.signature(type(obj).__init__).parameters
    return {name: getattr(obj, name) for name in names if name != "self"}


class ProposalBatch:
    """The proposals of one `ask`, matched to the molecules told later, in any number of tells.

    A told string matches the first proposal not yet told that was proposed as exactly that
    string or else has the same canonical SMILES; strings matching none (never proposed, or
    already told) are ignored, and proposals never told stay untold.

    Args:
        smiles: the proposals, in order (n,).

    Attributes:
        smiles: the proposals, as proposed.
        told: shape (n,), which proposals have been told.
    """

    def __init__(self, smiles: Sequence[str]):
        self.smiles = list(smiles)
        self.told = np.zeros(len(self.smiles), dtype=bool)
        self._raw = _rows_by_key(self.smiles)
        self._canonical = _rows_by_key([canonical_smiles(text) for text in self.smiles])

    def match(self, smiles: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Match told strings to untold proposals and mark those proposals told.

        Returns:
            `rows` (k,) into the proposals and `which` (k,) into `smiles`, for the k told
            strings that matched.
        """
        rows, which = [], []
        for index, text in enumerate(smiles):
            row = self._first_untold(self._raw.get(text, []))
            if row is None:
                row = self._first_untold(self._canonical.get(canonical_smiles(text), []))
            if row is not None:
                self.told[row] = True
                rows.append(row)
                which.append(index)
        return np.array(rows, dtype=int), np.array(which, dtype=int)

    def _first_untold(self, rows: list[int]) -> int | None:
        return next((row for row in rows if not self.told[row]), None)


def _rows_by_key(keys: Sequence[str | None]) -> dict[str, list[int]]:
    """`{key: rows holding it}`, in order; None keys (invalid molecules) are left out."""
    rows: dict[str, list[int]] = {}
    for row, key in enumerate(keys):
        if key is not None:
            rows.setdefault(key, []).append(row)
    return rows


def told_scores(name: str, n: int, scores) -> np.ndarray:
    """Told scores as finite floats of shape (n,).

    Non-finite scores (NaN: failed scoring; ±inf: a broken objective) become 0, the score of
    an invalid molecule, so that one bad value cannot poison what a generator learns.

    Args:
        name: the generator (for messages).
        n: molecules told.

    Raises:
        InputDataError: not one score per molecule told.
    """
    scores = np.asarray(scores, dtype=float).reshape(-1)
    if len(scores) != n:
        raise InputDataError(f"{name}: {n} molecules told with {len(scores)} scores")
    return np.where(np.isfinite(scores), scores, 0.0)
