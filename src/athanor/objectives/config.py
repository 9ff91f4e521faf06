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

from typing import Any, Literal

from pydantic import Field, model_validator

from athanor.core.config import StrictModel, validate_config
from athanor.core.errors import ConfigError
from athanor.objectives.aggregate import Aggregation


class ComponentSpec(StrictModel):
    """One scored component.

    Attributes:
        kind: the component (``qed``, ``similarity``, ``surrogate``, ...).
        name: column name in results (default: the kind).
        params: the component's parameters.
        desirability: transform of the raw value to [0, 1] (default: identity).
        weight: weight in the aggregation (> 0).
    """

    kind: str
    name: str | None = None
    params: dict[str, Any] = {}
    desirability: dict[str, Any] = {"kind": "identity"}
    weight: float = Field(default=1.0, gt=0)

    @property
    def label(self) -> str:
        return self.name or self.kind


class ConstraintSpec(StrictModel):
    """A hard constraint: a molecule whose raw value leaves [min, max] scores 0.

    Attributes:
        kind: the component whose raw value is bounded.
        name: label in results (default: the kind).
        params: the component's parameters.
        min: lowest allowed value (inclusive), if any.
        max: highest allowed value (inclusive), if any.
    """

    kind: str
    name: str | None = None
    params: dict[str, Any] = {}
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _bounded(self) -> ConstraintSpec:
        if self.min is None and self.max is None:
            raise ValueError("a constraint needs 'min' and/or 'max'")
        return self

    @property
    def label(self) -> str:
        return self.name or self.kind


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
    try:
        return validate_config(model, table)
    except ConfigError as error:
        raise ConfigError(f"objective.{where}[{index}]: {error}") from None
