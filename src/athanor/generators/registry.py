"""Names → generator classes, for TOML configs and the CLI."""

from __future__ import annotations

from collections.abc import Callable

from athanor.core.errors import ConfigError
from athanor.generators.base import Generator

GENERATORS: dict[str, type[Generator]] = {}


def register_generator(name: str) -> Callable[[type[Generator]], type[Generator]]:
    """Class decorator: make a generator available under `name`."""

    def decorate(cls: type[Generator]) -> type[Generator]:
        GENERATORS[name] = cls
        cls.name = name
        return cls

    return decorate


def make_generator(name: str, **params) -> Generator:
    """Build the generator registered as `name`.

    Raises:
        ConfigError: unknown name (lists the valid ones) or bad parameters.
    """
    if name not in GENERATORS:
        valid = ", ".join(sorted(GENERATORS)) or "none"
        raise ConfigError(f"unknown generator '{name}' (valid: {valid})")
    try:
        return GENERATORS[name](**params)
    except TypeError as error:
        raise ConfigError(f"generator '{name}': {error}") from None
