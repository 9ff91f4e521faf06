"""The molecules and labels of a study, split once into train, validation and test parts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from athanor.core.errors import InputDataError
from athanor.datasets import dataset_info, load_dataset
from athanor.splits import make_split
from athanor.store.readers import read_chunks
from athanor.tuning.config import DataConfig, SplitConfig


@dataclass(frozen=True)
class Part:
    """Rows of one split part.

    Attributes:
        smiles: (n, n_components) SMILES.
        y: (n, n_tasks) float64 labels, NaN where missing.
        conditions: (n, n_conditions) float64, or None.
    """

    smiles: np.ndarray
    y: np.ndarray
    conditions: np.ndarray | None

    def as_validation(self) -> tuple:
        """The ``val`` argument of `Surrogate.fit`."""
        if self.conditions is None:
            return (self.smiles, self.y)
        return (self.smiles, self.y, self.conditions)


@dataclass(frozen=True)
class TuningData:
    """Train (fit), validation (scored by trials) and test (only for the final comparison)."""

    train: Part
    val: Part
    test: Part


def _columns(config: DataConfig) -> tuple[list[str], list[str]]:
    if config.dataset is None:
        return config.smiles, config.targets
    info = dataset_info(config.dataset)
    smiles = config.smiles or [info.smiles_column, *info.condition_columns]
    return smiles, config.targets or list(info.target_columns)


def read_frame(config: DataConfig) -> pd.DataFrame:
    """The data set or file as one DataFrame, with the configured columns checked."""
    if config.dataset is not None:
        frame = load_dataset(config.dataset)
    else:
        frame = pd.concat([chunk.frame for chunk in read_chunks(config.file)], ignore_index=True)
    smiles, targets = _columns(config)
    missing = [c for c in [*smiles, *targets, *config.conditions] if c not in frame.columns]
    if missing:
        raise InputDataError(
            f"column(s) {missing} not in the data; columns: {', '.join(map(str, frame.columns))}"
        )
    return frame.dropna(subset=smiles).reset_index(drop=True)


def _part(frame: pd.DataFrame, config: DataConfig, rows: np.ndarray) -> Part:
    smiles, targets = _columns(config)
    subset = frame.iloc[rows]
    conditions = subset[config.conditions].to_numpy(np.float64) if config.conditions else None
    return Part(
        smiles=subset[smiles].to_numpy(dtype=object),
        y=subset[targets].to_numpy(np.float64),
        conditions=conditions,
    )


def load_tuning_data(data: DataConfig, split: SplitConfig) -> TuningData:
    """Read the data and split it on its first molecule column with the configured strategy,
    sizes and seed."""
    frame = read_frame(data)
    first = frame[_columns(data)[0][0]].astype(str).tolist()
    indices = make_split(split.strategy, first, split.sizes, split.seed)
    return TuningData(
        train=_part(frame, data, indices.train),
        val=_part(frame, data, indices.val),
        test=_part(frame, data, indices.test),
    )
