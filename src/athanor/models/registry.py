"""Name → surrogate class, so that configs, the CLI and saved models name models by string."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from athanor.core.errors import ConfigError

T = TypeVar("T", bound=type)

_SURROGATES: dict[str, type] = {}


def register(name: str) -> Callable[[T], T]:
    """Class decorator: make a surrogate available as ``name`` (its `name` attribute too)."""

    def decorate(cls: T) -> T:
        cls.name = name
        _SURROGATES[name] = cls
        return cls

    return decorate


def surrogate_class(name: str) -> type:
    """The class registered as ``name``; `ConfigError` naming the known ones otherwise."""
    if name not in _SURROGATES:
        raise ConfigError(
            f"unknown model {name!r}; choose one of: {', '.join(sorted(_SURROGATES))}"
        )
    return _SURROGATES[name]


def available_surrogates() -> list[str]:
    """Registered model names, sorted."""
    return sorted(_SURROGATES)
