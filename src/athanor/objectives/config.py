"""The objective's TOML schema: components with desirabilities, constraints, aggregation.

Example (``[objective]`` table of a design config)::

    aggregate = "geometric"
    [[objective.components]]
    kind = "similarity"
    params = { smiles = "CC(=O)Oc1ccccc1C(=O)O", fingerprint = "ECFP4" }
    [[objective.components]]
    kind = "tpsa"
    desirability = { kind = "window", lower = 40, upper = 90, softness = 10 }
    [[objective.constraints]]
    kind = "sa"
    max = 3.5

Components and constraints are validated one by one (`component_spec`, `constraint_spec`) so
that an error names the allowed keys of the very table that holds the typo.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from athanor.core.config import StrictModel, validate_config
from athanor.core.errors import ConfigError
from athanor.objectives.aggregate import Aggregation

# kinds whose default label is one of their parameters: every unnamed oracle component
# would otherwise be labelled "oracle", like the store's column of oracle names
LABEL_PARAMS = {"oracle": "property"}


class _Scored(StrictModel):
    """A component's table: what a component and a constraint share. Numbers are finite."""

    model_config = ConfigDict(allow_inf_nan=False)

    kind: str
    name: str | None = None
    params: dict[str, Any] = {}

    @property
    def label(self) -> str:
        """The name, else the parameter of `LABEL_PARAMS` (an oracle's property), else the
        kind."""
        if self.name:
            return self.name
        default = self.params.get(LABEL_PARAMS[self.kind]) if self.kind in LABEL_PARAMS else None
        return default if isinstance(default, str) and default else self.kind


class ComponentSpec(_Scored):
    """One scored component.

    Attributes:
        kind: the component (``qed``, ``similarity``, ``surrogate``, ...).
        name: column name in results (default: the kind; an oracle's property for ``oracle``).
        params: the component's parameters.
        desirability: transform of the raw value to [0, 1] (default: identity).
        weight: weight in the aggregation (finite, > 0).
    """

    desirability: dict[str, Any] = {"kind": "identity"}
    weight: float = Field(default=1.0, gt=0)


class ConstraintSpec(_Scored):
    """A hard constraint: a molecule whose raw value leaves [min, max] scores 0.

    Attributes:
        kind: the component whose raw value is bounded.
        name: label in results (default: as for `ComponentSpec`).
        params: the component's parameters.
        min: lowest allowed value (inclusive, finite), if any.
        max: highest allowed value (inclusive, finite, not below `min`), if any.
    """

    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounded(self) -> ConstraintSpec:
        if self.min is None and self.max is None:
            raise ValueError("a constraint needs 'min' and/or 'max'")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"'min' ({self.min:g}) exceeds 'max' ({self.max:g}): no value passes")
        return self


class ObjectiveConfig(StrictModel):
    """The whole objective.

    Attributes:
        components: the scored components (TOML tables, see `ComponentSpec`).
        constraints: hard constraints (see `ConstraintSpec`).
        aggregate: how component desirabilities combine in ``scalar`` mode.
        mode: ``scalar`` (one score per molecule) or ``pareto`` (one column per component,
            for non-dominated sorting).
    """

    components: list[dict[str, Any]] = Field(min_length=1)
    constraints: list[dict[str, Any]] = []
    aggregate: Aggregation = "geometric"
    mode: Literal["scalar", "pareto"] = "scalar"

    def component_specs(self) -> list[ComponentSpec]:
        return [
            _validated(ComponentSpec, t, "components", i) for i, t in enumerate(self.components)
        ]

    def constraint_specs(self) -> list[ConstraintSpec]:
        tables = enumerate(self.constraints)
        return [_validated(ConstraintSpec, table, "constraints", i) for i, table in tables]


def _validated(model: type[StrictModel], table: dict, where: str, index: int):
    with located(f"objective.{where}[{index}]"):
        return validate_config(model, table)


@contextmanager
def located(where: str) -> Iterator[None]:
    """Prefix a `ConfigError` raised inside with where its table is, e.g.
    ``objective.components[2]``."""
    try:
        yield
    except ConfigError as error:
        raise ConfigError(f"{where}: {error}") from None
