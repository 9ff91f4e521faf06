"""Name → surrogate class, so that configs, the CLI and saved models name models by string."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any, TypeVar

from athanor.core.config import check_numbers, check_parameter_names
from athanor.core.errors import ConfigError

T = TypeVar("T", bound=type)

_SURROGATES: dict[str, type] = {}
BUILTIN_MODULES = (
    "athanor.models.forest",
    "athanor.models.boosting",
    "athanor.models.gaussian_process",
    "athanor.models.dmpnn",
)


def _import_builtins() -> None:
    """Import the shipped models so that their ``@register`` lines have run."""
    for module in BUILTIN_MODULES:
        import_module(module)


def register(name: str) -> Callable[[T], T]:
    """Class decorator: make a surrogate available as ``name`` (its `name` attribute too)."""

    def decorate(cls: T) -> T:
        cls.name = name
        _SURROGATES[name] = cls
        return cls

    return decorate


def surrogate_class(name: str) -> type:
    """The class registered as ``name``; `ConfigError` naming the known ones otherwise."""
    _import_builtins()
    if name not in _SURROGATES:
        raise ConfigError(
            f"unknown model {name!r}; choose one of: {', '.join(sorted(_SURROGATES))}"
        )
    return _SURROGATES[name]


def make_surrogate(name: str, params: dict[str, Any]):
    """An unfitted surrogate from configuration parameters, checked before anything runs.

    Raises:
        ConfigError: an unknown model, a parameter it does not have (naming the ones it
            has), or text where the parameter is a number.
    """
    cls = surrogate_class(name)
    check_parameter_names(f"model {name!r}", cls, params)
    check_numbers(f"model {name!r}", cls, params)
    return cls(**params)


def available_surrogates() -> list[str]:
    """Registered model names, sorted."""
    _import_builtins()
    return sorted(_SURROGATES)
