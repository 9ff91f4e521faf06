"""The TOML file of `athanor tune`: data, model and search space, split, metric, budget.

Example::

    study = "lipo-dmpnn"
    model = "dmpnn"
    n_trials = 40
    pruner = "median"

    [data]
    dataset = "lipophilicity"

    [split]
    strategy = "scaffold"

    [space.fixed]
    epochs = 30      # short trials

    [space.final]
    epochs = 50      # the tuned and the default model train this long on test
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, PositiveInt, model_validator

from athanor.core.config import StrictModel, load_toml
from athanor.datasets.labelled import DataConfig, SplitConfig
from athanor.tuning.space import SearchSpace, resolve_space

Objective = Literal["rmse", "mae", "fit_seconds"]
DEFAULT_STORAGE = Path(".athanor") / "tuning.sqlite3"


class TuneConfig(StrictModel):
    """A tuning study.

    Attributes:
        study: study name inside the storage (one storage can hold many studies).
        model: registered surrogate name (``rf``, ``lightgbm``, ``gp``, ``dmpnn``).
        space: ranges and fixed parameters; the model's default ranges when absent.
        objectives: ``["rmse"]`` (or ``["mae"]``), or ``[metric, "fit_seconds"]`` for a
            Pareto front of validation error against training cost, all minimised.
        n_trials: finished trials wanted in the study (a resumed study runs the rest).
        timeout_s: wall-clock budget of this run, in seconds (None: no limit).
        sampler: ``"tpe"`` (default) or ``"random"``.
        pruner: ``"median"``, ``"hyperband"`` or ``"none"``; prunes only models that report
            validation curves.
        n_jobs: worker processes sharing the study storage.
        executor: ``"local"`` processes or ``"ray"`` tasks (``ray_address`` to join a cluster).
        storage: Optuna storage file; default ``<project>/.athanor/tuning.sqlite3``.
        seed: seed of the sampler and of every model.
        trial_seeds: models fitted per trial, with seeds ``seed``, ``seed + 1``, ...; the
            trial scores their mean validation error (more robust ranking, that many times
            the cost).
        test_seeds: seeds of the default-vs-tuned comparison on the test set.
    """

    study: str = "tuning"
    model: str
    data: DataConfig
    split: SplitConfig = SplitConfig()
    space: SearchSpace | None = None
    objectives: list[Objective] = Field(default=["rmse"], min_length=1, max_length=2)
    n_trials: PositiveInt = 30
    timeout_s: float | None = Field(default=None, gt=0)
    sampler: Literal["tpe", "random"] = "tpe"
    pruner: Literal["median", "hyperband", "none"] = "median"
    n_jobs: PositiveInt = 1
    executor: Literal["local", "ray"] = "local"
    ray_address: str | None = None
    storage: Path | None = None
    seed: int = 0
    trial_seeds: PositiveInt = 1
    test_seeds: list[int] = Field(default=[0, 1, 2], min_length=1)

    @model_validator(mode="after")
    def _objectives(self) -> TuneConfig:
        metric, *cost = self.objectives
        if metric == "fit_seconds" or cost not in ([], ["fit_seconds"]):
            raise ValueError("objectives: ['rmse'|'mae'] or ['rmse'|'mae', 'fit_seconds']")
        return self

    @property
    def metric(self) -> str:
        """The validation error minimised (first objective)."""
        return self.objectives[0]

    def search_space(self) -> SearchSpace:
        """The checked search space, default ranges filled in (see `resolve_space`)."""
        return resolve_space(self.model, self.space)

    def storage_path(self, project: str | Path) -> Path:
        """The SQLite file holding the study."""
        return Path(project) / (self.storage or DEFAULT_STORAGE)

    def defining(self, include: set[str]) -> dict[str, Any]:
        """The ``include`` fields as JSON, with a data file by its name only: the rows
        themselves are checked apart (`SplitData.digest`), so a moved project still matches."""
        defining = self.model_dump(mode="json", include=include)
        if "data" in defining and self.data.file is not None:
            defining["data"]["file"] = self.data.file.name
        return defining

    def fingerprint(self) -> str:
        """Hash of what defines the study's trials (not of the budget or parallelism): a
        stored study with another fingerprint comes from another configuration."""
        defining = self.defining({"model", "data", "split", "objectives", "seed"})
        if self.trial_seeds != 1:  # studies made before the option keep their fingerprint
            defining["trial_seeds"] = self.trial_seeds
        defining["space"] = self.search_space().model_dump(mode="json", exclude={"final"})
        text = json.dumps(defining, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_tune_config(path: str | Path) -> TuneConfig:
    """Read and check a tuning TOML file: relative data paths are made relative to it, and
    the search space is checked against the model before anything runs.

    Raises:
        ConfigError: unknown keys (naming the allowed ones), bad values or search ranges.
    """
    config = load_toml(path, TuneConfig)
    config = config.model_copy(update={"data": config.data.relative_to(Path(path).parent)})
    config.search_space()
    return config


class SurrogateSpec(StrictModel):
    """A model and its parameters, as in the ``[surrogate]`` table of campaign configs."""

    model: str
    params: dict[str, Any] = {}


class TrainingConfig(StrictModel):
    """The tuned model written by `athanor tune`, ready for training.

    Attributes:
        surrogate: model name and tuned parameters.
        data, split: the data and split it was tuned on.
        tuning: provenance (study, trial, validation error, config fingerprint).
    """

    surrogate: SurrogateSpec
    data: DataConfig
    split: SplitConfig = SplitConfig()
    tuning: dict[str, Any] = {}
