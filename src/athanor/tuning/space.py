"""Declarative search spaces: one range per hyper-parameter, checked against the model.

A space maps constructor parameter names to an `IntRange`, a `FloatRange` (``log = true`` for
scales such as learning rates) or a `Choice`. In TOML::

    [space.ranges]
    depth = { int = [2, 6] }
    max_lr = { float = [1e-4, 1e-2], log = true }
    aggregation = { choice = ["mean", "sum", "norm"] }
"""

from __future__ import annotations

import inspect
from typing import Any

import optuna
from pydantic import model_validator

from athanor.core.config import StrictModel
from athanor.core.errors import ConfigError
from athanor.models import surrogate_class

Scalar = bool | int | float | str


class IntRange(StrictModel):
    """Integers from ``int[0]`` to ``int[1]`` inclusive, every ``step``."""

    int: tuple[int, int]
    step: int = 1
    log: bool = False

    def suggest(self, trial: optuna.Trial, name: str) -> int:
        low, high = self.int
        return trial.suggest_int(name, low, high, step=self.step, log=self.log)

    def check(self) -> str | None:
        low, high = self.int
        if low > high:
            return f"inverted range [{low}, {high}]"
        if self.step < 1 or (self.log and (low < 1 or self.step != 1)):
            return "needs step >= 1, and low >= 1 with step 1 on a log scale"
        return None


class FloatRange(StrictModel):
    """Real numbers in ``[float[0], float[1]]``, uniform or on a ``log`` scale."""

    float: tuple[float, float]
    log: bool = False

    def suggest(self, trial: optuna.Trial, name: str) -> float:
        low, high = self.float
        return trial.suggest_float(name, low, high, log=self.log)

    def check(self) -> str | None:
        low, high = self.float
        if not low < high:
            return f"empty or inverted range [{low}, {high}]"
        if self.log and low <= 0:
            return f"a log range must be positive, got [{low}, {high}]"
        return None


class Choice(StrictModel):
    """One of a list of values."""

    choice: list[Scalar]

    def suggest(self, trial: optuna.Trial, name: str) -> Scalar:
        return trial.suggest_categorical(name, self.choice)

    def check(self) -> str | None:
        return None if self.choice else "empty list of choices"


Range = IntRange | FloatRange | Choice


class SearchSpace(StrictModel):
    """A model's tunable parameters and the ones held fixed during the search.

    Attributes:
        ranges: parameter name → range to search.
        fixed: parameter name → value used in every trial (e.g. a short ``epochs``).
    """

    ranges: dict[str, Range]
    fixed: dict[str, Any] = {}

    @model_validator(mode="after")
    def _disjoint(self) -> SearchSpace:
        both = sorted(set(self.ranges) & set(self.fixed))
        if both:
            raise ValueError(f"parameter(s) {both} are both searched and fixed")
        return self

    def sample(self, trial: optuna.Trial) -> dict[str, Any]:
        """Parameters of one trial: fixed ones plus one draw from every range."""
        drawn = {name: spec.suggest(trial, name) for name, spec in self.ranges.items()}
        return {**self.fixed, **drawn}


def model_parameters(model: str) -> list[str]:
    """Constructor parameter names of a registered model."""
    signature = inspect.signature(surrogate_class(model).__init__)
    return [name for name in signature.parameters if name != "self"]


def check_space(model: str, space: SearchSpace) -> None:
    """Refuse a space before any trial runs.

    Raises:
        ConfigError: a parameter the model does not have (the message names the model's
            parameters), or an empty or inverted range.
    """
    allowed = model_parameters(model)
    unknown = sorted((set(space.ranges) | set(space.fixed)) - set(allowed))
    if unknown:
        raise ConfigError(
            f"model {model!r} has no parameter(s) {unknown}; its parameters: {', '.join(allowed)}"
        )
    for name, spec in space.ranges.items():
        problem = spec.check()
        if problem:
            raise ConfigError(f"search range of {name!r}: {problem}")


_FOREST = {
    "n_estimators": IntRange(int=(100, 1000), step=100),
    "max_features": FloatRange(float=(0.05, 0.5), log=True),
    "min_samples_leaf": IntRange(int=(1, 5)),
}
_BOOSTING = {
    "n_estimators": IntRange(int=(100, 1500), step=100),
    "learning_rate": FloatRange(float=(0.01, 0.2), log=True),
    "num_leaves": IntRange(int=(8, 128), log=True),
    "min_child_samples": IntRange(int=(2, 30)),
    "subsample": FloatRange(float=(0.5, 1.0)),
    "colsample": FloatRange(float=(0.1, 0.8)),
}
_FINGERPRINT = {
    "radius": IntRange(int=(1, 3)),
    "n_bits": Choice(choice=[1024, 2048, 4096]),
}
_DMPNN = {
    "depth": IntRange(int=(2, 6)),
    "hidden_size": IntRange(int=(300, 2400), step=100),
    "ffn_hidden_size": IntRange(int=(300, 2400), step=100),
    "ffn_layers": IntRange(int=(1, 3)),
    "dropout": FloatRange(float=(0.0, 0.4)),
    "max_lr": FloatRange(float=(1e-4, 1e-2), log=True),
    "batch_size": Choice(choice=[16, 32, 64, 128]),
    "epochs": IntRange(int=(20, 100), step=10),
    "aggregation": Choice(choice=["mean", "sum", "norm"]),
    "ensemble_size": IntRange(int=(1, 3)),
}
DEFAULT_RANGES: dict[str, dict[str, Range]] = {
    "rf": {**_FOREST, **_FINGERPRINT},
    "lightgbm": {**_BOOSTING, **_FINGERPRINT},
    "gp": _FINGERPRINT,
    "dmpnn": _DMPNN,
}


def default_space(model: str) -> SearchSpace:
    """The search space used when a config names none (only parameters the model has)."""
    allowed = set(model_parameters(model))
    ranges = {k: v for k, v in DEFAULT_RANGES.get(model, {}).items() if k in allowed}
    if not ranges:
        raise ConfigError(f"no default search space for model {model!r}: give [space.ranges]")
    return SearchSpace(ranges=ranges)
