"""Objectives: compose a score in [0, 1] from molecular components.

Components (RDKit properties, similarity, substructures, structural alerts, isomer targets,
surrogate predictions, oracle calls) are mapped to [0, 1] by desirability transforms,
aggregated (weighted arithmetic or geometric mean) or kept apart for Pareto optimisation,
and zeroed by hard constraints. Each unique molecule is scored once (`ScoringCache`).

>>> from athanor.objectives import Objective
>>> objective = Objective.from_config({"components": [{"kind": "qed"}],
...                                    "constraints": [{"kind": "sa", "max": 3.5}]})
>>> objective(["CCO", "c1ccccc1O"]).scores
"""

from athanor.objectives.aggregate import aggregate
from athanor.objectives.cache import ScoredMolecule, ScoringCache
from athanor.objectives.components import Component, component_kinds, register_component
from athanor.objectives.config import ComponentSpec, ConstraintSpec, ObjectiveConfig
from athanor.objectives.desirability import make_desirability
from athanor.objectives.objective import Objective, ScoreBatch
from athanor.objectives.pareto import (
    hypervolume,
    hypervolume_improvement,
    non_dominated_rank,
    pareto_front,
)

__all__ = [
    "Component",
    "ComponentSpec",
    "ConstraintSpec",
    "Objective",
    "ObjectiveConfig",
    "ScoreBatch",
    "ScoredMolecule",
    "ScoringCache",
    "aggregate",
    "component_kinds",
    "hypervolume",
    "hypervolume_improvement",
    "make_desirability",
    "non_dominated_rank",
    "pareto_front",
    "register_component",
]
