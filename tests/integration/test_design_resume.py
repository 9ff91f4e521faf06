"""Design campaigns: a kill mid-round keeps the committed scores, all-failed campaigns report,
and a campaign saved before a defaulted config key existed reopens."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pytest
from rdkit import Chem
from sqlalchemy import update

from athanor.core.config import validate_config
from athanor.generators.base import Generator
from athanor.generators.registry import register_generator
from athanor.objectives import Component, register_component
from athanor.store import Store
from athanor.store.schema import runs
from athanor.workflows import design
from athanor.workflows.design import DesignCampaign
from athanor.workflows.design_config import DesignConfig
from athanor.workflows.design_report import write_report

# 36 distinct canonical SMILES: alkanes, alcohols and amines of 1 to 12 carbons
POOL = [f"{'C' * n}{tail}" for n in range(1, 13) for tail in ("", "O", "N")]


@register_component("test_killed_carbon_count")
class KilledCarbonCount(Component):
    """Carbon fraction of the heavy atoms; records what it computes and, like a killed
    process, raises KeyboardInterrupt on the `kill_at`-th molecule (1-based; 0: never)."""

    unit_interval = True
    computed: list[str] = []
    kill_at = 0

    def value(self, mol: Chem.Mol) -> float:
        cls = type(self)
        if len(cls.computed) + 1 == cls.kill_at:
            cls.kill_at = 0
            raise KeyboardInterrupt
        cls.computed.append(Chem.MolToSmiles(mol))
        carbons = sum(atom.GetSymbol() == "C" for atom in mol.GetAtoms())
        return carbons / mol.GetNumHeavyAtoms()


@register_component("test_always_fails")
class AlwaysFails(Component):
    """Raises for every molecule (an external program that is not installed)."""

    unit_interval = True

    def value(self, mol: Chem.Mol) -> float:
        raise RuntimeError("the program is not installed")


@register_generator("test_pool")
class PoolGenerator(Generator):
    """Proposes the molecules of POOL it has not been told about, in order; logs each tell."""

    def __init__(self, seed: int = 0):
        self.seed = seed

    def ask(self, n: int) -> list[str]:
        told = {s for batch in getattr(self, "tells_", []) for s in batch}
        return [s for s in POOL if s not in told][:n]

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        self.tells_ = [*getattr(self, "tells_", []), list(smiles)]


def _config(kind: str = "test_killed_carbon_count", **budget) -> DesignConfig:
    return validate_config(DesignConfig, {
        "name": "resume",
        "generator": {"name": "test_pool"},
        "objective": {"components": [{"kind": kind}]},
        "budget": {"oracle_calls": 30, "batch_size": 30} | budget,
    })  # fmt: skip


@pytest.fixture
def counted():
    KilledCarbonCount.computed, KilledCarbonCount.kill_at = [], 0
    yield KilledCarbonCount
    KilledCarbonCount.computed, KilledCarbonCount.kill_at = [], 0


def test_a_kill_mid_round_keeps_the_scores_of_committed_slices(store, counted):
    counted.kill_at = 2 * design.COMMIT_EVERY + 3  # dies inside the third slice of round 0
    with pytest.raises(KeyboardInterrupt):
        DesignCampaign.open(store, _config()).run()
    committed = counted.computed[: 2 * design.COMMIT_EVERY]
    assert len(store.evaluations_frame()) == len(committed)  # two slices in the store
    counted.computed = []
    status = DesignCampaign.open(store, _config()).run()  # a new process: resume
    assert not set(committed) & set(counted.computed)  # nothing committed is scored again
    assert len(counted.computed) == 30 - len(committed)
    history = DesignCampaign.resume(store, "resume").history()
    assert status.calls == 30 and sorted(history["smiles"]) == sorted(POOL[:30])
    assert history["score"].notna().all()


def test_slices_tell_the_generator_once_per_round_and_change_no_result(
    store, counted, monkeypatch, tmp_path
):
    sliced = DesignCampaign.open(store, _config(batch_size=20))
    sliced.run()
    assert [len(batch) for batch in sliced.generator.tells_] == [20, 10]  # one tell a round
    monkeypatch.setattr(design, "COMMIT_EVERY", 1000)  # the whole round at once
    with Store.open(tmp_path / "whole") as other:
        whole = DesignCampaign.open(other, _config(batch_size=20))
        whole.run()
        assert whole.generator.tells_ == sliced.generator.tells_
        assert whole.objective.cache.entries == sliced.objective.cache.entries  # calls too
        columns = ["round", "smiles", "status", "score", "test_killed_carbon_count"]
        assert whole.history()[columns].equals(sliced.history()[columns])


def test_a_campaign_whose_molecules_all_failed_reports_no_best(store, tmp_path):
    campaign = DesignCampaign.open(store, _config("test_always_fails", oracle_calls=12))
    status = campaign.run()
    assert status.done and status.calls == status.failed == 12
    assert status.best_score is None and status.best_smiles is None
    assert DesignCampaign.resume(store, "resume").status().best_score is None
    html = write_report(campaign, tmp_path / "failed.html").read_text()
    assert "12 failed" in html and "Best score: None" in html


def test_a_stored_config_without_a_new_defaulted_key_reopens(store):
    campaign = DesignCampaign.open(store, _config(oracle_calls=8))
    stored = json.loads(store.runs_frame("design").iloc[-1]["config"])
    del stored["loop"]["beta"]  # saved by a release before `loop.beta` existed
    with store.engine.begin() as connection:
        connection.execute(
            update(runs).where(runs.c.id == campaign.run_id).values(config=json.dumps(stored))
        )
    assert DesignCampaign.open(store, _config(oracle_calls=8)).run_id == campaign.run_id
    assert DesignCampaign.resume(store, "resume").config == _config(oracle_calls=8)


@register_generator("test_slow_starter")
class SlowStarter(PoolGenerator):
    """Proposes only invalid strings in its first `bad_rounds` asks, then the pool."""

    def __init__(self, seed: int = 0, bad_rounds: int = 3):
        self.seed = seed
        self.bad_rounds = bad_rounds

    def ask(self, n: int) -> list[str]:
        self.asks_ = getattr(self, "asks_", 0) + 1
        return ["not a smiles"] * n if self.asks_ <= self.bad_rounds else super().ask(n)


@pytest.mark.parametrize(("bad_rounds", "calls"), [(3, 30), (design.MAX_EMPTY_ROUNDS, 0)])
def test_a_run_gives_up_only_after_several_rounds_without_a_new_molecule(
    tmp_path, bad_rounds, calls
):
    config = _config().model_copy(
        update={"generator": _config().generator.model_copy(
            update={"name": "test_slow_starter", "params": {"bad_rounds": bad_rounds}})}
    )  # fmt: skip
    KilledCarbonCount.computed = []
    with Store.open(tmp_path) as store:
        status = DesignCampaign.open(store, config).run()
    assert status.calls == calls and status.invalid == 30 * bad_rounds
