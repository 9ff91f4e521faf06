"""Names → generator classes, for TOML configs and the CLI."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from athanor.core.config import check_numbers, check_parameter_names
from athanor.core.errors import ConfigError
from athanor.generators.base import Generator

GENERATORS: dict[str, type[Generator]] = {}

# built-in generators, imported on first use (torch is heavy)
BUILTIN_MODULES = {
    "graph_ga": "athanor.generators.graph_ga",
    "smiles_lm": "athanor.generators.language_model",
    "selfies_lm": "athanor.generators.language_model",
    "reinvent": "athanor.generators.reinvent",
    "vae_bo": "athanor.generators.vae",
}


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
        ConfigError: unknown name (lists the valid ones), a parameter the generator does not
            have (lists the ones it has) or bad parameters.
    """
    if name not in GENERATORS and name in BUILTIN_MODULES:
        importlib.import_module(BUILTIN_MODULES[name])
    if name not in GENERATORS:
        valid = ", ".join(sorted(set(GENERATORS) | set(BUILTIN_MODULES)))
        raise ConfigError(f"unknown generator '{name}' (valid: {valid})")
    check_parameter_names(f"generator '{name}'", GENERATORS[name], params)
    check_numbers(f"generator '{name}'", GENERATORS[name], params)
    try:
        return GENERATORS[name](**params)
    except TypeError as error:
        raise ConfigError(f"generator '{name}': {error}") from None
