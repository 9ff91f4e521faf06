"""Read the shipped data sets into pandas DataFrames.

pandas is imported inside the functions so that ``import athanor.datasets`` stays cheap.
Text columns come back with pandas' default string dtype (``str``); missing targets are NaN.
"""

from __future__ import annotations

import gzip
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from athanor.core.errors import InputDataError
from athanor.datasets.registry import SPLIT_PARTS, DatasetInfo, dataset_info

if TYPE_CHECKING:
    import pandas as pd


def _data_file(filename: str) -> Path:
    # The package is installed as plain files (never zipped), so the resource is a real path.
    return Path(str(resources.files("athanor.datasets").joinpath("data", filename)))


def dataset_path(name: str) -> Path:
    """Path of the file holding the whole data set ``name``.

    Raises:
        InputDataError: unknown name.
    """
    return _data_file(dataset_info(name).filename)


def _read(info: DatasetInfo, path: Path) -> pd.DataFrame:
    import pandas as pd

    if path.name.endswith(".smi.gz"):
        # One SMILES a line; read as text so no SMILES is ever parsed as a missing value.
        with gzip.open(path, "rt") as handle:
            smiles = handle.read().splitlines()
        return pd.DataFrame({info.smiles_column: smiles})
    return pd.read_csv(path)


def load_dataset(name: str) -> pd.DataFrame:
    """Load a whole data set.

    Args:
        name: a registry name (see `list_datasets`).

    Returns:
        One row per record, shape ``(info.n_rows, n_columns)``, with the SMILES, target and
        condition columns named in `dataset_info(name)` plus any upstream columns.

    Raises:
        InputDataError: unknown name.
    """
    info = dataset_info(name)
    return _read(info, _data_file(info.filename))


def _check_split(info: DatasetInfo, split: str) -> None:
    if not info.splits:
        raise InputDataError(f"dataset {info.name!r} has no fixed splits")
    if split not in info.splits:
        raise InputDataError(
            f"unknown split {split!r} for {info.name!r}; choose one of: {', '.join(info.splits)}"
        )


def load_split(
    name: str = "absorption", split: str = "scaffold", part: str = "train"
) -> pd.DataFrame:
    """Load one part of a published, fixed train/val/test split.

    Args:
        name: a data set that ships splits (``absorption``).
        split: ``"random"``, ``"scaffold"`` or ``"group_by_smiles"`` (a dye never appears in
            two parts).
        part: ``"train"``, ``"val"`` or ``"test"``.

    Returns:
        The rows of that part, with the SMILES, condition and target columns.

    Raises:
        InputDataError: unknown name, split or part, or a data set without splits.
    """
    info = dataset_info(name)
    _check_split(info, split)
    if part not in SPLIT_PARTS:
        raise InputDataError(f"unknown part {part!r}; choose one of: {', '.join(SPLIT_PARTS)}")
    return _read(info, _data_file(info.split_filename(split, part)))


def load_splits(name: str = "absorption", split: str = "scaffold") -> dict[str, pd.DataFrame]:
    """Load the three parts of a fixed split as ``{"train": ..., "val": ..., "test": ...}``.

    Raises:
        InputDataError: unknown name or split, or a data set without splits.
    """
    return {part: load_split(name, split, part) for part in SPLIT_PARTS}
