"""Design campaigns: a generator proposes, the objective scores, the generator learns.

Like a screening campaign, a design campaign is a sequence of store states. Each round's
molecules are recorded as the run's selections before they are scored, and every score is
committed as it is computed (`design_state`), so a campaign killed at any moment resumes with
`run`: the generator is replayed with every stored score (nothing is scored twice), the
pending molecules of the interrupted round are scored first, and the loop continues.
Invalid proposals score 0 and are counted; they never stop a run.
"""

from __future__ import annotations

import inspect
import json
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from athanor.chem import standardize_many
from athanor.core.errors import ConfigError, InputDataError
from athanor.core.records import Molecule
from athanor.generators.base import Generator
from athanor.generators.registry import make_generator
from athanor.generators.screened import ScreenedGenerator
from athanor.objectives.objective import Objective
from athanor.store import Store
from athanor.workflows import design_state as state
from athanor.workflows.design_config import DesignConfig
from athanor.workflows.design_loop import SurrogateScreen, oracle_labels

log = logging.getLogger(__name__)
RUN_KIND = "design"


@dataclass
class DesignStatus:
    """Where a design campaign stands (derived from the store and this session)."""

    name: str
    round: int
    calls: int
    budget: int
    invalid: int
    failed: int
    best_score: float | None
    best_smiles: str | None
    done: bool


