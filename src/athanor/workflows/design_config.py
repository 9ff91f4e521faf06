"""The TOML configuration of a design campaign, validated strictly (unknown keys fail).

Example::

    name = "qed-demo"
    seed = 0
    [generator]
    name = "graph_ga"
    params = { n_initial = 100 }
    [objective]
    components = [{ kind = "qed" }]
    constraints = [{ kind = "sa", max = 3.5 }]
    [budget]
    oracle_calls = 1000
    batch_size = 50
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from athanor.core.config import CampaignName, StrictModel, load_toml
from athanor.objectives.config import ObjectiveConfig


class GeneratorConfig(StrictModel):
    """The generator (see `athanor.generators.registry`) and its parameters."""

    name: str = "graph_ga"
    params: dict[str, Any] = {}


class BudgetConfig(StrictModel):
    """How many unique molecules the objective may score, and how many per round.

    Attributes:
        oracle_calls: unique molecules scored by the objective (the budget of PMO-style
            benchmarks; with a surrogate loop, the real oracle calls).
        batch_size: molecules scored per round.
        max_rounds: stop after this many rounds even if the budget is not spent.
    """

    oracle_calls: int = Field(gt=0)
    batch_size: int = Field(default=100, gt=0)
    max_rounds: int | None = Field(default=None, gt=0)


class LoopConfig(StrictModel):
    """Closing the loop with a surrogate: generate many, predict, score only the best.

    When `surrogate` is set, every ``oracle`` component of the objective is replaced, for
    pre-screening, by this surrogate trained on the oracle values measured so far; each round
    the generator proposes `candidates` molecules, the proxy objective ranks them (using the
    predictive mean, or an optimistic/pessimistic bound) and the best `batch_size` go to the
    real objective (and its oracle). The surrogate is retrained every round. An objective
    without ``oracle`` components (e.g. a PMO task, scored as a whole under a budget of
    unique calls) is learnt as a whole instead (`athanor.generators.screened`).

    Attributes:
        surrogate: model name (``rf``, ``gp``, ``lightgbm``, ``dmpnn``) or None (no loop).
        params: the surrogate's parameters.
        candidates: proposals pre-screened per round.
        warmup: molecules scored by the real objective before the first surrogate.
        bound: ``mean``, ``upper`` (optimistic for a maximised property) or ``lower``.
        beta: width of the bound in standard deviations.
    """

    surrogate: str | None = None
    params: dict[str, Any] = {}
    candidates: int = Field(default=500, gt=0)
    warmup: int = Field(default=50, gt=1)
    bound: Literal["mean", "upper", "lower"] = "mean"
    beta: float = Field(default=1.0, ge=0)


class DesignConfig(StrictModel):
    """A whole design campaign."""

    name: CampaignName
    seed: int = 0
    generator: GeneratorConfig = GeneratorConfig()
    objective: ObjectiveConfig
    budget: BudgetConfig
    loop: LoopConfig = LoopConfig()

    @model_validator(mode="after")
    def _loop_batches(self) -> DesignConfig:
        if self.loop.surrogate and self.loop.candidates < self.budget.batch_size:
            raise ValueError("loop.candidates must be at least budget.batch_size")
        return self

    @model_validator(mode="after")
    def _surrogates_have_models(self) -> DesignConfig:
        tables = {"components": self.objective.components,
                  "constraints": self.objective.constraints}  # fmt: skip
        for where, items in tables.items():
            for index, item in enumerate(items):
                params = item.get("params")  # not a table: its own check says so later
                if item.get("kind") == "surrogate" and not (
                    isinstance(params, dict) and params.get("model")
                ):
                    raise ValueError(
                        f"objective.{where}[{index}]: a 'surrogate' component needs "
                        "params.model, the directory of a saved model (a closed loop trains "
                        "its own surrogate for the 'oracle' components)"
                    )
        return self


def load_design_config(path: str | Path) -> DesignConfig:
    """Read and validate a design TOML file (raises `ConfigError` naming bad keys)."""
    return load_toml(path, DesignConfig)
