"""Desirability transforms: a raw property value -> a score in [0, 1] (1 is best).

Each transform is a small strict config with a ``kind`` (the name used in TOML) and a
vectorised ``__call__``. NaN (a failed raw value) stays NaN so the objective can record why.
The GuacaMol score modifiers are special cases: ``ClippedScoreModifier`` is ``linear``,
``GaussianModifier`` / ``MinGaussianModifier`` / ``MaxGaussianModifier`` are ``gaussian`` /
``min_gaussian`` / ``max_gaussian``.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from athanor.core.config import StrictModel, validate_config
from athanor.core.errors import ConfigError


class Transform(StrictModel):
    """Base of the transforms: their parameters are finite numbers (NaN would score every
    molecule NaN, an infinite bound none)."""

    model_config = ConfigDict(allow_inf_nan=False)


class Identity(Transform):
    """The raw value as it is (for components already in [0, 1], e.g. QED, similarity)."""

    kind: Literal["identity"] = "identity"

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(x, dtype=float)


class Linear(Transform):
    """0 at `lower`, 1 at `upper`, linear between and clipped outside (decreasing when
    `lower` > `upper`)."""

    kind: Literal["linear"] = "linear"
    lower: float
    upper: float

    @model_validator(mode="after")
    def _distinct(self) -> Linear:
        if self.lower == self.upper:
            raise ValueError("lower and upper must differ")
        return self

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.clip((np.asarray(x, float) - self.lower) / (self.upper - self.lower), 0.0, 1.0)


class Sigmoid(Transform):
    """Logistic step of width `scale` around `center`; decreasing when `increasing` is false."""

    kind: Literal["sigmoid"] = "sigmoid"
    center: float
    scale: float = Field(gt=0)
    increasing: bool = True

    def __call__(self, x: np.ndarray) -> np.ndarray:
        z = (np.asarray(x, float) - self.center) / self.scale
        return 1.0 / (1.0 + np.exp(-z if self.increasing else z))


class Step(Transform):
    """1 at or above `threshold` (at or below it when `above` is false), else 0."""

    kind: Literal["step"] = "step"
    threshold: float
    above: bool = True

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, float)
        passed = x >= self.threshold if self.above else x <= self.threshold
        return np.where(np.isnan(x), np.nan, passed.astype(float))


class Window(Transform):
    """1 inside [`lower`, `upper`]; outside, a Gaussian fall-off of width `softness`
    (a hard window when `softness` is 0)."""

    kind: Literal["window"] = "window"
    lower: float
    upper: float
    softness: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.lower > self.upper:
            raise ValueError("lower must not exceed upper")
        return self

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, float)
        distance = np.maximum(self.lower - x, 0.0) + np.maximum(x - self.upper, 0.0)
        if self.softness == 0:
            return np.where(np.isnan(x), np.nan, (distance == 0).astype(float))
        return np.exp(-0.5 * (distance / self.softness) ** 2)


class Gaussian(Transform):
    """exp(-(x - mu)^2 / (2 sigma^2)): a target value."""

    kind: Literal["gaussian"] = "gaussian"
    mu: float
    sigma: float = Field(gt=0)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.exp(-0.5 * ((np.asarray(x, float) - self.mu) / self.sigma) ** 2)


class MinGaussian(Gaussian):
    """1 at or below `mu`, Gaussian above it: "at most mu"."""

    kind: Literal["min_gaussian"] = "min_gaussian"

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, float)
        return np.where(x <= self.mu, 1.0, super().__call__(x))


class MaxGaussian(Gaussian):
    """1 at or above `mu`, Gaussian below it: "at least mu"."""

    kind: Literal["max_gaussian"] = "max_gaussian"

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, float)
        return np.where(x >= self.mu, 1.0, super().__call__(x))


Desirability = Identity | Linear | Sigmoid | Step | Window | Gaussian | MinGaussian | MaxGaussian
TRANSFORMS: dict[str, type[Transform]] = {
    cls.model_fields["kind"].default: cls
    for cls in (Identity, Linear, Sigmoid, Step, Window, Gaussian, MinGaussian, MaxGaussian)
}


def make_desirability(spec: dict | None) -> Desirability:
    """Build a transform from its TOML table, e.g. ``{kind = "window", lower = 2, upper = 3}``.

    Raises:
        ConfigError: unknown kind (lists the valid ones) or bad parameters (names the allowed).
    """
    spec = dict(spec or {"kind": "identity"})
    kind = spec.get("kind", "identity")
    if kind not in TRANSFORMS:
        raise ConfigError(
            f"unknown desirability kind '{kind}' (valid: {', '.join(sorted(TRANSFORMS))})"
        )
    return validate_config(TRANSFORMS[kind], spec)
