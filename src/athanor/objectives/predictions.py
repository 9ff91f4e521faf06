"""Components backed by a model or a calculation: surrogate predictions and oracle calls."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

import numpy as np
from pydantic import Field

from athanor.core.config import StrictModel
from athanor.core.prediction import Prediction
from athanor.objectives.components import Component, register_component


class SurrogateParams(StrictModel):
    """Parameters of ``surrogate``.

    Attributes:
        model: directory of a saved surrogate (``Surrogate.save``).
        task: column of the prediction to use.
        bound: the predictive ``mean``, or the ``upper`` (optimistic when maximising) or
            ``lower`` (pessimistic) bound mean +/- beta * std.
        beta: width of the bound in standard deviations.
    """

    model: str
    task: int = Field(default=0, ge=0)
    bound: Literal["mean", "upper", "lower"] = "mean"
    beta: float = Field(default=1.0, ge=0)


def prediction_bound(prediction: Prediction, task: int, bound: str, beta: float) -> np.ndarray:
    """Mean, or mean +/- beta * std, of one task; shape (n,)."""
    mean, std = prediction.mean[:, task], prediction.std[:, task]
    sign = {"mean": 0.0, "upper": 1.0, "lower": -1.0}[bound]
    return mean + sign * beta * std


@register_component("surrogate")
class SurrogateComponent(Component):
    """A surrogate model's prediction, optionally an uncertainty bound."""

    Params = SurrogateParams

    @cached_property
    def model(self):
        from athanor.models import Surrogate  # torch is heavy: only when used

        return Surrogate.load(self.params.model)

    def values(self, mols, smiles) -> tuple[np.ndarray, list[str]]:
        if not smiles:
            return np.zeros(0), []
        prediction = self.model.predict(list(smiles))
        p = self.params
        return prediction_bound(prediction, p.task, p.bound, p.beta), [""] * len(smiles)


class OracleParams(StrictModel):
    """Parameters of ``oracle``.

    Attributes:
        oracle: registered oracle name (``xtb``, ``rdkit``, ...).
        property: which of its properties to use (e.g. ``gap`` in eV).
        options: the oracle's own parameters (validated by the oracle).
    """

    oracle: str
    property: str
    options: dict[str, Any] = {}


@register_component("oracle")
class OracleComponent(Component):
    """A property computed by an oracle (one call per molecule; failures are recorded)."""

    Params = OracleParams

    @cached_property
    def oracle(self):
        from athanor.oracles import make_oracle

        return make_oracle(self.params.oracle, **self.params.options)

    def values(self, mols, smiles) -> tuple[np.ndarray, list[str]]:
        out = np.full(len(smiles), np.nan)
        reasons = [""] * len(smiles)
        for i, evaluation in enumerate(self.oracle.evaluate(list(smiles))):
            if evaluation.ok and self.params.property in evaluation.values:
                out[i] = evaluation.values[self.params.property]
            else:
                reasons[i] = f"oracle {self.params.oracle}: {evaluation.status}: " + (
                    evaluation.message or f"no property '{self.params.property}'"
                )
        return out, reasons
