"""Names of the built-in oracles -> classes, so the CLI and configs can build them by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from athanor.core.errors import ConfigError, UnsupportedError
from athanor.oracles.base import Oracle

# name -> (module defining it, pip extra it needs); imported on first use, so that tblite and
# PySCF load only when their oracle is built
BUILTIN_MODULES = {
    "rdkit": ("athanor.oracles.rdkit_props", ""),
    "xtb": ("athanor.oracles.xtb", "xtb"),
    "dft": ("athanor.oracles.dft", "dft,xtb"),
    "table": ("athanor.oracles.table", ""),
    "python": ("athanor.oracles.python_fn", ""),
    "command": ("athanor.oracles.command", ""),
}
_REGISTRY: dict[str, type[Oracle]] = {}


def register_oracle(name: str) -> Callable[[type[Oracle]], type[Oracle]]:
    """Class decorator: make an `Oracle` subclass available as ``make_oracle(name)``."""

    def decorate(cls: type[Oracle]) -> type[Oracle]:
        cls.name = name
        _REGISTRY[name] = cls
        return cls

    return decorate


def oracle_names() -> list[str]:
    """Names of all available oracles (built-in and registered), sorted."""
    return sorted(set(BUILTIN_MODULES) | set(_REGISTRY))


def oracle_class(name: str) -> type[Oracle]:
    """The class registered under `name`.

    Raises:
        ConfigError: unknown name (the message lists the valid ones).
        UnsupportedError: the oracle needs an optional package that is not installed.
    """
    if name not in _REGISTRY and name in BUILTIN_MODULES:
        module, extra = BUILTIN_MODULES[name]
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            raise UnsupportedError(
                f"the {name} oracle needs the '{error.name}' package: "
                f"pip install 'athanor[{extra}]'"
            ) from None
    if name not in _REGISTRY:
        raise ConfigError(f"unknown oracle {name!r}; choose one of: {', '.join(oracle_names())}")
    return _REGISTRY[name]


def make_oracle(name: str, **parameters: Any) -> Oracle:
    """Build an oracle by name; unknown parameters raise `ConfigError` naming the valid keys."""
    return oracle_class(name)(**parameters)
