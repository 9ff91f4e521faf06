"""How far the validation and test molecules of a split are from its training molecules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from athanor.chem.fingerprints import morgan_fingerprints
from athanor.core.errors import InputDataError
from athanor.evaluation.neighbours import nearest_tanimoto
from athanor.splits.indices import PARTS, SplitIndices

QUANTILES = {"min": 0.0, "q10": 0.1, "q25": 0.25, "median": 0.5, "q75": 0.75, "q90": 0.9}


@dataclass(frozen=True)
class SplitReport:
    """A split's sizes and its nearest-neighbour similarities to training.

    Attributes:
        summary: one row per part (train, val, test): ``n_rows``, ``fraction``,
            ``n_molecules`` (distinct SMILES), ``n_in_train`` (distinct SMILES also in
            training) and the distribution of the nearest-neighbour Tanimoto similarity to
            training (``mean``, ``min``, ``q10`` … ``q90``, ``max``); NaN for train.
        similarity: one row per validation or test row: ``row``, ``split`` and
            ``nn_tanimoto`` (highest Tanimoto similarity to any training molecule).
    """

    summary: pd.DataFrame
    similarity: pd.DataFrame


def _distribution(values: np.ndarray) -> dict[str, float]:
    if values.size == 0:
        return dict.fromkeys(["mean", *QUANTILES, "max"], np.nan)
    quantiles = np.quantile(values, list(QUANTILES.values()))
    return {
        "mean": values.mean(),
        **dict(zip(QUANTILES, quantiles, strict=True)),
        "max": values.max(),
    }


def split_report(
    smiles: Sequence[str], split: SplitIndices, radius: int = 2, n_bits: int = 2048
) -> SplitReport:
    """Sizes, exact overlaps and nearest-neighbour Tanimoto similarity of val/test to train.

    A random split of a congeneric series typically has a test median near 0.7 or above; a
    scaffold or cluster split, lower. Fingerprints are computed once per distinct SMILES.

    Args:
        smiles: length n, the molecule of each row.
        split: a split of the same n rows, with a non-empty training part.
        radius: Morgan radius.
        n_bits: fingerprint length.

    Raises:
        InputDataError: if the split does not have n rows or its training part is empty.
    """
    smiles_array = np.asarray(smiles, dtype=object)
    if split.n_rows != smiles_array.size:
        raise InputDataError(f"split has {split.n_rows} rows but got {smiles_array.size} SMILES")
    unique, inverse = np.unique(smiles_array, return_inverse=True)
    fingerprints = morgan_fingerprints(list(unique), radius, n_bits)
    train_molecules = np.unique(inverse[split.train])
    summary, similarity = [], []
    for part in PARTS:
        rows = getattr(split, part)
        molecules = np.unique(inverse[rows])
        row_summary = {
            "split": part,
            "n_rows": rows.size,
            "fraction": rows.size / smiles_array.size,
            "n_molecules": molecules.size,
            "n_in_train": np.isin(molecules, train_molecules).sum(),
        }
        nn = np.empty(0)
        if part != "train":
            nn_molecule = nearest_tanimoto(fingerprints[molecules], fingerprints[train_molecules])
            nn = nn_molecule[np.searchsorted(molecules, inverse[rows])]
            similarity.append(pd.DataFrame({"row": rows, "split": part, "nn_tanimoto": nn}))
        summary.append(row_summary | _distribution(nn))
    return SplitReport(
        pd.DataFrame(summary).set_index("split"), pd.concat(similarity, ignore_index=True)
    )