def _make_generator(config: DesignConfig, objective: Objective) -> Generator:
    """The configured generator, given the campaign seed unless its parameters set one;
    behind a whole-score `ScreenedGenerator` when the loop has a surrogate but the objective
    has no ``oracle`` component to learn."""
    name, params = config.generator.name, config.generator.params
    generator = make_generator(name, **params)  # ConfigError naming the valid names/params
    if "seed" in inspect.signature(type(generator)).parameters and "seed" not in params:
        generator = make_generator(name, **params, seed=config.seed)
    loop = config.loop
    if loop.surrogate is None or oracle_labels(objective):
        return generator
    sign = {"mean": 0.0, "upper": 1.0, "lower": -1.0}[loop.bound]
    return ScreenedGenerator(
        generator,
        loop.surrogate,
        loop.params,
        oversample=max(1, -(-loop.candidates // config.budget.batch_size)),
        warmup=loop.warmup,
        beta=sign * loop.beta,
        seed=config.seed,
    )


def _find_or_start_run(store: Store, config: DesignConfig) -> int:
    runs = store.runs_frame(RUN_KIND)
    same = runs[runs["name"] == config.name]
    dumped = config.model_dump(mode="json")
    if same.empty:
        return store.start_run(RUN_KIND, config.name, dumped, config.seed)
    if json.loads(same.iloc[-1]["config"]) != json.loads(json.dumps(dumped, default=str)):
        raise ConfigError(
            f"a design campaign named '{config.name}' exists in this project with another "
            "configuration: resume it unchanged, or choose another name"
        )
    return int(same.iloc[-1]["id"])


class DesignCampaign:
    """One design campaign in one store. Build it with `DesignCampaign.open`."""

    def __init__(self, store: Store, config: DesignConfig, run_id: int, objective, generator):
        self.store = store
        self.config = config
        self.run_id = run_id
        self.objective: Objective = objective
        self.generator = generator
        self.fingerprint = state.register_objective(store, objective)
        self.columns = state.score_columns(objective)
        learns_oracle = config.loop.surrogate is not None and oracle_labels(objective)
        self.screen = SurrogateScreen(config, objective) if learns_oracle else None
        self.proposals = pd.DataFrame({"round": [], "proposed": [], "invalid": []}, dtype=int)

    @classmethod
    def open(cls, store: Store, config: DesignConfig) -> DesignCampaign:
        """Start the campaign, or reopen it (same name and config) where it stopped.

        Raises:
            ConfigError: unknown generator, component or parameter (naming the allowed ones),
                or a name clash with another configuration.
        """
        objective = Objective.from_config(config.objective)
        generator = _make_generator(config, objective)
        campaign = cls(store, config, _find_or_start_run(store, config), objective, generator)
        campaign._restore()
        return campaign

    @classmethod
    def resume(cls, store: Store, name: str) -> DesignCampaign:
        """Reopen the campaign `name` from the configuration saved in the store."""
        runs = store.runs_frame(RUN_KIND)
        match = runs[runs["name"] == name]
        if match.empty:
            known = ", ".join(runs["name"].unique()) or "none"
            raise InputDataError(f"no design campaign named '{name}' (known: {known})")
        config = DesignConfig.model_validate(json.loads(match.iloc[-1]["config"]))
        return cls.open(store, config)

    # -- state, derived from the store -------------------------------------------------------

    def history(self) -> pd.DataFrame:
        """Selected molecules in order: round, molecule_id, smiles, call, status, scores, values."""
        chosen = self.store.selections_frame(self.run_id)[["round", "molecule_id", "smiles"]]
        scores = state.load_scores(self.store, self.fingerprint)
        keep = [c for c in scores.columns if c in {"molecule_id", "status", "message"}
                or c in self.columns or c in self.objective.value_labels]  # fmt: skip
        history = chosen.merge(scores[keep], on="molecule_id", how="left") if keep else chosen
        history["call"] = np.arange(1, len(history) + 1)
        return history

    def status(self) -> DesignStatus:
        history = self.history()
        scored = history.dropna(subset=["status"]) if "status" in history else history.iloc[:0]
        best = scored.sort_values(self.columns[0], ascending=False).head(1) if len(scored) else None
        return DesignStatus(
            name=self.config.name,
            round=int(history["round"].max()) if len(history) else -1,
            calls=len(scored),
            budget=self.config.budget.oracle_calls,
            invalid=int(self.proposals["invalid"].sum()),
            failed=int((scored["status"] == "failed").sum()) if len(scored) else 0,
            best_score=None if best is None else float(best[self.columns[0]].iloc[0]),
            best_smiles=None if best is None else str(best["smiles"].iloc[0]),
            done=self._done(history),
        )

    def _done(self, history: pd.DataFrame) -> bool:
        budget = self.config.budget
        rounds = int(history["round"].max()) + 1 if len(history) else 0
        return len(history) >= budget.oracle_calls or (
            budget.max_rounds is not None and rounds >= budget.max_rounds
        )

    # -- the loop ----------------------------------------------------------------------------

    def _restore(self) -> None:
        """Refill the cache from the store and replay the run's scores to the generator."""
        state.prefill_cache(self.objective, state.load_scores(self.store, self.fingerprint))
        self.proposals = state.load_proposals(self.store, self.run_id, self.proposals)
        history = self.store.selections_frame(self.run_id)
        done = history[history["smiles"].isin(self.objective.cache.entries)]
        if len(done):
            self._tell(done["smiles"].tolist())
        if self.screen is not None:
            self.screen.refit(self.objective)
        pending = history[~history["smiles"].isin(self.objective.cache.entries)]
        if len(pending):
            log.info("resuming: scoring %d pending molecules", len(pending))
            self._score(pending["smiles"].tolist(), pending["molecule_id"].tolist())

    def run(self) -> DesignStatus:
        """Run rounds until the budget (or `max_rounds`) is spent; return the final status."""
        while not self._done(self.store.selections_frame(self.run_id)):
            if not self.step():
                log.warning("the generator proposed no new molecule: stopping")
                break
        self.store.finish_run(self.run_id)
        return self.status()

    def step(self) -> int:
        """One round: propose, record, score, learn. Returns the number of molecules scored."""
        chosen = self.store.selections_frame(self.run_id)
        round_ = int(chosen["round"].max()) + 1 if len(chosen) else 0
        size = min(self.config.budget.batch_size, self.config.budget.oracle_calls - len(chosen))
        molecules = self._propose(size, set(chosen["smiles"]), round_)
        if not molecules:
            return 0
        ids = self.store.add_molecules(molecules)
        self.store.record_selection(self.run_id, round_, ids)
        self._score([m.smiles for m in molecules], ids)
        log.info("round %d: %d scored (%d calls)", round_, len(ids), len(chosen) + len(ids))
        return len(ids)

    def _propose(self, size: int, chosen: set[str], round_: int) -> list[Molecule]:
        """Up to `size` valid molecules new to this run (invalid proposals score 0 to the
        generator and are counted in the store's proposals table)."""
        ask = self.config.loop.candidates if self._screening() else size
        proposals = self.generator.ask(ask)
        results = standardize_many(proposals)
        invalid = [
            p for p, r in zip(proposals, results, strict=True) if not isinstance(r, Molecule)
        ]
        if invalid:
            self.objective.cache.n_invalid += len(invalid)
            self.generator.tell(invalid, np.zeros(len(invalid)))
        row = pd.DataFrame({"round": [round_], "proposed": [len(proposals)],
                            "invalid": [len(invalid)]})  # fmt: skip
        self.proposals = pd.concat([self.proposals, row], ignore_index=True)
        state.save_proposals(self.store, self.run_id, self.proposals)
        fresh = {r.smiles: r for r in results if isinstance(r, Molecule) and r.smiles not in chosen}
        molecules = list(fresh.values())
        if self._screening():
            molecules = self.screen.best(molecules, size)
        return molecules[:size]

    def _screening(self) -> bool:
        return self.screen is not None and self.screen.ready

    def _score(self, smiles: list[str], ids: list[int]) -> None:
        batch = self.objective(smiles)
        state.record_scores(self.store, self.fingerprint, self.run_id, ids, batch, self.columns)
        self._tell(smiles)
        if self.screen is not None:
            self.screen.refit(self.objective)

    def _tell(self, smiles: list[str]) -> None:
        """Tell the generator the (scalar) scores of molecules already in the cache."""
        scores = np.array([np.mean(self.objective.cache[s].score) for s in smiles])
        self.generator.tell(smiles, scores)
