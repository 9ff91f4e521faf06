"""The objective: SMILES -> scores in [0, 1], each unique molecule computed once.

>>> objective = Objective.from_config({"components": [{"kind": "qed"}]})
>>> batch = objective(["CCO", "not a smiles"])
>>> batch.status, batch.scores.round(3).tolist()
(['ok', 'invalid'], [0.407, 0.0])
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rdkit import Chem

from athanor.chem.parse import parse_molecule
from athanor.core.config import validate_config
from athanor.core.errors import ConfigError, MoleculeError, StoreError, WorkerStartError
from athanor.core.labels import unique_labels
from athanor.objectives.aggregate import aggregate
from athanor.objectives.cache import ScoringCache
from athanor.objectives.components import Component, make_component
from athanor.objectives.config import ComponentSpec, ObjectiveConfig, located
from athanor.objectives.constraints import Constraint
from athanor.objectives.desirability import TRANSFORMS, Identity, make_desirability

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoreBatch:
    """Scores of n input molecules.

    Attributes:
        smiles: canonical SMILES, or the input as given where it could not be parsed.
        scores: shape (n,) in scalar mode, (n, k) in Pareto mode; in [0, 1], 0 unless ok.
        status: ``ok``, ``invalid`` (unparsable), ``failed`` (a component raised) or
            ``rejected`` (a hard constraint is violated), per molecule.
        reasons: why a molecule is not ok; empty strings where it is.
        values: label -> shape (n,) raw values of components and constraints (NaN if none).
        calls: shape (n,), the unique-call index of each molecule (0 for invalid inputs).
    """

    smiles: list[str]
    scores: np.ndarray
    status: list[str]
    reasons: list[str]
    values: dict[str, np.ndarray]
    calls: np.ndarray

    @property
    def valid(self) -> np.ndarray:
        """Shape (n,), False where the input could not be parsed."""
        return np.array([s != "invalid" for s in self.status], dtype=bool)

    def frame(self) -> pd.DataFrame:
        """One row per input: smiles, score(s), status, reason, call and raw values."""
        scores = self.scores if self.scores.ndim == 2 else self.scores[:, None]
        columns = {"smiles": self.smiles}
        names = (
            ["score"] if scores.shape[1] == 1 else [f"score_{i}" for i in range(scores.shape[1])]
        )
        columns |= {name: scores[:, i] for i, name in enumerate(names)}
        columns |= {"status": self.status, "reason": self.reasons, "call": self.calls}
        return pd.DataFrame(columns | self.values)


@dataclass(frozen=True)
class _Parsed:
    """One input: its canonical SMILES (the input itself when invalid), molecule, reason."""

    key: str
    mol: Chem.Mol | None
    reason: str = ""


def _parse(text: str) -> _Parsed:
    try:
        mol = parse_molecule(text, fmt="smiles")
    except MoleculeError as error:
        return _Parsed(text, None, f"{error.reason}: {error}")
    return _Parsed(Chem.MolToSmiles(mol), mol)


# columns of the results that a component's or constraint's raw value must not overwrite:
# `ScoreBatch.frame`, the store's evaluations (`Store.evaluations_frame`: the evaluations
# table, smiles and oracle) and a design campaign's history (round, call); ``score`` and the
# ``score_<label>`` (Pareto) columns hold the scores
RESERVED_LABELS = frozenset({
    "attempt", "call", "created_at", "fingerprint", "geometry", "host", "id", "message",
    "molecule_id", "oracle", "reason", "round", "run_id", "runtime_s", "score", "smiles",
    "status", "transient", "versions",
})  # fmt: skip
RESERVED_PREFIX = "score_"

# errors of the set-up, not of a molecule: scoring them per molecule would record every
# molecule of the campaign as failed
SETUP_ERRORS = (ConfigError, StoreError, WorkerStartError)


def _safe_values(component: Component, mols: list, keys: list[str]):
    """A component's values; if the batch call raises, retry molecule by molecule.

    Raises:
        ConfigError, StoreError, WorkerStartError: problems of the set-up, not of a molecule.
    """
    try:
        return component.values(mols, keys)
    except SETUP_ERRORS:
        raise
    except Exception as error:
        log.debug("component %s failed on a batch (%s); scoring one by one", component.kind, error)
    values, reasons = np.full(len(mols), np.nan), [""] * len(mols)
    for i, (mol, key) in enumerate(zip(mols, keys, strict=True)):
        try:
            values[i] = component.values([mol], [key])[0][0]
        except SETUP_ERRORS:
            raise
        except Exception as error:
            reasons[i] = f"{component.kind}: {type(error).__name__}: {error}"
    return values, reasons


class Objective:
    """Composed, cached scoring function.

    Args:
        config: the validated objective configuration.

    Attributes:
        labels: names of the components, in order (the k columns in Pareto mode).
        cache: every unique molecule scored so far; ``cache.n_calls`` counts them.
    """

    def __init__(self, config: ObjectiveConfig):
        self.config = config
        specs, bounds = config.component_specs(), config.constraint_specs()
        self.labels = _component_labels(specs)
        _check_reserved(self.labels, [spec.label for spec in bounds])
        self.components, self.transforms = [], []
        for index, (spec, label) in enumerate(zip(specs, self.labels, strict=True)):
            where = f"objective.components[{index}] ('{label}')"
            with located(where):
                self.components.append(make_component(spec.kind, spec.params))
            with located(f"{where} desirability"):
                self.transforms.append(make_desirability(spec.desirability))
        _check_unit_scores(self.labels, self.components, self.transforms)
        self.weights = np.array([spec.weight for spec in specs])
        self.constraints = []
        for index, spec in enumerate(bounds):
            with located(f"objective.constraints[{index}] ('{spec.label}')"):
                self.constraints.append(Constraint(spec))
        _check_shared_labels(dict(zip(self.labels, self.components, strict=True)), self.constraints)
        self.cache = ScoringCache()

    @classmethod
    def from_config(cls, config: ObjectiveConfig | dict) -> Objective:
        """Build from a config object or its TOML table (raises `ConfigError` when invalid)."""
        if isinstance(config, dict):
            config = validate_config(ObjectiveConfig, config)
        return cls(config)

    def close(self) -> None:
        """Stop the worker processes of the components (oracle calls); the objective
        still scores afterwards, starting them again when needed."""
        for component in self.components + [c.component for c in self.constraints]:
            component.close()

    def __enter__(self) -> Objective:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def value_labels(self) -> list[str]:
        """Labels of every raw value: components, then constraints not already listed."""
        return list(dict.fromkeys(self.labels + [c.label for c in self.constraints]))

    @property
    def n_objectives(self) -> int:
        """1 in scalar mode, the number of components in Pareto mode."""
        return len(self.labels) if self.config.mode == "pareto" else 1

    def __call__(self, smiles: Sequence[str]) -> ScoreBatch:
        """Score molecules; unique new ones are computed, the others come from the cache."""
        parsed = [_parse(text) for text in smiles]
        new = {p.key: p.mol for p in parsed if p.mol is not None and p.key not in self.cache}
        if new:
            self._score_new(list(new), list(new.values()))
        self.cache.n_invalid += sum(p.mol is None for p in parsed)
        return self._batch(parsed)

    def _score_new(self, keys: list[str], mols: list[Chem.Mol]) -> None:
        values: dict[str, np.ndarray] = {}
        reasons = [[] for _ in keys]
        for label, component in zip(self.labels, self.components, strict=True):
            values[label], why = _safe_values(component, mols, keys)
            _collect(reasons, why)
        bounds = []
        for constraint in self.constraints:
            if constraint.label not in values:  # else a component's, or another bound's
                values[constraint.label], why = _safe_values(constraint.component, mols, keys)
                _collect(reasons, why)
            bounds.append(constraint.satisfied(values[constraint.label]))
        desirability = np.stack(
            [
                transform(values[label])
                for label, transform in zip(self.labels, self.transforms, strict=True)
            ],
            axis=1,
        )
        self._record(keys, values, reasons, desirability, bounds)

    def _record(self, keys, values, reasons, desirability, bounds) -> None:
        failed = np.array([bool(r) for r in reasons]) | np.isnan(desirability).any(axis=1)
        d = np.nan_to_num(desirability, nan=0.0)
        if self.config.mode == "pareto":
            scores = d
        else:
            scores = aggregate(d, self.weights, self.config.aggregate)
        for i, key in enumerate(keys):
            violated = [
                c.describe() for c, ok in zip(self.constraints, bounds, strict=True) if not ok[i]
            ]
            status, reason = "ok", ""
            if failed[i]:
                status, reason = "failed", "; ".join(reasons[i]) or "desirability is NaN"
            elif violated:
                status, reason = "rejected", "violates " + ", ".join(violated)
            score = scores[i] if status == "ok" else scores[i] * 0.0
            row = {label: float(column[i]) for label, column in values.items()}
            self.cache.add(key, score, row, status, reason)

    def _batch(self, parsed: list[_Parsed]) -> ScoreBatch:
        n = len(parsed)
        scores = np.zeros((n, self.n_objectives) if self.config.mode == "pareto" else n)
        values = {label: np.full(n, np.nan) for label in self.value_labels}
        status, reasons, calls = ["invalid"] * n, [p.reason for p in parsed], np.zeros(n, int)
        for i, item in enumerate(parsed):
            if item.mol is None:
                continue
            entry = self.cache[item.key]
            scores[i], calls[i], status[i], reasons[i] = (
                entry.score, entry.call, entry.status, entry.reason,
            )  # fmt: skip
            for label, value in entry.values.items():
                values[label][i] = value
        return ScoreBatch([p.key for p in parsed], scores, status, reasons, values, calls)


def _component_labels(specs: list[ComponentSpec]) -> list[str]:
    """The components' labels: a repeated default label is suffixed by its occurrence
    (``similarity, similarity_2``), a name is kept as given.

    Raises:
        ConfigError: a label that an earlier component already has (a repeated name, or a
            name that an earlier component has or was given as a suffixed default).
    """
    labels = unique_labels([spec.label for spec in specs])
    for index, (spec, label) in enumerate(zip(specs, labels, strict=True)):
        wanted = spec.name or label
        if labels.index(wanted) != index:
            raise ConfigError(
                f"objective.components[{index}]: label '{wanted}' is already that of "
                f"objective.components[{labels.index(wanted)}]; give each its own 'name'"
            )
    return labels


def _check_reserved(components: list[str], constraints: list[str]) -> None:
    """Refuse a component or constraint label that names a column of the results.

    Raises:
        ConfigError: naming the table and the reserved names.
    """
    places = [("components", i, label) for i, label in enumerate(components)]
    places += [("constraints", i, label) for i, label in enumerate(constraints)]
    for where, index, label in places:
        if label in RESERVED_LABELS or label.startswith(RESERVED_PREFIX):
            reserved = ", ".join(sorted(RESERVED_LABELS))
            raise ConfigError(
                f"objective.{where}[{index}]: label '{label}' names a column of the results; "
                f"give it another 'name' (reserved: {reserved}, {RESERVED_PREFIX}*)"
            )


def _check_unit_scores(labels: list[str], components: list[Component], transforms: list) -> None:
    """Refuse a component whose raw values leave [0, 1] and that has no transform to [0, 1].

    Raises:
        ConfigError: naming the component and the transforms to choose from.
    """
    for index, (label, component, transform) in enumerate(
        zip(labels, components, transforms, strict=True)
    ):
        if isinstance(transform, Identity) and not component.unit_interval:
            kinds = ", ".join(kind for kind in TRANSFORMS if kind != "identity")
            raise ConfigError(
                f"objective.components[{index}] ('{label}'): its raw values are not in [0, 1]; "
                f"give it a desirability ({kinds})"
            )


def _check_shared_labels(defined: dict[str, Component], constraints: list[Constraint]) -> None:
    """A constraint labelled like a component (or an earlier constraint) must bound the very
    same raw value, which is then computed once.

    Raises:
        ConfigError: the same label for another kind or other parameters.
    """
    for constraint in constraints:
        component = constraint.component
        other = defined.setdefault(constraint.label, component)
        if (other.kind, other.params) != (component.kind, component.params):
            raise ConfigError(
                f"constraint '{constraint.label}' bounds another value than the component or "
                "constraint of that label: give it its own 'name'"
            )


def _collect(reasons: list[list[str]], new: list[str]) -> None:
    for bucket, reason in zip(reasons, new, strict=True):
        if reason:
            bucket.append(reason)
