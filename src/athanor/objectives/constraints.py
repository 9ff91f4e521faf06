"""Hard constraints: bounds on raw component values that zero a molecule's score."""

from __future__ import annotations

import numpy as np

from athanor.objectives.components import Component, make_component
from athanor.objectives.config import ConstraintSpec


class Constraint:
    """A component with bounds, e.g. ``sa <= 3.5`` or ``alerts <= 0``.

    Args:
        spec: the validated TOML table.
    """

    def __init__(self, spec: ConstraintSpec):
        self.spec = spec
        self.label = spec.label
        self.component: Component = make_component(spec.kind, spec.params)

    def describe(self) -> str:
        """The bounds as text, e.g. ``sa <= 3.5``."""
        lower = "" if self.spec.min is None else f"{self.spec.min:g} <= "
        upper = "" if self.spec.max is None else f" <= {self.spec.max:g}"
        return f"{lower}{self.label}{upper}"

    def satisfied(self, values: np.ndarray) -> np.ndarray:
        """Which raw values, shape (n,), lie within the bounds (NaN never does); bool (n,)."""
        ok = ~np.isnan(values)
        if self.spec.min is not None:
            ok &= values >= self.spec.min
        if self.spec.max is not None:
            ok &= values <= self.spec.max
        return ok
