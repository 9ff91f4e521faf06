"""PMO task definitions (GuacaMol / TDC) and the AUC top-10 metric."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from athanor.core.errors import ConfigError
from athanor.objectives import Objective
from athanor.objectives.pmo_metric import top_k_auc
from athanor.objectives.pmo_tasks import pmo_task, pmo_tasks

RDKIT_TASKS = [t for t in pmo_tasks() if t not in {"drd2", "gsk3b", "jnk3"}]


def test_23_tasks_build():
    assert len(pmo_tasks()) == 23
    for name in RDKIT_TASKS:
        Objective.from_config(pmo_task(name))
    with pytest.raises(ConfigError, match="valid: albuterol_similarity"):
        pmo_task("aspirin_similarity")


@pytest.mark.parametrize(
    ("task", "smiles", "expected"),
    [
        ("albuterol_similarity", "CC(C)(C)NCC(O)c1ccc(O)c(CO)c1", 1.0),
        ("celecoxib_rediscovery", "Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1", 1.0),
        ("isomers_c7h8n2o2", "NC(=O)c1ccc(O)c(N)c1", 1.0),  # C7H8N2O2
        # C7H7NO2: H, N and the atom total each one sigma off -> exp(-1.5) ** (1 / 5)
        ("isomers_c7h8n2o2", "NC(=O)c1ccc(O)cc1", np.exp(-0.3)),
        # deco_hop on its own target: similarity 1, both decorations present (0, 0), scaffold 1
        ("deco_hop", "CCCOc1cc2ncnc(Nc3ccc4ncsc4c3)c2cc1S(=O)(=O)C(C)(C)C", 0.5),
        ("valsartan_smarts", "CCO", 0.0),  # lacks the sartan SMARTS: geometric mean is 0
    ],
)
def test_reference_values(task, smiles, expected):
    assert Objective.from_config(pmo_task(task))([smiles]).scores[0] == pytest.approx(expected)


def test_guacamol_ecfp4_is_count_tanimoto():
    # unfolded count Morgan: ethanol vs propanol shares 3 of ... (hand-checked with RDKit)
    score = Objective.from_config(pmo_task("median1"))(["CC(C)C1CCC(C)CC1O"]).scores[0]
    assert 0.0 < score < 1.0  # menthol itself: 1.0 to menthol, < 1 to camphor


def test_top_k_auc_matches_pmo_code_by_hand():
    assert top_k_auc(np.ones(10_000)) == pytest.approx(0.995)
    assert top_k_auc(np.ones(500)) == pytest.approx(0.995)  # padded to the budget
    assert top_k_auc(np.ones(500), finished=False) == pytest.approx(0.045)
    ramp = np.linspace(0, 1, 10_000)
    assert 0.4 < top_k_auc(ramp) < 0.5
    assert top_k_auc(np.array([])) == 0.0


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("molscore") is None, reason="needs molscore")
def test_classifier_tasks_score_known_actives_high():
    batch = Objective.from_config(pmo_task("drd2"))(["CCOc1ccccc1N1CCN(CCCc2ccccc2)CC1", "CCO"])
    assert batch.scores[0] > 0.9 and batch.scores[1] < 0.1
    for task in ("gsk3b", "jnk3"):
        scores = Objective.from_config(pmo_task(task))(["CCO"]).scores
        assert 0.0 <= scores[0] <= 1.0
