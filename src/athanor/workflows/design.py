"""Design campaigns: a generator proposes, the objective scores, the generator learns.

Like a screening campaign, a design campaign is a sequence of store states. Each round's
molecules are recorded as the run's selections before they are scored, and their scores are
committed every `COMMIT_EVERY` molecules as they are computed (`design_state`), so a campaign
killed at any moment loses at most the slice it was scoring and resumes with `run`: the
generator is replayed with every stored score (nothing committed is scored twice), the pending
molecules of the interrupted round are scored first, and the loop continues.
Invalid proposals score 0 and are counted; they never stop a run, nor does a molecule whose
oracle failed (it scores 0), unless the oracle fails for a whole round's worth of molecules
in a row (`failure_limit`): then the set-up is broken, and the run stops before it spends
its budget on failures.
"""

from __future__ import annotations

import inspect
import logging
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from athanor.chem import standardize_many
from athanor.core.errors import OracleSetupError
from athanor.core.records import Molecule
from athanor.generators.base import Generator
from athanor.generators.registry import make_generator
from athanor.generators.screened import ScreenedGenerator
from athanor.objectives.objective import Objective, ScoreBatch
from athanor.store import Store
from athanor.workflows import design_state as state
from athanor.workflows.design_config import DesignConfig
from athanor.workflows.design_loop import SurrogateScreen, new_surrogate, oracle_labels
from athanor.workflows.runs import find_or_start_run, stored_config

log = logging.getLogger(__name__)
RUN_KIND = "design"
# molecules scored between two commits: a killed round loses at most this many scores (an
# xTB oracle may take minutes a molecule), at the cost of smaller batches for the components
COMMIT_EVERY = 8
MAX_EMPTY_ROUNDS = 5  # rounds in a row without a new valid molecule before a run gives up
# molecules in a row whose oracle failed that stop a run whatever the batch size: a few bad
# molecules in a row are chemistry, this many a broken set-up (a licence, a missing file)
MIN_FAILURE_LIMIT = 10


@dataclass
class DesignStatus:
    """Where a design campaign stands (derived from the store, over every session)."""

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
        self.oracle_failures: list[str] = []  # reasons of the latest oracle failures in a row

    @classmethod
    def open(cls, store: Store, config: DesignConfig) -> DesignCampaign:
        """Start the campaign, or reopen it (same name and config) where it stopped.

        Raises:
            ConfigError: unknown generator, component, oracle function or program, loop
                surrogate or parameter (naming the allowed ones), or a name clash with another
                configuration; all checked before the run is recorded.
        """
        objective = Objective.from_config(config.objective)  # builds (checks) its oracles
        if config.loop.surrogate is not None:
            new_surrogate(config)  # checked now: a bad one would stop the run after warm-up
        generator = _make_generator(config, objective)
        campaign = cls(
            store, config, find_or_start_run(store, RUN_KIND, config), objective, generator
        )
        campaign._restore()
        return campaign

    @classmethod
    def resume(cls, store: Store, name: str) -> DesignCampaign:
        """Reopen the campaign `name` from the configuration saved in the store."""
        return cls.open(store, stored_config(store, RUN_KIND, name, DesignConfig))

    # -- state, derived from the store -------------------------------------------------------

    def history(self) -> pd.DataFrame:
        """Selected molecules in order: round, molecule_id, smiles, status, message, the score
        columns, the raw values and call; NaN where a molecule has no such value (yet)."""
        chosen = self.store.selections_frame(self.run_id)[["round", "molecule_id", "smiles"]]
        columns = ["status", "message", *self.columns, *self.objective.value_labels]
        scores = state.load_scores(self.store, self.fingerprint, self.run_id)
        scores = scores.reindex(columns=list(dict.fromkeys(["molecule_id", *columns])))
        history = chosen.merge(scores, on="molecule_id", how="left")
        history["call"] = np.arange(1, len(history) + 1)
        return history

    def status(self) -> DesignStatus:
        """Where the campaign stands; the best is the top-scoring ``ok`` molecule (None while
        there is none: nothing scored yet, or every molecule failed or was rejected)."""
        history = self.history()
        scored = history.dropna(subset=["status"])
        ok = scored[scored["status"] == "ok"]
        best = ok.sort_values(self.columns[0], ascending=False).head(1)
        return DesignStatus(
            name=self.config.name,
            round=int(history["round"].max()) if len(history) else -1,
            calls=len(scored),
            budget=self.config.budget.oracle_calls,
            invalid=int(self.proposals["invalid"].sum()),
            failed=int((scored["status"] == "failed").sum()),
            best_score=float(best[self.columns[0]].iloc[0]) if len(best) else None,
            best_smiles=str(best["smiles"].iloc[0]) if len(best) else None,
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
        state.prefill_cache(
            self.objective, state.load_scores(self.store, self.fingerprint, self.run_id)
        )
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
        """Run rounds until the budget (or `max_rounds`) is spent; return the final status.

        Raises:
            OracleSetupError: the oracle failed for `failure_limit` molecules in a row (what
                was scored is kept; once the oracle is fixed, `run` goes on with the rest of
                the budget, and a campaign under a new name scores the failed ones again).
        """
        empty = 0
        with self.objective:  # its oracle workers stop with the run, however it ends
            while not self._done(self.store.selections_frame(self.run_id)):
                empty = 0 if self.step() else empty + 1
                if empty == MAX_EMPTY_ROUNDS:
                    log.warning("no new valid molecule in %d rounds: stopping", empty)
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
        """Score a round's molecules (`ids` aligned with `smiles`), committing every
        `COMMIT_EVERY` of them before the next are computed; then learn from the round."""
        for start in range(0, len(smiles), COMMIT_EVERY):
            end = start + COMMIT_EVERY
            batch = self.objective(smiles[start:end])
            state.record_scores(
                self.store, self.fingerprint, self.run_id, ids[start:end], batch, self.columns
            )
            self._check_oracles(batch)
        self._tell(smiles)
        if self.screen is not None:
            self.screen.refit(self.objective)

    @property
    def failure_limit(self) -> int:
        """Molecules in a row whose oracle failed that stop the run: a round's worth (the
        whole budget if smaller), and at least `MIN_FAILURE_LIMIT`."""
        budget = self.config.budget
        return max(min(budget.batch_size, budget.oracle_calls), MIN_FAILURE_LIMIT)

    def _check_oracles(self, batch: ScoreBatch) -> None:
        """Count the molecules in a row whose oracle component (or constraint) failed.

        Raises:
            OracleSetupError: `failure_limit` of them, naming the most common failure.
        """
        labels = oracle_labels(self.objective)
        for i, status in enumerate(batch.status):
            failed = status == "failed" and np.isnan([batch.values[k][i] for k in labels]).any()
            self.oracle_failures = [*self.oracle_failures, batch.reasons[i]] if failed else []
        if len(self.oracle_failures) >= self.failure_limit:
            reason, count = Counter(self.oracle_failures).most_common(1)[0]
            raise OracleSetupError(
                f"the oracle failed for the last {len(self.oracle_failures)} molecules in a "
                f"row ({count} times: {reason}); stopped before spending the budget: fix the "
                "oracle and run again (a new campaign name scores these molecules again)"
            )

    def _tell(self, smiles: list[str]) -> None:
        """Tell the generator the (scalar) scores of molecules already in the cache."""
        scores = np.array([np.mean(self.objective.cache[s].score) for s in smiles])
        self.generator.tell(smiles, scores)
