"""Closing the design loop: a surrogate pre-screens proposals for the expensive oracle.

Every ``oracle`` component (or constraint) of the objective is learnt by one multi-task
surrogate from the oracle values measured so far. A *proxy* objective, identical to the real
one except that those components read the surrogate (its mean, or an uncertainty bound),
ranks each round's candidates; only the best go to the real objective and its oracle.
"""

from __future__ import annotations

import logging
from copy import deepcopy

import numpy as np

from athanor.core.errors import ConfigError
from athanor.core.records import Molecule
from athanor.objectives.cache import ScoringCache
from athanor.objectives.objective import Objective
from athanor.objectives.predictions import SurrogateComponent
from athanor.workflows.design_config import DesignConfig

log = logging.getLogger(__name__)


def oracle_labels(objective: Objective) -> list[str]:
    """Labels of the objective's ``oracle`` components and constraints (the surrogate tasks)."""
    labels = [label for label, c in zip(objective.labels, objective.components, strict=True)
              if c.kind == "oracle"]  # fmt: skip
    labels += [c.label for c in objective.constraints if c.component.kind == "oracle"]
    return list(dict.fromkeys(labels))


def new_surrogate(config: DesignConfig):
    """An unfitted surrogate of the loop (``loop.surrogate``), seeded by the campaign.

    Raises:
        ConfigError: an unknown model, or a parameter it does not have or of the wrong type.
    """
    from athanor.models.registry import make_surrogate  # torch-heavy: only in closed loops

    try:
        return make_surrogate(config.loop.surrogate, {"seed": config.seed} | config.loop.params)
    except ConfigError as error:
        raise ConfigError(f"loop.surrogate: {error}") from None


def _proxy_config(config: DesignConfig, objective: Objective) -> dict:
    """The objective table with each oracle table replaced by a surrogate table."""
    table = deepcopy(config.objective.model_dump(mode="json"))
    tasks = oracle_labels(objective)
    labels = {"components": objective.labels,
              "constraints": [c.label for c in objective.constraints]}  # fmt: skip
    for group in ("components", "constraints"):
        for item, label in zip(table[group], labels[group], strict=True):
            if item["kind"] == "oracle":
                item |= {"kind": "surrogate", "name": label}
                item["params"] = {"model": None, "task": tasks.index(label),
                                  "bound": config.loop.bound, "beta": config.loop.beta}  # fmt: skip
    return table


class SurrogateScreen:
    """Ranks candidates with the proxy objective; retrained on every new oracle value.

    Args:
        config: the campaign configuration (its `loop` table).
        objective: the real objective (its oracle components name the surrogate's tasks).

    Raises:
        ConfigError: the objective has no ``oracle`` component to learn.
    """

    def __init__(self, config: DesignConfig, objective: Objective):
        self.config = config
        self.loop = config.loop
        self.tasks = oracle_labels(objective)
        if not self.tasks:
            raise ConfigError("loop.surrogate needs an 'oracle' component in the objective")
        self.proxy = Objective.from_config(_proxy_config(config, objective))
        self.model_ = None
        self.n_train_ = 0

    @property
    def ready(self) -> bool:
        """Whether enough oracle values exist (``loop.warmup``) to screen with the surrogate."""
        return self.model_ is not None and self.n_train_ >= self.loop.warmup

    def refit(self, objective: Objective) -> None:
        """Retrain on every oracle value in the objective's cache (NaN where one failed)."""
        entries = objective.cache.entries
        smiles = list(entries)
        y = np.array([[entries[s].values.get(t, np.nan) for t in self.tasks] for s in smiles])
        y = y.reshape(len(smiles), len(self.tasks))
        known = np.isfinite(y).any(axis=1)
        if known.sum() < max(2, self.loop.warmup) or known.sum() == self.n_train_:
            return
        model = new_surrogate(self.config)
        self.model_ = model.fit(list(np.array(smiles)[known]), y[known])
        self.n_train_ = int(known.sum())
        for component in self.proxy.components + [c.component for c in self.proxy.constraints]:
            if isinstance(component, SurrogateComponent):
                component.model = self.model_
        self.proxy.cache = ScoringCache()  # proxy scores change with the model
        log.info("surrogate %s retrained on %d molecules", self.loop.surrogate, self.n_train_)

    def best(self, molecules: list[Molecule], size: int) -> list[Molecule]:
        """The `size` candidates the proxy objective scores highest."""
        batch = self.proxy([m.smiles for m in molecules])
        scores = batch.scores if batch.scores.ndim == 1 else batch.scores.mean(axis=1)
        order = np.argsort(-scores, kind="stable")[:size]
        return [molecules[i] for i in order]
