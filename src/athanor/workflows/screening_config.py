"""The TOML configuration of a screening campaign, validated strictly (unknown keys fail)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from athanor.core.config import CampaignName, StrictModel, load_toml


class PoolConfig(StrictModel):
    """Where the candidates come from: a shipped data set, a file, or an enumeration."""

    dataset: str | None = None
    file: Path | None = None
    smiles_column: str | None = None
    enumerate: str | None = Field(
        None, description="built-in combinatorial library, e.g. 'donor_acceptor'"
    )
    limit: int | None = Field(None, gt=0, description="use only the first N candidates")

    @model_validator(mode="after")
    def _one_source(self) -> PoolConfig:
        given = [s for s in (self.dataset, self.file, self.enumerate) if s is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of pool.dataset, pool.file or pool.enumerate")
        return self


class OracleConfig(StrictModel):
    """The oracle that labels candidates (see `athanor oracle list`)."""

    name: str
    params: dict[str, Any] = {}


class ObjectiveConfig(StrictModel):
    """The property to optimise: an oracle property, or a derived one such as ``opv_pce``."""

    property: str
    direction: Literal["maximize", "minimize"] = "maximize"


class ConstraintConfig(StrictModel):
    """A cheap RDKit property bound every selected candidate must satisfy."""

    property: Literal["sa_score", "qed", "mol_weight", "logp", "heavy_atoms"]
    min: float | None = None
    max: float | None = None


class SurrogateConfig(StrictModel):
    """The surrogate model (see `athanor.models`) and its parameters."""

    model: str = "rf"
    params: dict[str, Any] = {}


class RetuneConfig(StrictModel):
    """Re-tuning the surrogate's hyper-parameters on the campaign's labels (see
    `athanor.tuning.retune`): at the first acquisition round with enough labels, then every
    ``every_rounds`` rounds; the tuned parameters serve until the next re-tuning. The model's
    default ranges are searched; parameters outside them keep their configured values."""

    every_rounds: int = Field(gt=0)
    budget_s: float = Field(gt=0, description="wall-clock seconds per re-tuning")
    max_trials: int = Field(20, gt=0, description="trials per re-tuning, at most")


class AcquisitionConfig(StrictModel):
    """How candidates are scored and a batch is picked."""

    function: Literal["greedy", "ucb", "ei", "pi", "thompson", "variance", "random"] = "ucb"
    beta: float = 2.0
    xi: float = 0.0
    batch: Literal["top_k", "diverse"] = "top_k"
    max_similarity: float = Field(0.6, gt=0, le=1)
    pareto: Literal["hvi", "rank"] = Field(
        "hvi",
        description="with several objectives: hypervolume improvement or Pareto rank of the "
        "optimistic (mean + beta * std) predictions",
    )


class LoopConfig(StrictModel):
    """Batch sizes, budget and stopping rule."""

    initial_size: int = Field(gt=0)
    initial_design: Literal["random", "diverse"] = "random"
    batch_size: int = Field(gt=0)
    rounds: int = Field(gt=0, description="acquisition rounds after the initial batch")
    budget: int | None = Field(None, gt=0, description="maximum oracle calls in total")
    patience: int | None = Field(
        None, gt=0, description="stop after this many rounds without a better best value"
    )

    @property
    def total_calls(self) -> int:
        planned = self.initial_size + self.rounds * self.batch_size
        return min(planned, self.budget) if self.budget else planned


class ExecutorConfig(StrictModel):
    """Where oracle calls run."""

    kind: Literal["local", "ray"] = "local"
    workers: int = Field(1, gt=0)
    timeout_s: float | None = Field(None, gt=0)
    address: str | None = None


class ScreeningConfig(StrictModel):
    """A whole screening campaign: one ``[objective]``, or several ``[[objectives]]``
    optimised at once (Pareto front; the first is the primary one in traces and status)."""

    name: CampaignName
    seed: int = 0
    pool: PoolConfig
    oracle: OracleConfig
    objective: ObjectiveConfig | None = None
    objectives: list[ObjectiveConfig] = []
    constraints: list[ConstraintConfig] = []
    surrogate: SurrogateConfig = SurrogateConfig()
    retune: RetuneConfig | None = None
    acquisition: AcquisitionConfig = AcquisitionConfig()
    loop: LoopConfig
    executor: ExecutorConfig = ExecutorConfig()

    @model_validator(mode="after")
    def _one_objective_table(self) -> ScreeningConfig:
        if (self.objective is None) == (not self.objectives):
            raise ValueError("give either [objective] or two or more [[objectives]]")
        if self.objectives and len(self.objectives) < 2:
            raise ValueError("[[objectives]] needs two or more entries (else use [objective])")
        return self

    @property
    def all_objectives(self) -> list[ObjectiveConfig]:
        """Every objective, the primary one (reported as "best value") first."""
        return [self.objective] if self.objective is not None else list(self.objectives)


def load_screening_config(path: str | Path) -> ScreeningConfig:
    """Read and validate a campaign TOML file; relative pool files resolve next to it.

    Raises:
        ConfigError: missing file, invalid TOML, unknown keys (named with the allowed ones).
    """
    path = Path(path)
    config = load_toml(path, ScreeningConfig)
    if config.pool.file is not None and not config.pool.file.is_absolute():
        pool = config.pool.model_copy(update={"file": (path.parent / config.pool.file).resolve()})
        config = config.model_copy(update={"pool": pool})
    return config
