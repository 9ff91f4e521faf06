"""Design campaigns with a failing oracle: a broken set-up stops the run early, a failure is
final only in its own campaign, and a bad loop surrogate fails before anything is recorded.

The oracle components evaluate in-process here (their worker is mocked away): what is tested
is the campaign's handling of the evaluations, not the execution engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pytest

from athanor.core.config import validate_config
from athanor.core.errors import ConfigError, OracleSetupError
from athanor.generators.base import Generator
from athanor.generators.registry import register_generator
from athanor.objectives.predictions import OracleComponent
from athanor.workflows import design
from athanor.workflows.design import DesignCampaign
from athanor.workflows.design_config import DesignConfig

# 36 distinct canonical SMILES: alkanes, alcohols and amines of 1 to 12 carbons
POOL = [f"{'C' * n}{tail}" for n in range(1, 13) for tail in ("", "O", "N")]
SULFUR = {"CS", "CCCSC", "CCCCCCS"}  # scattered through the sulfur pool below
SULFUR_POOL = [*POOL[:4], "CS", *POOL[4:12], "CCCSC", *POOL[12:20], "CCCCCCS"]


@register_generator("test_oracle_failures_pool")
class InOrderPool(Generator):
    """Proposes the molecules of `pool` (POOL, or SULFUR_POOL) it has not been told about."""

    def __init__(self, seed: int = 0, sulfur: bool = False):
        self.seed = seed
        self.sulfur = sulfur

    def ask(self, n: int) -> list[str]:
        told = set(getattr(self, "told_", []))
        return [s for s in (SULFUR_POOL if self.sulfur else POOL) if s not in told][:n]

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        self.told_ = [*getattr(self, "told_", []), *smiles]


@pytest.fixture
def computed(monkeypatch) -> list[str]:
    """The molecules the oracle components compute, in order (in-process, no worker)."""
    seen: list[str] = []

    def evaluate(self, smiles):
        seen.extend(smiles)
        return self.oracle.evaluate(smiles)

    monkeypatch.setattr(OracleComponent, "_evaluate", evaluate)
    return seen


def _config(function: str, name: str = "first", sulfur: bool = False, **budget) -> DesignConfig:
    oracle = {"oracle": "python", "property": "logp",
              "options": {"function": f"tests.oracle_functions:{function}",
                          "properties": {"logp": ""}}}  # fmt: skip
    sigmoid = {"kind": "sigmoid", "center": 1.0, "scale": 1.0}
    return validate_config(DesignConfig, {
        "name": name,
        "generator": {"name": "test_oracle_failures_pool", "params": {"sulfur": sulfur}},
        "objective": {"components": [{"kind": "oracle", "params": oracle,
                                      "desirability": sigmoid}]},
        "budget": {"oracle_calls": 20, "batch_size": 5} | budget,
    })  # fmt: skip


def test_an_oracle_failing_for_every_molecule_stops_the_run_early(store, computed, monkeypatch):
    monkeypatch.setenv("ATHANOR_TEST_FAIL", "1")
    campaign = DesignCampaign.open(store, _config("logp_unless_told_to_fail"))
    stop = "failed for the last 10 molecules in a row"
    with pytest.raises(OracleSetupError, match=stop) as error:
        campaign.run()
    assert "10 times: oracle python: failed: RuntimeError: the program is broken" in str(
        error.value
    )
    assert len(computed) == len(store.evaluations_frame()) == campaign.failure_limit == 10
    assert not campaign.status().done  # the other 10 calls of the budget are left


def test_single_oracle_failures_are_recorded_zeros(store, computed):
    campaign = DesignCampaign.open(store, _config("logp", sulfur=True, oracle_calls=23))
    status = campaign.run()
    history = campaign.history()
    assert status.done and status.calls == 23 and status.failed == 3
    assert set(history.loc[history["status"] == "failed", "smiles"]) == SULFUR
    assert [campaign.objective.cache[s].score for s in sorted(SULFUR)] == [0.0] * 3


@pytest.mark.parametrize(
    ("batch_size", "oracle_calls", "limit"),
    [(1, 100, design.MIN_FAILURE_LIMIT), (50, 20, 20), (30, 100, 30)],
)
def test_the_failure_limit_is_a_round_s_worth_and_never_one_molecule(
    store, batch_size, oracle_calls, limit
):
    config = _config("logp", batch_size=batch_size, oracle_calls=oracle_calls)
    assert DesignCampaign.open(store, config).failure_limit == limit


def test_failures_are_final_in_their_campaign_only(store, computed, monkeypatch):
    monkeypatch.setenv("ATHANOR_TEST_FAIL", "1")  # a broken program: the first 10 fail
    with pytest.raises(OracleSetupError):
        DesignCampaign.open(store, _config("logp_unless_told_to_fail")).run()
    monkeypatch.delenv("ATHANOR_TEST_FAIL")  # fixed
    computed.clear()
    status = DesignCampaign.open(store, _config("logp_unless_told_to_fail")).run()  # resumed
    assert status.done and status.failed == 10  # its failures are not scored again
    assert computed == POOL[10:20]
    computed.clear()
    again = DesignCampaign.open(store, _config("logp_unless_told_to_fail", name="second")).run()
    assert again.done and again.failed == 0 and again.calls == 20
    assert computed == POOL[:10]  # the failed ones computed again, the successes reused
    assert DesignCampaign.resume(store, "first").status().failed == 10  # what it saw


@pytest.mark.parametrize(
    ("loop", "message"),
    [
        ({"surrogate": "rff"}, "loop.surrogate: unknown model 'rff'; choose one of:"),
        ({"surrogate": "rf", "params": {"n_estimatorz": 10}}, "no parameter(s) ['n_estimatorz']"),
        ({"surrogate": "rf", "params": {"n_estimators": "ten"}}, "n_estimators"),
    ],
)
def test_a_bad_loop_surrogate_fails_before_the_run_is_recorded(store, loop, message):
    config = _config("logp").model_copy(update={"loop": _config("logp").loop.model_copy(
        update=loop | {"warmup": 5, "candidates": 10})})  # fmt: skip
    with pytest.raises(ConfigError, match=re.escape(message)):
        DesignCampaign.open(store, config)
    assert store.runs_frame("design").empty  # the corrected config is not "another one"
