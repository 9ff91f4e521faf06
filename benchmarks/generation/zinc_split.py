"""The fixed ZINC-250k split shared by pretraining and the distribution benchmark."""

from __future__ import annotations

import hashlib

import numpy as np

from athanor.datasets import load_dataset

HELD_OUT = 10_000
SPLIT_SEED = 0


def zinc_split(held_out: int = HELD_OUT, seed: int = SPLIT_SEED) -> tuple[list[str], list[str]]:
    """ZINC-250k as (training, held-out) SMILES lists, by a seeded random permutation."""
    smiles = load_dataset("zinc250k")["smiles"].tolist()
    order = np.random.default_rng(seed).permutation(len(smiles))
    return [smiles[i] for i in order[held_out:]], [smiles[i] for i in order[:held_out]]


def fingerprint(smiles: list[str]) -> str:
    """Short hash of a SMILES list, recorded so that a split can be checked later."""
    return hashlib.sha256("\n".join(smiles).encode()).hexdigest()[:16]
