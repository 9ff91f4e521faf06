"""Every generator honours the ask/tell contract as a design campaign uses it.

A campaign tells the invalid proposals apart (score 0), then only the fresh, de-duplicated
valid molecules in canonical form; `ScreenedGenerator` asks its inner generator for more
molecules than it tells. Any generator must accept such subsets, round after round.
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest
import torch

from athanor.chem.parse import canonical_smiles
from athanor.generators.ask_tell import ProposalBatch, told_scores
from athanor.generators.language_model import LanguageModel
from athanor.generators.registry import BUILTIN_MODULES, GENERATORS, make_generator
from athanor.generators.screened import ScreenedGenerator
from athanor.generators.selfies_vae import SelfiesVAE, VAEConfig
from tests.unit.test_language_model import TINY_SET, tiny_model

LIBRARY = ["OCC", "CCO", "c1ccccc1", "C1=CC=CC=C1", "CCN", "CC(=O)O", "CCCC", "CCOC(=O)C"]
CONFORMANCE = [*sorted(BUILTIN_MODULES), "screened"]


def tiny_vae(seed: int = 0, steps: int = 100) -> SelfiesVAE:
    """A small SELFIES VAE fitted on `TINY_SET` (about a second of CPU)."""
    torch.set_num_threads(1)
    config = VAEConfig(
        embedding_dim=16, encoder_dim=32, latent_dim=4, decoder_dim=64, max_length=30
    )
    return SelfiesVAE(config, seed=seed).fit(
        TINY_SET, steps=steps, batch_size=16, learning_rate=1e-2, beta=0.01
    )


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("checkpoints")
    tiny_model("smiles").save(folder / "smiles")
    tiny_model("selfies").save(folder / "selfies")
    tiny_vae().save(folder / "vae")
    return {name: str(folder / name) for name in ("smiles", "selfies", "vae")}


def build(name: str, checkpoints: dict[str, str]):
    """A small, fast instance of generator `name`."""
    if name == "graph_ga":
        return make_generator("graph_ga", n_initial=4, initial_smiles=LIBRARY, seed=0)
    if name in ("smiles_lm", "selfies_lm"):
        return make_generator(name, checkpoint=checkpoints[name.split("_")[0]], seed=0)
    if name == "reinvent":
        return make_generator("reinvent", prior=checkpoints["smiles"], seed=0)
    if name == "vae_bo":
        return make_generator("vae_bo", checkpoint=checkpoints["vae"], n_candidates=50)
    inner = make_generator("reinvent", prior=checkpoints["smiles"], seed=0)
    return ScreenedGenerator(inner, "rf", {"n_estimators": 5}, oversample=3, warmup=2)


def tell_like_a_campaign(generator, n: int = 12) -> list[str]:
    """Ask `n`, tell the invalid proposals, then every other fresh valid molecule (canonical)
    plus a molecule never proposed; returns the canonical SMILES told."""
    proposals = generator.ask(n)
    canonical = [canonical_smiles(text) for text in proposals]
    invalid = [text for text, c in zip(proposals, canonical, strict=True) if c is None]
    if invalid:
        generator.tell(invalid, np.zeros(len(invalid)))
    fresh = list(dict.fromkeys(c for c in canonical if c is not None))[::2]
    told = [*fresh, "CCCCCCCCCCCCO"]
    generator.tell(told, np.linspace(0.1, 0.9, len(told)))
    return fresh


def test_every_registered_generator_is_checked():
    for module in set(BUILTIN_MODULES.values()):
        importlib.import_module(module)
    registered = {name for name in GENERATORS if not name.startswith("test_")}
    assert registered and registered <= set(CONFORMANCE)


@pytest.mark.parametrize("name", CONFORMANCE)
def test_tell_accepts_canonical_subsets_round_after_round(name, checkpoints):
    generator = build(name, checkpoints)
    for _ in range(3):
        tell_like_a_campaign(generator)
    assert generator.ask(4)


def test_proposal_batch_matches_raw_or_canonical_smiles_once():
    batch = ProposalBatch(["OCC", "CCO", "C1CC", "c1ccccc1"])
    rows, which = batch.match(["CCO", "CCO", "CCO", "C1=CC=CC=C1", "CCCC", "C1CC"])
    # the raw "CCO" first, then the other ethanol by its canonical form, then nothing left
    assert rows.tolist() == [1, 0, 3, 2] and which.tolist() == [0, 1, 3, 5]
    assert batch.told.all()
    assert batch.match(["CCO"])[0].size == 0


def test_told_scores_map_nan_and_infinity_to_zero():
    scores = told_scores("g", 4, [np.nan, np.inf, -np.inf, 0.5])
    assert scores.tolist() == [0.0, 0.0, 0.0, 0.5]


# -- REINVENT ---------------------------------------------------------------------------------


def agent_parameters(generator) -> list[torch.Tensor]:
    return [p.detach().clone() for p in generator.agent_.net_.parameters()]


def test_reinvent_learns_the_same_from_a_batch_told_in_parts(checkpoints):
    whole, parts = (build("reinvent", checkpoints) for _ in range(2))
    proposals = whole.ask(16)
    assert parts.ask(16) == proposals
    scores = np.array([float(canonical_smiles(s) is not None) for s in proposals]) * 0.7
    whole.tell(proposals, scores)
    invalid = [s for s in proposals if canonical_smiles(s) is None]
    valid = [canonical_smiles(s) for s in proposals if canonical_smiles(s) is not None]
    parts.tell(invalid, np.zeros(len(invalid)))
    parts.tell(valid, np.full(len(valid), 0.7))
    for a, b in zip(agent_parameters(whole), agent_parameters(parts), strict=True):
        torch.testing.assert_close(a, b)


def test_reinvent_clips_scores_to_one_and_survives_infinite_ones(checkpoints):
    generator = build("reinvent", checkpoints)
    proposals = generator.ask(16)
    valid = np.array([canonical_smiles(s) is not None for s in proposals])
    generator.tell(proposals, np.where(valid, 50.0, -np.inf))
    assert set(generator.replay_.memory_.values()) == {1.0}  # what is replayed: clipped
    generator.tell(generator.ask(8), np.full(8, np.inf))
    assert all(torch.isfinite(p).all() for p in agent_parameters(generator))


def test_reinvent_ignores_tells_before_ask_and_untold_rows(checkpoints):
    generator = build("reinvent", checkpoints)
    generator.tell(["CCO"], np.ones(1))  # nothing proposed yet (e.g. a resumed campaign)
    generator.ask(8)
    before = agent_parameters(generator)
    generator.tell(["CCCCCCCCCCCCCCCCCCCC", "not proposed"], np.ones(2))
    generator.ask(8)  # nothing of the last batch told: no update
    for a, b in zip(before, agent_parameters(generator), strict=True):
        torch.testing.assert_close(a, b)


# -- latent-space BO ------------------------------------------------------------------------


def test_vae_bo_learns_only_told_molecules_and_never_proposes_them_again(checkpoints):
    generator = build("vae_bo", checkpoints)
    told: set[str] = set()
    n_told = 0
    for _ in range(5):
        proposals = generator.ask(6)
        canonical = [canonical_smiles(s) for s in proposals]
        assert len(set(canonical)) == len(canonical)  # no repeat within a batch
        assert not told & set(canonical)  # nor of a molecule already told
        fresh = canonical[::2]
        generator.tell(fresh, np.array([float("N" in s) for s in fresh]))
        told |= set(fresh)
        n_told += len(fresh)
    assert generator.codes_.shape == (n_told, 4) and len(generator.scores_) == n_told


# -- graph GA -------------------------------------------------------------------------------


def test_graph_ga_proposes_a_molecule_once_whatever_its_spelling():
    ga = make_generator("graph_ga", n_initial=len(LIBRARY), initial_smiles=LIBRARY, seed=0)
    ga.tell(["C(C)CC"], np.ones(1))  # butane, told before the library reaches "CCCC"
    proposals = ga.ask(len(LIBRARY))
    canonical = [canonical_smiles(s) for s in proposals]
    assert len(set(canonical)) == len(canonical) and "CCCC" not in canonical


# -- torch random state -------------------------------------------------------------------------


def test_loading_and_fitting_leave_the_global_torch_seed_alone(checkpoints):
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    LanguageModel.load(checkpoints["smiles"])
    SelfiesVAE.load(checkpoints["vae"])
    tiny_model(steps=2, seed=5)
    tiny_vae(steps=2, seed=5)
    torch.testing.assert_close(torch.rand(3), expected)


def test_a_fresh_fit_depends_only_on_its_seed():
    fits = []
    for global_seed in (1, 2):
        torch.manual_seed(global_seed)
        fits.append([tiny_model(steps=5).net_.state_dict(), tiny_vae(steps=5).net_.state_dict()])
    for first, second in zip(*fits, strict=True):
        for name, value in first.items():
            torch.testing.assert_close(value, second[name])
