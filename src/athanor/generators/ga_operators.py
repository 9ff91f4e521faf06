"""Graph GA variation operators (Jensen 2019) and quantile-based parent sampling.

The atom/bond/ring mutations and the ring / non-ring crossovers are those of the PyPI
``mol_ga`` package (Tripp & Hernández-Lobato 2023, a maintained copy of Jensen's Graph GA
without its size penalty); parent sampling follows its quantile scheme: for each of 25
log-spaced top fractions (0.1 % ... 100 %) an equal share of parents is drawn uniformly
from that top fraction, so the best molecules are drawn often without losing diversity.
"""

from __future__ import annotations

from random import Random

import numpy as np
from rdkit import rdBase

N_QUANTILES = 25


def quantile_parents(scores: np.ndarray, n: int, rng: Random, top_fraction: float = 1e-3):
    """Indices of `n` parents drawn by log-spaced score quantiles.

    Args:
        scores: shape (population,), higher is better.
        n: number of parents.
        rng: random source.
        top_fraction: the narrowest top fraction sampled from (mol_ga uses 1e-3).

    Returns:
        shape (n,) indices into `scores`.
    """
    order = np.argsort(-scores, kind="stable")
    fractions = np.logspace(np.log10(top_fraction), 0, N_QUANTILES)
    per_quantile = -(-n // N_QUANTILES)
    chosen = []
    for fraction in fractions:
        # ties at the threshold belong to the top fraction, as with np.quantile
        threshold = scores[order[max(int(np.ceil(fraction * len(order))) - 1, 0)]]
        eligible = np.flatnonzero(scores >= threshold)
        chosen.extend(rng.choices(list(eligible), k=per_quantile))
    rng.shuffle(chosen)
    return np.array(chosen[:n], dtype=int)


def offspring(parents: list[str], rng: Random, mutation_fraction: float, mutation_rate: float):
    """One child per parent: a pure mutation with probability `mutation_fraction`, otherwise a
    crossover with a random partner from `parents`, itself mutated with `mutation_rate`.

    Returns:
        canonical SMILES of the children that could be made (failed attempts are dropped).
    """
    from mol_ga.graph_ga.gen_candidates import mutate, reproduce  # the "design" extra

    children = []
    with rdBase.BlockLogs():
        for smiles in parents:
            if rng.random() < mutation_fraction:
                child = mutate(smiles, rng)
            else:
                child = reproduce(smiles, rng.choice(parents), mutation_rate, rng)
            if child:
                children.append(child)
    return children
