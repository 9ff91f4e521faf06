"""Models × splits × seeds: fit each model on each split's train part and score its test part.

The table a chemist needs before trusting a surrogate: a model that looks good only on a
random split is not good. The same rows feed `summarize_evaluation` (mean ± sd over seeds).

>>> table = evaluate_models(load_evaluate_config("evaluate.toml"))
>>> summarize_evaluation(table)
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from pydantic import Field, field_validator
from tqdm.auto import tqdm

from athanor.core.config import StrictModel, load_toml
from athanor.core.labels import unique_labels
from athanor.datasets.labelled import DataConfig, SplitConfig, SplitData, load_split_data
from athanor.tuning.config import SurrogateSpec
from athanor.workflows.training import fit_calibrated, score_on_part

logger = logging.getLogger(__name__)

SUMMARY_METRICS = (
    "rmse",
    "mae",
    "r2",
    "spearman",
    "nll",
    "error_sigma_spearman",
    "conformal_coverage",
    "fit_seconds",
)


class EvaluateConfig(StrictModel):
    """What `athanor evaluate` reads.

    Attributes:
        data: the labelled molecules.
        models: the models to compare (name and parameters).
        splits: the split strategies (their ``seed`` is replaced by each of `seeds`, except
            for fixed published splits, which have none).
        seeds: seeds of the splits and the models.
        coverage: nominal coverage of the conformal intervals (calibrated on validation).
    """

    data: DataConfig
    models: list[SurrogateSpec] = Field(min_length=1)
    splits: list[SplitConfig] = Field(default=[SplitConfig()], min_length=1)
    seeds: list[int] = Field(default=[0], min_length=1)
    coverage: float = Field(default=0.9, gt=0, lt=1)

    @field_validator("seeds")
    @classmethod
    def _distinct(cls, seeds: list[int]) -> list[int]:
        if len(set(seeds)) < len(seeds):
            raise ValueError(f"seeds {seeds} repeat a seed: its result would count twice")
        return seeds


def load_evaluate_config(path: str | Path) -> EvaluateConfig:
    """Read an evaluation TOML file; a relative data file is taken from the file's folder."""
    config = load_toml(path, EvaluateConfig)
    return config.model_copy(update={"data": config.data.relative_to(Path(path).parent)})


def _score(spec: SurrogateSpec, data: SplitData, seed: int, config: EvaluateConfig):
    trained, seconds = fit_calibrated(spec, data, config.data, seed, config.coverage)
    metrics = score_on_part(trained, data.test)[2].xs("z-scaled", level="sigma")
    return metrics.assign(fit_seconds=seconds)


def evaluate_models(config: EvaluateConfig, progress: bool = True) -> pd.DataFrame:
    """Fit and test every model on every split and seed.

    Returns:
        One row per (model, split, seed, task): the test metrics of `evaluate_predictions`
        with σ z-scaled on the validation part, ``conformal_coverage`` and ``fit_seconds``.

    Raises:
        InputDataError, ConfigError: as `athanor.workflows.training.train_model`.
    """
    models = unique_labels([spec.model for spec in config.models])
    splits = unique_labels([split.fixed or split.strategy for split in config.splits])
    cells = len(splits) * len(config.seeds) * len(models)
    rows = []
    with tqdm(total=cells, disable=not progress, desc="evaluate") as bar:
        for split_label, split in zip(splits, config.splits, strict=True):
            for seed in config.seeds:
                data = load_split_data(config.data, split.model_copy(update={"seed": seed}))
                for label, spec in zip(models, config.models, strict=True):
                    table = _score(spec, data, seed, config).reset_index()
                    rows.append(table.assign(model=label, split=split_label, seed=seed))
                    logger.info(
                        "%s on %s seed %d: rmse %s",
                        label,
                        split_label,
                        seed,
                        table["rmse"].tolist(),
                    )
                    bar.update()
    columns = ["model", "split", "seed", "task"]
    table = pd.concat(rows, ignore_index=True)
    return table[columns + [c for c in table.columns if c not in columns]]


def summarize_evaluation(table: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds, one row per (model, split, task)."""
    metrics = [m for m in SUMMARY_METRICS if m in table.columns]
    grouped = table.groupby(["model", "split", "task"], sort=False)[metrics]
    summary = grouped.agg(["mean", "std"])
    summary.columns = [f"{metric}_{stat}" for metric, stat in summary.columns]
    return summary.assign(seeds=grouped.size()).reset_index()
