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
from pydantic import ValidationError, field_validator, model_validator

from athanor.core.config import StrictModel, describe_validation_error
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

    def contains(self, value: Any) -> bool:
        low, high = self.int
        return isinstance(value, int) and low <= value <= high and (value - low) % self.step == 0

    def ends(self) -> list[int]:
        """The lowest and the highest value a trial can draw (``high`` rounded down to a step)."""
        low, high = self.int
        return sorted({low, low + (high - low) // self.step * self.step})

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

    def contains(self, value: Any) -> bool:
        low, high = self.float
        return isinstance(value, int | float) and low <= value <= high

    def ends(self) -> list[float]:
        """The range's ends."""
        return list(self.float)

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

    def contains(self, value: Any) -> bool:
        return value in self.choice

    def ends(self) -> list[Scalar]:
        """Every choice."""
        return list(self.choice)

    def check(self) -> str | None:
        return None if self.choice else "empty list of choices"


Range = IntRange | FloatRange | Choice
RANGE_KINDS: dict[str, type[Range]] = {"int": IntRange, "float": FloatRange, "choice": Choice}


def parse_range(name: str, spec: Any) -> Range:
    """A range from its TOML table, picked by its ``int``, ``float`` or ``choice`` key.

    Raises:
        ValueError: no or several kind keys, unknown keys (naming the allowed ones), bad values.
    """
    if isinstance(spec, IntRange | FloatRange | Choice):
        return spec
    kinds = [key for key in RANGE_KINDS if isinstance(spec, dict) and key in spec]
    if len(kinds) != 1:
        raise ValueError(f"range of {name!r} needs exactly one of the keys int, float, choice")
    kind = RANGE_KINDS[kinds[0]]
    try:
        return kind.model_validate(spec)
    except ValidationError as error:
        raise ValueError(f"range of {name!r}: {describe_validation_error(kind, error)}") from None


class SearchSpace(StrictModel):
    """A model's tunable parameters and the ones held fixed during the search.

    Attributes:
        ranges: parameter name → range to search; None: the model's default ranges (see
            `resolve_space`).
        fixed: parameter name → value used in every trial (e.g. a short ``epochs``).
        final: parameter name → value of the models scored on the test set, the tuned one
            (overriding the best trial's) and the default one alike: the full ``epochs`` and
            ``patience`` when trials train short. It does not change the trials, so it may be
            edited on a stored study.
    """

    ranges: dict[str, Range] | None = None
    fixed: dict[str, Any] = {}
    final: dict[str, Any] = {}

    @field_validator("ranges", mode="before")
    @classmethod
    def _parse_ranges(cls, ranges: Any) -> Any:
        if not isinstance(ranges, dict):
            return ranges
        return {name: parse_range(name, spec) for name, spec in ranges.items()}

    @model_validator(mode="after")
    def _disjoint(self) -> SearchSpace:
        for other in ("fixed", "final"):
            both = sorted(set(self.ranges or ()) & set(getattr(self, other)))
            if both:
                raise ValueError(f"parameter(s) {both} are both searched and {other}")
        return self

    def sample(self, trial: optuna.Trial) -> dict[str, Any]:
        """Parameters of one trial: fixed ones plus one draw from every range."""
        drawn = {name: spec.suggest(trial, name) for name, spec in self.ranges.items()}
        return {**self.fixed, **drawn}

    def tuned(self, draws: dict[str, Any]) -> dict[str, Any]:
        """Parameters of the tuned model: the fixed ones, a trial's ``draws``, the final ones."""
        return {**self.fixed, **draws, **self.final}

    def default(self) -> dict[str, Any]:
        """Parameters of the default model on test: the fixed and the final ones (the model's
        defaults otherwise), so that it differs from the tuned model only in the draws."""
        return self.tuned({})

    def draws_of(self, params: dict[str, Any]) -> dict[str, Any]:
        """The values of ``params`` that this space could draw (to enqueue them as a trial)."""
        return {
            name: params[name]
            for name, spec in self.ranges.items()
            if name in params and spec.contains(params[name])
        }


def model_parameters(model: str) -> list[str]:
    """Constructor parameter names of a registered model."""
    signature = inspect.signature(surrogate_class(model).__init__)
    return [name for name in signature.parameters if name != "self"]


def check_space(model: str, space: SearchSpace) -> None:
    """Refuse a space before any trial runs.

    Raises:
        ConfigError: a parameter the model does not have (the message names the model's
            parameters), no range at all, or an empty or inverted range.
    """
    if space.ranges == {}:
        raise ConfigError("the search space has no ranges: every trial would be the same")
    allowed = model_parameters(model)
    named = set(space.ranges or ()) | set(space.fixed) | set(space.final)
    unknown = sorted(named - set(allowed))
    if unknown:
        raise ConfigError(
            f"model {model!r} has no parameter(s) {unknown}; its parameters: {', '.join(allowed)}"
        )
    for name, spec in (space.ranges or {}).items():
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
    "molecule_features": Choice(choice=["none", "descriptors"]),
    "ensemble_size": IntRange(int=(1, 3)),
}
DEFAULT_RANGES: dict[str, dict[str, Range]] = {
    "rf": {**_FOREST, **_FINGERPRINT},
    "lightgbm": {**_BOOSTING, **_FINGERPRINT},
    "gp": _FINGERPRINT,
    "dmpnn": _DMPNN,
}


def resolve_space(model: str, space: SearchSpace | None = None) -> SearchSpace:
    """The checked space to search: without ranges, the model's default ranges except the
    parameters held fixed or set for the final model.

    Raises:
        ConfigError: see `check_space`; or no ranges given for a model without defaults.
    """
    space = space or SearchSpace()
    if space.ranges is None:
        allowed = set(model_parameters(model)) - set(space.fixed) - set(space.final)
        defaults = DEFAULT_RANGES.get(model, {})
        ranges = {name: spec for name, spec in defaults.items() if name in allowed}
        if not ranges:
            raise ConfigError(f"no default search space for model {model!r}: give [space.ranges]")
        space = space.model_copy(update={"ranges": ranges})
    check_space(model, space)
    return space
