"""Active-learning screening campaigns over a candidate pool.

A campaign is a sequence of store states: its config is a run, each round's batch is recorded
in the store's selections before any oracle call, and every oracle result is committed as it
arrives. So a campaign killed at any moment resumes with `run` (or `ask`) exactly where it
stopped: the pending batch is finished first, nothing finished is recomputed, and the next
batch is chosen deterministically from the seed and the round number.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from athanor.core.errors import ConfigError, InputDataError
from athanor.core.records import Evaluation
from athanor.store import Store
from athanor.workflows import screening_selection as selection
from athanor.workflows.runs import find_or_start_run, stored_config
from athanor.workflows.screening_config import ScreeningConfig
from athanor.workflows.screening_objective import check_objective, objective_values, utility
from athanor.workflows.screening_pool import build_pool
from athanor.workflows.screening_retune import surrogate_params

log = logging.getLogger(__name__)
RUN_KIND = "screen"


@dataclass
class CampaignStatus:
    """Where a campaign stands (all numbers derived from the store)."""

    name: str
    round: int
    rounds: int
    calls: int
    budget: int
    ok: int
    failed: int
    pending: int
    best_value: float | None
    best_smiles: str | None
    done: bool


class ScreeningCampaign:
    """One campaign in one project store. Build it with `ScreeningCampaign.open`."""

    def __init__(self, store: Store, config: ScreeningConfig, run_id: int, pool, oracle):
        self.store = store
        self.config = config
        self.run_id = run_id
        self.pool = pool
        self.oracle = oracle
        self.timings: list[dict[str, float]] = []  # per acquisition round, this session

    @classmethod
    def open(cls, store: Store, config: ScreeningConfig) -> ScreeningCampaign:
        """Start the campaign, or reopen it if the store has it with the same config.

        Raises:
            ConfigError: unknown oracle/objective, an impossible budget, or a name clash.
        """
        from athanor.models.registry import make_surrogate as check_surrogate
        from athanor.oracles import make_oracle

        oracle = make_oracle(config.oracle.name, **config.oracle.params)
        for objective in config.all_objectives:
            check_objective(objective, list(oracle.properties))
        check_surrogate(config.surrogate.model, config.surrogate.params)  # not after calls
        pool = build_pool(store, config.pool)
        if len(pool) < config.loop.initial_size:
            raise ConfigError(
                f"the pool has {len(pool)} valid molecules, fewer than the initial batch "
                f"of {config.loop.initial_size}"
            )
        store.register_oracle(
            oracle.fingerprint,
            oracle.name,
            oracle.version,
            oracle.identity()["parameters"],
            oracle.properties,
        )
        return cls(store, config, find_or_start_run(store, RUN_KIND, config), pool, oracle)

    @classmethod
    def resume(cls, store: Store, name: str) -> ScreeningCampaign:
        """Reopen the campaign `name` from the config saved in the store."""
        return cls.open(store, stored_config(store, RUN_KIND, name, ScreeningConfig))

    # -- state, all derived from the store ---------------------------------------------------

    def labels(self) -> pd.DataFrame:
        """Every molecule with a successful result for this oracle: ``value_<i>`` and
        ``utility_<i>`` (larger is better) of each objective i, and ``value``/``utility`` of
        the primary one (i = 0)."""
        # in molecule order, not in the order results arrived: the same seed gives the same
        # surrogate however the workers' timings fell
        frame = self.store.latest_values(self.oracle.fingerprint)
        frame = frame.sort_values("molecule_id", kind="stable").reset_index(drop=True)
        columns: dict[str, np.ndarray] = {}
        for i, objective in enumerate(self.config.all_objectives):
            values = objective_values(frame, objective) if len(frame) else np.array([])
            columns[f"value_{i}"] = values
            columns[f"utility_{i}"] = utility(values, objective)
        frame = frame.assign(value=columns["value_0"], utility=columns["utility_0"], **columns)
        finite = np.isfinite(frame[[c for c in columns if c.startswith("value_")]]).all(axis=1)
        return frame[finite].reset_index(drop=True)

    def utilities(self, labels: pd.DataFrame) -> np.ndarray:
        """The utilities of every objective, shape (n_labels, n_objectives)."""
        n = len(self.config.all_objectives)
        return labels[[f"utility_{i}" for i in range(n)]].to_numpy(dtype=float)

    def selections(self) -> pd.DataFrame:
        return self.store.selections_frame(self.run_id)

    def history(self) -> pd.DataFrame:
        """Selected molecules in order with their value (NaN if failed or pending)."""
        chosen = self.selections()
        labels = self.labels()[["molecule_id", "value", "utility"]]
        history = chosen.merge(labels, on="molecule_id", how="left")
        history["call"] = np.arange(1, len(history) + 1)
        history["best_utility"] = history["utility"].cummax()
        return history

    def _pending(self, chosen: pd.DataFrame) -> pd.DataFrame:
        if chosen.empty:
            return chosen
        finished = self.store.finished_molecule_ids(self.oracle.fingerprint)
        last = chosen[chosen["round"] == chosen["round"].max()]
        return last[~last["molecule_id"].isin(finished)]

    def _stalled(self) -> bool:
        patience = self.config.loop.patience
        if patience is None:
            return False
        best_by_round = self.history().groupby("round")["utility"].max().cummax()
        return len(best_by_round) > patience and (
            best_by_round.iloc[-1] <= best_by_round.iloc[-1 - patience]
        )

    def _next_batch_size(self, chosen: pd.DataFrame, round_: int) -> int:
        loop = self.config.loop
        if round_ > loop.rounds:
            return 0
        size = loop.initial_size if round_ == 0 else loop.batch_size
        return max(0, min(size, loop.total_calls - len(chosen)))

    # -- ask / tell --------------------------------------------------------------------------

    def ask(self) -> pd.DataFrame:
        """The batch to evaluate next (``molecule_id``, ``smiles``); empty when done.

        A batch is recorded in the store before it is returned, so asking again returns the
        same molecules until they all have results.
        """
        chosen = self.selections()
        pending = self._pending(chosen)
        if not pending.empty:
            return pending[["molecule_id", "smiles"]].reset_index(drop=True)
        round_ = 0 if chosen.empty else int(chosen["round"].max()) + 1
        candidates = self._candidates(chosen)
        size = min(self._next_batch_size(chosen, round_), len(candidates))
        if size == 0 or (round_ > 0 and self._stalled()):
            return self._finish(chosen)
        if round_ == 0:
            rows, scores = selection.initial_design(candidates, self.config, size), None
        else:
            rows, scores = self._acquire(candidates, round_, size)
        if len(rows) == 0:  # every candidate left violates the constraints
            if round_ == 0:
                raise ConfigError("no molecule of the pool satisfies the campaign's constraints")
            log.warning("round %d: no candidate left satisfies the constraints", round_)
            return self._finish(chosen)
        batch = candidates.iloc[rows]
        self.store.record_selection(self.run_id, round_, batch["molecule_id"].tolist(), scores)
        log.info("round %d: selected %d molecules", round_, len(batch))
        return batch.reset_index(drop=True)

    def _finish(self, chosen: pd.DataFrame) -> pd.DataFrame:
        """Mark the run finished; the empty batch `ask` returns then."""
        self.store.finish_run(self.run_id)
        return chosen.iloc[:0][["molecule_id", "smiles"]]

    def _candidates(self, chosen: pd.DataFrame) -> pd.DataFrame:
        excluded = set(chosen["molecule_id"]) | self.store.finished_molecule_ids(
            self.oracle.fingerprint
        )
        return self.pool[~self.pool["molecule_id"].isin(excluded)].reset_index(drop=True)

    def _acquire(self, candidates: pd.DataFrame, round_: int, size: int):
        if self.config.acquisition.function == "random":  # no surrogate needed
            scores = np.random.default_rng([self.config.seed, round_]).random(len(candidates))
            scored = pd.DataFrame({"acquisition": scores})
            rows = selection.acquire(scored, candidates, self.config, size)
            return rows, scores[rows].tolist()
        labels = self.labels()
        if labels.empty:
            raise InputDataError("no successful oracle results to train the surrogate on")
        params = surrogate_params(self.store, self.run_id, self.config, round_, labels)
        started = time.perf_counter()
        model = selection.make_surrogate(self.config, round_, params)
        observed = self.utilities(labels)
        model.fit(labels["smiles"].tolist(), observed)
        fitted = time.perf_counter()
        scored = selection.predict_and_score(model, candidates, self.config, observed, round_, size)
        self.timings.append(
            {"round": round_, "fit_s": fitted - started, "predict_s": time.perf_counter() - fitted}
        )
        log.info(
            "round %d: surrogate fit %.1f s, prediction of %d candidates %.1f s",
            round_,
            fitted - started,
            len(candidates),
            time.perf_counter() - fitted,
        )
        self.store.write_table(
            f"screen-{self.run_id}-round-{round_}", scored, kind="predictions", run_id=self.run_id
        )
        rows = selection.acquire(scored, candidates, self.config, size)
        return rows, scored["acquisition"].to_numpy()[rows].tolist()

    def tell(self, results: Mapping[str, Mapping[str, float] | Evaluation | None]) -> None:
        """Record results computed elsewhere (a lab, another cluster) for asked molecules.

        Raises:
            InputDataError: a molecule this campaign has not asked for (its result would
                otherwise train every later surrogate unnoticed).

        Args:
            results: canonical SMILES (as returned by `ask`) -> property values, an
                `Evaluation`, or None for a failed measurement.
        """
        asked = set(self.selections()["smiles"])
        unknown = [s for s in results if s not in asked]
        if unknown:
            raise InputDataError(f"molecules this campaign did not ask for: {unknown[:5]}")
        ids = self.store.molecule_ids(list(results))
        for smiles, result in results.items():
            if result is None:
                result = Evaluation("failed", message="no result reported")
            elif not isinstance(result, Evaluation):
                result = Evaluation("ok", dict(result))
            self.store.record_evaluation(
                ids[smiles], self.oracle.fingerprint, result, run_id=self.run_id
            )

    # -- the loop ----------------------------------------------------------------------------

    def run(self, progress: bool = True) -> CampaignStatus:
        """Ask, evaluate with the configured oracle and executor, repeat until done."""
        from athanor.execution.runner import run_oracle

        while not (batch := self.ask()).empty:
            summary = run_oracle(
                self.oracle,
                batch["smiles"].tolist(),
                self.store,
                self._executor(),
                progress=progress,
            )
            log.info("%s", summary.format())
        return self.status()

    def _executor(self):
        executor = self.config.executor
        if executor.kind == "ray":
            from athanor.execution.ray_executor import RayExecutor

            return RayExecutor(executor.workers, executor.address, executor.timeout_s)
        from athanor.execution.local import LocalExecutor

        return LocalExecutor(executor.workers, executor.timeout_s)

    def status(self) -> CampaignStatus:
        history = self.history()
        finished = self.store.finished_molecule_ids(self.oracle.fingerprint)
        evaluated = history[history["molecule_id"].isin(finished)]
        ok = evaluated[evaluated["value"].notna()]
        best = ok.loc[ok["utility"].idxmax()] if not ok.empty else None
        pending = len(self._pending(self.selections()))
        return CampaignStatus(
            name=self.config.name,
            round=int(history["round"].max()) if not history.empty else -1,
            rounds=self.config.loop.rounds,
            calls=len(evaluated),
            budget=self.config.loop.total_calls,
            ok=len(ok),
            failed=len(evaluated) - len(ok),
            pending=pending,
            best_value=None if best is None else float(best["value"]),
            best_smiles=None if best is None else str(best["smiles"]),
            done=self._is_finished(),
        )

    def _is_finished(self) -> bool:
        runs = self.store.runs_frame(RUN_KIND)
        return bool((runs.loc[runs["id"] == self.run_id, "status"] == "finished").any())
