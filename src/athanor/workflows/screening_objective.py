"""From oracle properties to the campaign's objective, and cheap RDKit constraints."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from athanor.chem.descriptors import qed, sa_score
from athanor.chem.parse import parse_molecule
from athanor.core.errors import ConfigError
from athanor.workflows.screening_config import ConstraintConfig, ObjectiveConfig


def _opv_pce(frame: pd.DataFrame) -> np.ndarray:
    from athanor.oracles.energy_materials import scharber_pce_donor

    return scharber_pce_donor(frame["homo"].to_numpy(), frame["lumo"].to_numpy())


# derived objective -> (oracle properties it needs, function of the labels frame)
DERIVED: dict[str, tuple[tuple[str, ...], Callable[[pd.DataFrame], np.ndarray]]] = {
    "opv_pce": (("homo", "lumo"), _opv_pce),
}


def required_properties(objective: ObjectiveConfig) -> tuple[str, ...]:
    return (
        DERIVED[objective.property][0] if objective.property in DERIVED else (objective.property,)
    )


def check_objective(objective: ObjectiveConfig, oracle_properties: Sequence[str]) -> None:
    """Fail at start if the oracle cannot provide what the objective needs."""
    missing = [p for p in required_properties(objective) if p not in oracle_properties]
    if missing:
        raise ConfigError(
            f"objective '{objective.property}' needs {missing}, which the oracle does not "
            f"yield (it yields: {', '.join(oracle_properties)}; derived objectives: "
            f"{', '.join(DERIVED)})"
        )


def objective_values(labels: pd.DataFrame, objective: ObjectiveConfig) -> np.ndarray:
    """The objective of each labelled molecule, shape (n,), in the property's own units."""
    if objective.property in DERIVED:
        return np.asarray(DERIVED[objective.property][1](labels), dtype=float)
    return labels[objective.property].to_numpy(dtype=float)


def utility(values: np.ndarray, objective: ObjectiveConfig) -> np.ndarray:
    """Values turned to "larger is better" (acquisition's convention)."""
    return values if objective.direction == "maximize" else -values


def _mol_weight(smiles: str) -> float:
    from rdkit.Chem import Descriptors

    return Descriptors.MolWt(parse_molecule(smiles))


def _logp(smiles: str) -> float:
    from rdkit.Chem import Crippen

    return Crippen.MolLogP(parse_molecule(smiles))


CONSTRAINT_FUNCTIONS: dict[str, Callable[[str], float]] = {
    "sa_score": sa_score,
    "qed": qed,
    "mol_weight": _mol_weight,
    "logp": _logp,
    "heavy_atoms": lambda smiles: parse_molecule(smiles).GetNumHeavyAtoms(),
}


def satisfies(smiles: Sequence[str], constraints: Sequence[ConstraintConfig]) -> np.ndarray:
    """Whether each molecule meets every constraint, shape (n,) bool."""
    ok = np.ones(len(smiles), dtype=bool)
    for constraint in constraints:
        values = np.array([CONSTRAINT_FUNCTIONS[constraint.property](s) for s in smiles])
        if constraint.min is not None:
            ok &= values >= constraint.min
        if constraint.max is not None:
            ok &= values <= constraint.max
    return ok
