"""Labelled molecules for training, tuning and evaluation, split once into train, validation
and test parts.

The data come from a shipped data set or a CSV/Parquet file; the split is made by a strategy
(`athanor.splits.make_split`) on the first molecule column, or taken from a data set's fixed,
published split files (``fixed = "scaffold"`` for the absorption set).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator

from athanor.chem.parse import smiles_problem
from athanor.core.config import StrictModel
from athanor.core.errors import InputDataError
from athanor.datasets.loaders import load_dataset, load_splits
from athanor.datasets.registry import SPLIT_PARTS, dataset_info
from athanor.store.readers import MOLBLOCK_COLUMN, RecordChunk, read_chunks, smiles_from_molblocks

logger = logging.getLogger(__name__)


class DataConfig(StrictModel):
    """Where the molecules and labels come from.

    Attributes:
        dataset: a shipped data set (`athanor.datasets`), or
        file: a CSV/TSV/SDF/Parquet file (relative paths: from the config's folder).
        smiles: molecule column(s); several make multi-component rows (dye, solvent).
            Default for a shipped data set: its SMILES column then its condition columns;
            for an SDF file: ``smiles``, from its mol blocks.
        targets: label column(s); default for a shipped data set: its targets.
        conditions: numeric non-molecular input columns (temperature, ...).
    """

    dataset: str | None = None
    file: Path | None = None
    smiles: list[str] = []
    targets: list[str] = []
    conditions: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _sdf_molecules(cls, data: object) -> object:
        """An SDF file's molecules (its mol blocks) are the ``smiles`` column by default."""
        if not isinstance(data, dict) or data.get("smiles") or data.get("file") is None:
            return data
        name = Path(str(data["file"])).name.lower().removesuffix(".gz")
        return {**data, "smiles": ["smiles"]} if name.endswith((".sdf", ".sd")) else data

    @model_validator(mode="after")
    def _one_source(self) -> DataConfig:
        if (self.dataset is None) == (self.file is None):
            raise ValueError("give exactly one of 'dataset' and 'file'")
        if self.file is not None and not (self.smiles and self.targets):
            raise ValueError("a data file needs 'smiles' and 'targets' columns")
        self._one_role_per_column()
        return self

    def _one_role_per_column(self) -> None:
        roles: dict[str, str] = {}
        for role in ("smiles", "targets", "conditions"):
            for column in getattr(self, role):
                if column in roles:
                    where = f"twice in {role!r}" if roles[column] == role else (
                        f"in both {roles[column]!r} and {role!r}")  # fmt: skip
                    raise ValueError(f"column {column!r} is given {where}")
                roles[column] = role

    def relative_to(self, folder: Path) -> DataConfig:
        """The same config with a relative data file taken from ``folder`` (a config's)."""
        if self.file is None or self.file.is_absolute():
            return self
        return self.model_copy(update={"file": (folder / self.file).resolve()})

    def columns(self) -> tuple[list[str], list[str]]:
        """(molecule columns, target columns), with a shipped data set's defaults filled in."""
        if self.dataset is None:
            return self.smiles, self.targets
        info = dataset_info(self.dataset)
        smiles = self.smiles or [info.smiles_column, *info.condition_columns]
        return smiles, self.targets or list(info.target_columns)


class SplitConfig(StrictModel):
    """The train/validation/test split; the test part is never seen while fitting or tuning.

    Attributes:
        strategy: ``random``, ``scaffold``, ``group`` (by the first molecule column: a dye is
            never in two parts, whatever the solvent) or ``cluster``.
        sizes: (train, val, test) fractions.
        seed: seed of the split.
        fixed: name of a shipped data set's published split (e.g. ``"group_by_smiles"`` for
            ``absorption``); replaces strategy, sizes and seed.
        calibration: share of the `calibration_source` part held out, by the same strategy,
            to calibrate uncertainty (σ scaling, conformal intervals) on rows that neither
            trained the model nor chose its epoch; 0 calibrates on the whole validation part.
        calibration_source: ``"validation"`` (the epoch is chosen on fewer rows) or
            ``"train"`` (the model is fitted on fewer rows; the held-out rows share no
            scaffold or group with the rest of the training part).
    """

    strategy: str = "scaffold"
    sizes: tuple[float, float, float] = (0.8, 0.1, 0.1)
    seed: int = Field(default=0, ge=0)
    fixed: str | None = None
    calibration: float = Field(default=0.5, ge=0, lt=1)
    calibration_source: Literal["validation", "train"] = "validation"


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

    def __add__(self, other: Part) -> Part:
        """The rows of both parts, these first."""
        conditions = None
        if self.conditions is not None and other.conditions is not None:
            conditions = np.concatenate([self.conditions, other.conditions])
        return Part(
            smiles=np.concatenate([self.smiles, other.smiles]),
            y=np.concatenate([self.y, other.y]),
            conditions=conditions,
        )

    def row_bytes(self) -> Iterator[bytes]:
        """The rows as bytes, for hashing: SMILES, labels, conditions (in row order)."""
        yield repr(self.smiles.shape).encode()
        yield "\x1f".join(map(str, self.smiles.ravel())).encode()
        yield np.ascontiguousarray(self.y, dtype=np.float64).tobytes()
        if self.conditions is not None:
            yield np.ascontiguousarray(self.conditions, dtype=np.float64).tobytes()

    def as_validation(self) -> tuple:
        """The ``val`` argument of `Surrogate.fit`."""
        if self.conditions is None:
            return (self.smiles, self.y)
        return (self.smiles, self.y, self.conditions)


@dataclass(frozen=True)
class SplitData:
    """Train (fit), validation (model selection), calibration (uncertainty; None: the
    validation part calibrates too) and test (final scores)."""

    train: Part
    val: Part
    test: Part
    calibration: Part | None = None

    def calibration_part(self, needed: int = 0) -> Part:
        """The rows that calibrate uncertainty: the calibration rows, or the whole validation
        part (validation + calibration rows) when they are fewer than `needed`."""
        if self.calibration is None:
            return self.val
        if len(self.calibration.y) >= needed:
            return self.calibration
        logger.warning(
            "%d calibration rows are too few (%d needed): calibrating on them and the "
            "validation part, which also chose the model's epoch",
            len(self.calibration.y),
            needed,
        )
        return self.val + self.calibration

    def held_out(self) -> Part:
        """Every row held out of training: the validation rows and the calibration ones."""
        return self.val if self.calibration is None else self.val + self.calibration

    def digest(self) -> str:
        """Hash of every row of every part: the same for the same split of the same data,
        whatever file or config produced it; 16 hex digits."""
        digest = hashlib.sha256()
        for part in (self.train, self.val, self.test, self.calibration):
            digest.update(b"\x1e")  # part separator: a missing part still counts
            for chunk in () if part is None else part.row_bytes():
                digest.update(chunk)
        return digest.hexdigest()[:16]

    def sizes(self) -> dict[str, int]:
        """Rows per part (calibration 0 when the validation part calibrates)."""
        parts = {"train": self.train, "val": self.val, "test": self.test}
        sizes = {name: len(part.y) for name, part in parts.items()}
        return sizes | {"calibration": 0 if self.calibration is None else len(self.calibration.y)}


def _usable_rows(frame: pd.DataFrame, config: DataConfig, lines: np.ndarray) -> pd.DataFrame:
    """The rows whose molecules RDKit can read; the others are logged by line and dropped.
    Missing targets stay (NaN, masked per task)."""
    smiles = config.columns()[0]
    problem_of: dict = {}  # solvents and repeated dyes are parsed once
    problems = [
        next(
            (f"{c!r}: {p}" for c in smiles if (p := _memo(problem_of, row[c])) is not None),
            None,
        )
        for row in frame[smiles].to_dict("records")
    ]
    bad = [row for row, problem in enumerate(problems) if problem is not None]
    if bad:
        listed = "; ".join(f"line {lines[row]}: {problems[row]}" for row in bad[:5])
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        logger.warning("%d rows skipped: %s%s", len(bad), listed, more)
    return frame.drop(index=frame.index[bad]).reset_index(drop=True)


def _memo(problem_of: dict, text: object) -> str | None:
    key = text if isinstance(text, str) else None
    if key not in problem_of:
        problem_of[key] = smiles_problem(text)
    return problem_of[key]


def _check_columns(
    frame: pd.DataFrame, config: DataConfig, lines: np.ndarray | None = None
) -> pd.DataFrame:
    """The configured columns checked and unusable molecules dropped; `lines` gives the file
    line of each row for messages (default: a CSV's, row + 2)."""
    smiles, targets = config.columns()
    missing = [c for c in [*smiles, *targets, *config.conditions] if c not in frame.columns]
    if missing:
        raise InputDataError(
            f"column(s) {missing} not in the data; columns: {', '.join(map(str, frame.columns))}"
        )
    lines = np.arange(2, len(frame) + 2) if lines is None else lines
    frame = _as_numbers(frame.reset_index(drop=True), targets, lines, "taken as missing labels")
    _log_blank(frame, config.conditions, lines)
    frame = _as_numbers(frame, config.conditions, lines, "their rows skipped")
    usable = frame[config.conditions].notna().all(axis=1).to_numpy()
    return _usable_rows(frame[usable].reset_index(drop=True), config, lines[usable])


def _log_blank(frame: pd.DataFrame, columns: list[str], lines: np.ndarray) -> None:
    """Log the rows dropped because one of `columns` is empty (text is logged as it is read)."""
    cells = frame[columns]
    blank = (cells.isna() | (cells.astype(str).apply(lambda c: c.str.strip()) == "")).any(axis=1)
    empty = lines[blank.to_numpy()]
    if empty.size:
        listed = ", ".join(map(str, empty[:5])) + (" ..." if empty.size > 5 else "")
        logger.warning("%d rows skipped: no value in condition column(s) %s (line %s)",
                       empty.size, columns, listed)  # fmt: skip


def _as_numbers(frame: pd.DataFrame, columns: list[str], lines: np.ndarray, fate: str):
    """``columns`` of ``frame`` as float64; a text that is not a finite number (``<0.1``)
    becomes NaN, logged with its line and what happens to it (`fate`)."""
    frame = frame.copy()
    for column in columns:
        numbers = pd.to_numeric(frame[column], errors="coerce").astype(np.float64)
        numbers[~np.isfinite(numbers)] = np.nan
        text = frame[column].astype(str).str.strip()
        bad = np.flatnonzero(numbers.isna() & frame[column].notna() & (text != ""))
        if bad.size:
            listed = ", ".join(f"line {lines[row]}: {frame[column].iloc[row]!r}" for row in bad[:5])
            logger.warning("column %r: %d value(s) are not numbers (%s%s): %s", column,
                           bad.size, listed, " ..." if bad.size > 5 else "", fate)  # fmt: skip
        frame[column] = numbers
    return frame


def _with_smiles(chunk: RecordChunk, config: DataConfig) -> RecordChunk:
    """An SDF chunk's mol blocks as the SMILES of the first molecule column, when its data
    items do not hold that column; unreadable records are logged and left out."""
    column = config.columns()[0][0]
    if MOLBLOCK_COLUMN not in chunk.frame.columns or column in chunk.frame.columns:
        return chunk
    converted, failures = smiles_from_molblocks(chunk, column)
    if failures:
        listed = "; ".join(f"record {line}: {reason}" for line, reason in failures[:5])
        logger.warning("%d records skipped: %s", len(failures), listed)
    return converted


def read_frame(config: DataConfig) -> pd.DataFrame:
    """The data set or file as one DataFrame, with the configured columns checked (an SDF
    file's mol blocks give the first molecule column, see `_with_smiles`)."""

    if config.dataset is not None:
        return _check_columns(load_dataset(config.dataset), config)
    chunks = [_with_smiles(chunk, config) for chunk in read_chunks(config.file)]
    frame = pd.concat([chunk.frame for chunk in chunks], ignore_index=True)
    lines = np.concatenate([chunk.lines for chunk in chunks])
    checked = _check_columns(frame, config, lines)
    if not len(frame):
        raise InputDataError(f"{config.file} has no data rows")
    if checked[config.columns()[1]].isna().all(axis=None):
        raise InputDataError(
            f"{config.file}: none of its {len(frame)} rows has a usable molecule and label"
        )
    return checked


def _part(frame: pd.DataFrame, config: DataConfig) -> Part:
    smiles, targets = config.columns()
    conditions = frame[config.conditions].to_numpy(np.float64) if config.conditions else None
    return Part(
        smiles=frame[smiles].to_numpy(dtype=object),
        y=frame[targets].to_numpy(np.float64),
        conditions=conditions,
    )


def _fixed_frames(data: DataConfig, name: str) -> dict[str, pd.DataFrame]:
    if data.dataset is None:
        raise InputDataError("a fixed split needs a shipped 'dataset', not a file")
    frames = load_splits(data.dataset, name)
    return {part: _check_columns(frames[part], data) for part in SPLIT_PARTS}


def _strategy_frames(data: DataConfig, split: SplitConfig) -> dict[str, pd.DataFrame]:
    from athanor.splits import make_split

    frame = read_frame(data)
    first = frame[data.columns()[0][0]].astype(str).tolist()
    indices = make_split(split.strategy, first, split.sizes, split.seed)
    return {part: frame.iloc[getattr(indices, part)] for part in SPLIT_PARTS}


def _fixed_split_strategy(name: str) -> str:
    """The strategy a published split was made by: its name for ``random`` and ``scaffold``,
    by molecule (``group``: a dye stays on one side) for ``group_by_smiles`` and any other."""
    return name if name in ("random", "scaffold") else "group"


def _hold_out_calibration(
    source: pd.DataFrame, data: DataConfig, split: SplitConfig
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(kept, calibration) rows: `split.calibration` of the source part split off by the
    split's strategy (for a fixed split, the one it was made by: `_fixed_split_strategy`), so
    that the calibration rows stand to the rest as the test part stands to training."""
    from athanor.splits import make_split

    if split.calibration == 0:
        return source, None
    strategy = split.strategy if split.fixed is None else _fixed_split_strategy(split.fixed)
    first = source[data.columns()[0][0]].astype(str).tolist()
    sizes = (1 - split.calibration, split.calibration, 0.0)
    indices = make_split(strategy, first, sizes, split.seed)
    return source.iloc[indices.train], source.iloc[indices.val]


def load_split_data(data: DataConfig, split: SplitConfig) -> SplitData:
    """Read the data and split it: a data set's fixed split, or the configured strategy, sizes
    and seed applied to the first molecule column; then hold out the calibration rows.

    Raises:
        InputDataError: a missing column, an unknown strategy or fixed split.
    """
    if split.fixed is not None:
        frames = _fixed_frames(data, split.fixed)
    else:
        frames = _strategy_frames(data, split)
    source = "val" if split.calibration_source == "validation" else "train"
    frames[source], calibration = _hold_out_calibration(frames[source], data, split)
    return SplitData(
        train=_part(frames["train"], data),
        val=_part(frames["val"], data),
        test=_part(frames["test"], data),
        calibration=None if calibration is None else _part(calibration, data),
    )
