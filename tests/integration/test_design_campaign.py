"""Design campaigns: scores in the store, resume without re-scoring, bad generators and input."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from rdkit import Chem

from athanor.core.config import validate_config
from athanor.core.errors import ConfigError
from athanor.generators.base import Generator
from athanor.generators.registry import register_generator
from athanor.generators.screened import ScreenedGenerator
from athanor.objectives import Component, register_component
from athanor.workflows.design import DesignCampaign
from athanor.workflows.design_config import DesignConfig

LIBRARY = ["CCO", "CCN", "CCC", "CCCl", "CC(=O)O", "c1ccccc1", "c1ccncc1", "CCOC", "CC=O",
           "CN", "OCCO", "CC(C)O", "c1ccoc1", "C1CCCCC1", "CCCCO", "NCCO"]  # fmt: skip


@register_component("test_counted_qed")
class CountedQED(Component):
    """QED that counts how many molecules it has scored."""

    calls = 0
    unit_interval = True

    def value(self, mol: Chem.Mol) -> float:
        type(self).calls += 1
        return Chem.QED.qed(mol)


@register_component("test_no_nitrogen")
class NoNitrogen(Component):
    """Raises for molecules with nitrogen."""

    unit_interval = True

    def value(self, mol: Chem.Mol) -> float:
        if any(atom.GetSymbol() == "N" for atom in mol.GetAtoms()):
            raise ValueError("nitrogen is not supported")
        return 1.0


@register_generator("test_sloppy")
class SloppyGenerator(Generator):
    """Emits junk strings beside valid molecules."""

    def __init__(self, seed: int = 0):
        self.seed = seed

    def ask(self, n: int) -> list[str]:
        rng = np.random.default_rng(self.seed + len(getattr(self, "told_", [])))
        return ["not a molecule", "C1CC", "", *list(rng.choice(LIBRARY, n, replace=False))]

    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        self.told_ = [*getattr(self, "told_", []), *smiles]


GRAPH_GA = {"name": "graph_ga", "params": {"n_initial": 20, "initial_smiles": LIBRARY}}
COUNTED = {"components": [{"kind": "test_counted_qed"}]}


def _config(
    objective: dict = COUNTED, generator: dict = GRAPH_GA, loop: dict | None = None, **budget
) -> DesignConfig:
    table = {
        "name": "test",
        "generator": generator,
        "objective": objective,
        "budget": {"oracle_calls": 60, "batch_size": 20} | budget,
        "loop": loop or {},
    }
    return validate_config(DesignConfig, table)


def test_run_records_every_score_in_the_store(store):
    CountedQED.calls = 0
    status = DesignCampaign.open(store, _config()).run()
    assert status.done and status.calls == 60 == CountedQED.calls
    assert status.best_score == pytest.approx(max(Chem.QED.qed(Chem.MolFromSmiles(s))
                                                  for s in LIBRARY), abs=0.5)  # fmt: skip
    history = DesignCampaign.resume(store, "test").history()
    assert len(history) == 60 and history["smiles"].is_unique and history["score"].notna().all()


def test_interrupted_run_resumes_without_rescoring(store, monkeypatch):
    CountedQED.calls = 0
    campaign = DesignCampaign.open(store, _config())
    first = campaign.step()
    original = campaign.objective.__class__.__call__

    def killed(self, smiles):  # the process dies after recording round 1, before scoring it
        raise KeyboardInterrupt

    monkeypatch.setattr(campaign.objective.__class__, "__call__", killed)
    with pytest.raises(KeyboardInterrupt):
        campaign.step()
    monkeypatch.setattr(campaign.objective.__class__, "__call__", original)
    assert CountedQED.calls == first
    assert len(store.selections_frame(campaign.run_id)) > first  # round 1 recorded, unscored
    status = DesignCampaign.open(store, _config()).run()  # a new process: resume
    assert status.calls == 60 and CountedQED.calls == 60  # pending first; nothing twice


def test_invalid_proposals_never_crash_a_run(store):
    sloppy = {"name": "test_sloppy"}
    status = DesignCampaign.open(
        store, _config(generator=sloppy, oracle_calls=12, batch_size=4)
    ).run()
    assert status.calls == 12 and status.invalid >= 9 and status.failed == 0
    assert DesignCampaign.resume(store, "test").status().invalid == status.invalid  # stored


def test_raising_component_is_a_recorded_zero_with_its_reason(store):
    objective = {"components": [{"kind": "test_no_nitrogen"}]}
    campaign = DesignCampaign.open(store, _config(objective, oracle_calls=16, batch_size=16))
    status = campaign.run()
    stored = store.evaluations_frame(campaign.fingerprint)
    failed = stored[stored["status"] == "failed"]
    assert status.failed == len(failed) > 0
    assert failed["message"].str.contains("nitrogen is not supported").all()
    assert all("N" in s or "n" in s for s in failed["smiles"])


def test_changed_config_under_the_same_name_fails(store):
    DesignCampaign.open(store, _config())
    with pytest.raises(
        ConfigError, match=r"another configuration \(changed: budget.oracle_calls\)"
    ):
        DesignCampaign.open(store, _config(oracle_calls=80))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"budget": {"oracle_calls": 5, "batchsize": 2}}, "allowed: batch_size, max_rounds"),
        ({"genrator": {}}, "allowed: budget, generator, loop, name, objective, seed"),
        ({"generator": {"name": "graph_gaa"}}, "unknown generator 'graph_gaa'"),
        ({"generator": {"params": {"n_inital": 5}}}, "n_inital"),
        (
            {"objective": {"components": [{"kind": "qed", "params": {"x": 1}}]}},
            "allowed: \\(none\\)|x",
        ),
        (
            {"objective": {"components": [{"kind": "surrogate", "params": {"task": 0}}]}},
            r"components\[0\]: a 'surrogate' component needs params.model",
        ),
        ({"objective": {"components": [{"kind": "surrogate", "params": "m"}]}}, "params"),
        ({"name": "../../evil"}, "cannot name a campaign: it names its report file"),
        ({"name": ""}, "cannot name a campaign"),
        ({"generator": {"params": {"n_initial": "ten"}}}, "n_initial = 'ten' is not a number"),
    ],
)
def test_bad_config_fails_at_start_naming_allowed_keys(store, table, message):
    base = {"name": "bad", "objective": {"components": [{"kind": "qed"}]},
            "budget": {"oracle_calls": 5}}  # fmt: skip
    with pytest.raises(ConfigError, match=message):
        DesignCampaign.open(store, validate_config(DesignConfig, base | table))


@pytest.mark.slow  # trains a random forest each round (~30 s on a busy machine)
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_closed_loop_screens_with_a_surrogate_and_scores_with_the_oracle(store):
    config = validate_config(DesignConfig, {
        "name": "loop",
        "generator": {"name": "graph_ga", "params": {"n_initial": 30}},
        "objective": {
            "components": [{"kind": "oracle", "name": "logp",
                            "params": {"oracle": "rdkit", "property": "logp"},
                            "desirability": {"kind": "window", "lower": 2, "upper": 3}}],
            "constraints": [{"kind": "sa", "max": 3.5}],
        },
        "budget": {"oracle_calls": 60, "batch_size": 15},
        "loop": {"surrogate": "rf", "params": {"n_estimators": 20}, "candidates": 60,
                 "warmup": 30, "bound": "mean"},
    })  # fmt: skip
    campaign = DesignCampaign.open(store, config)
    status = campaign.run()
    assert status.calls == 60 and campaign.screen.ready and campaign.screen.n_train_ >= 45
    history = campaign.history()
    hits = (history["logp"].between(2, 3) & (history["sa"] <= 3.5)).to_numpy()
    assert hits[30:].mean() >= hits[:30].mean()  # screened rounds find hits at least as often


def test_loop_without_oracle_components_screens_the_whole_score(store):
    loop = {"surrogate": "rf", "params": {"n_estimators": 20}, "candidates": 40, "warmup": 20}
    campaign = DesignCampaign.open(store, _config(loop=loop, oracle_calls=40, batch_size=10))
    status = campaign.run()
    assert status.calls == 40 and campaign.screen is None
    assert isinstance(campaign.generator, ScreenedGenerator)
    assert campaign.generator.oversample == 4 and campaign.generator.n_fitted_ >= 30
