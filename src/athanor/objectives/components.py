"""Objective components: a named, parametrised raw value per molecule.

A component is built from its TOML table (``kind`` + ``params``): `make_component` validates
the parameters against the component's strict `Params` model, so a typo fails at start naming
the allowed keys. `values` returns one float per molecule and a failure reason where it could
not compute one (NaN value): a component that raises for one molecule never stops a batch.

Built-in kinds live in `properties` (RDKit descriptors), `structure` (similarity,
substructure, alerts, isomers), `predictions` (surrogates, oracles) and `classifiers`
(the PMO bioactivity models); they are imported on first use.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence

import numpy as np
from rdkit import Chem

from athanor.core.config import StrictModel, validate_config
from athanor.core.errors import ConfigError

log = logging.getLogger(__name__)

BUILTIN_MODULES = (
    "athanor.objectives.properties",
    "athanor.objectives.structure",
    "athanor.objectives.predictions",
    "athanor.objectives.classifiers",
)
COMPONENTS: dict[str, type[Component]] = {}


class NoParams(StrictModel):
    """A component without parameters."""


class Component:
    """Base class: subclasses set `Params` and implement `value` (or `values` for batches)."""

    kind: str = "component"
    Params: type[StrictModel] = NoParams
    unit_interval: bool = False  # raw values lie in [0, 1]: they may score as they are

    def __init__(self, params: StrictModel):
        self.params = params

    def value(self, mol: Chem.Mol) -> float:
        """The raw value of one molecule (may raise: the molecule then fails alone)."""
        raise NotImplementedError

    def values(
        self, mols: Sequence[Chem.Mol], smiles: Sequence[str]
    ) -> tuple[np.ndarray, list[str]]:
        """Raw values of a batch.

        Args:
            mols: n sanitised molecules.
            smiles: their n canonical SMILES.

        Returns:
            values of shape (n,) (NaN where failed) and n reasons ("" where it worked).
        """
        out = np.full(len(mols), np.nan)
        reasons = [""] * len(mols)
        for i, mol in enumerate(mols):
            try:
                out[i] = float(self.value(mol))
            except Exception as error:
                reasons[i] = f"{self.kind}: {type(error).__name__}: {error}"
                log.debug("component %s failed on %s: %s", self.kind, smiles[i], error)
        return out, reasons

    def close(self) -> None:
        """Release what the component holds (worker processes); the base class holds none.
        A later call may start them again."""


def register_component(kind: str) -> Callable[[type[Component]], type[Component]]:
    """Class decorator: make a component available as ``kind`` in objective configs."""

    def decorate(cls: type[Component]) -> type[Component]:
        cls.kind = kind
        COMPONENTS[kind] = cls
        return cls

    return decorate


def component_kinds() -> list[str]:
    """All component kinds (built-in and registered), sorted."""
    for module in BUILTIN_MODULES:
        importlib.import_module(module)
    return sorted(COMPONENTS)


def make_component(kind: str, params: dict | None = None) -> Component:
    """Build the component ``kind`` from its parameter table.

    Raises:
        ConfigError: unknown kind (lists the valid ones) or bad parameters (names the allowed).
    """
    kinds = component_kinds()
    if kind not in COMPONENTS:
        raise ConfigError(f"unknown objective component '{kind}' (valid: {', '.join(kinds)})")
    cls = COMPONENTS[kind]
    try:
        return cls(validate_config(cls.Params, dict(params or {})))
    except ConfigError as error:
        raise ConfigError(f"component '{kind}': {error}") from None
