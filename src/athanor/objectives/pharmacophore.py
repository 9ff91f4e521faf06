"""The Gobbi 2-D pharmacophore fingerprint, bit for bit as RDKit's
``Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory)``, vectorised.

RDKit's generator walks every 2- and 3-point combination of feature matches in Python: tens
of milliseconds for a drug-sized molecule, growing with the cube of its feature count
(GuacaMol's scaffold- and decoration-hop tasks score with it). Here the shortest distances
between matches are one matrix, every pair and triple of matches is one array operation, and
RDKit's own bit numbering (`SigFactory.GetBitIdx`) is called once per distinct (features,
distances) key.

Equivalence with RDKit's loop, match by match:
- RDKit enumerates, for each non-decreasing tuple of feature families, the distinct
  combinations of their matches, ordered by (family, atom tuple). Listing the distinct matches
  sorted by (family, atom tuple) and taking index pairs i < j and triples i < j < k gives the
  same combinations in the same order within each combination.
- A combination that uses one atom tuple twice, or two matches that share an atom, has a
  shortest distance of 0 and sets no bit in either.
"""

from __future__ import annotations

import itertools
from functools import cache, lru_cache

import numpy as np
from rdkit import Chem
from rdkit.Chem.Pharm2D import Gobbi_Pharm2D, Utils
from rdkit.Chem.Pharm2D.SigFactory import SigFactory

FACTORY: SigFactory = Gobbi_Pharm2D.factory
N_FAMILIES = len(FACTORY.GetFeatFamilies())
MIN_DISTANCE, MAX_DISTANCE = max(FACTORY.GetBins()[0][0], 1), FACTORY.GetBins()[-1][1]


@cache
def _bit(n_points: int, code: int) -> int:
    """RDKit's bit index of the pharmacophore a `_codes` code stands for (raises IndexError
    where RDKit does)."""
    digits = []
    for base in [MAX_DISTANCE] * len(Utils.nPointDistDict[n_points]) + [N_FAMILIES] * n_points:
        code, digit = divmod(code, base)
        digits.append(digit)
    families, distances = digits[::-1][:n_points], digits[::-1][n_points:]
    return FACTORY.GetBitIdx(families, distances, sortIndices=False)


def _matches(mol: Chem.Mol) -> tuple[list[tuple[int, ...]], np.ndarray]:
    """Distinct feature matches sorted by (family, atom tuple), and their families, shape (m,)."""
    per_family = FACTORY.GetMolFeats(mol)
    pairs = sorted({(family, atoms) for family, found in enumerate(per_family) for atoms in found})
    return [atoms for _, atoms in pairs], np.array([family for family, _ in pairs], dtype=int)


def _match_distances(mol: Chem.Mol, matches: list[tuple[int, ...]]) -> np.ndarray:
    """Shortest topological distance between any atoms of two matches, shape (m, m)."""
    atoms = Chem.GetDistanceMatrix(mol, FACTORY.includeBondOrder)
    flat = np.concatenate([np.asarray(m, dtype=int) for m in matches])
    starts = np.cumsum([0] + [len(m) for m in matches[:-1]])
    by_atom = atoms[np.ix_(flat, flat)]
    return np.minimum.reduceat(np.minimum.reduceat(by_atom, starts, axis=0), starts, axis=1)


def _combinations(n: int, n_points: int) -> np.ndarray:
    """All index tuples i < j (< k) of ``n`` matches, shape (combinations, n_points)."""
    flat = itertools.chain.from_iterable(itertools.combinations(range(n), n_points))
    return np.fromiter(flat, dtype=np.int32).reshape(-1, n_points)


_cached_combinations = lru_cache(maxsize=64)(_combinations)
CACHED_UP_TO = 100  # matches; the triples of 100 take 1.9 MB, of 200 15 MB


def _points(n: int, n_points: int) -> np.ndarray:
    """`_combinations`, kept for the small ``n`` that recur from molecule to molecule."""
    return (_cached_combinations if n <= CACHED_UP_TO else _combinations)(n, n_points)


def _codes(families: np.ndarray, distances: np.ndarray, n_points: int) -> np.ndarray:
    """One integer per valid combination of ``n_points`` matches, shape (valid,): its
    families and distances as the digits of a mixed-radix number (decoded by `_bit`)."""
    combos = _points(len(families), n_points)
    sides = Utils.nPointDistDict[n_points]
    dist = np.stack([distances[combos[:, a], combos[:, b]] for a, b in sides], axis=1)
    valid = np.all((dist >= MIN_DISTANCE) & (dist < MAX_DISTANCE), axis=1)
    code = np.zeros(int(valid.sum()), dtype=np.int64)
    for column in families[combos[valid]].T:
        code = code * N_FAMILIES + column
    for column in dist[valid].astype(np.int64).T:
        code = code * MAX_DISTANCE + column
    return code


def gobbi_2d_fingerprint(mol: Chem.Mol):
    """RDKit's Gobbi 2-D pharmacophore fingerprint of ``mol`` (a `SparseBitVect` of 39,972
    bits), identical to ``Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory)``."""
    signature = FACTORY.GetSignature()
    matches, families = _matches(mol)
    if len(matches) < FACTORY.minPointCount:
        return signature
    distances = _match_distances(mol, matches)
    for n_points in range(FACTORY.minPointCount, FACTORY.maxPointCount + 1):
        codes, counts = np.unique(_codes(families, distances, n_points), return_counts=True)
        for code, count in zip(codes.tolist(), counts.tolist(), strict=True):
            index = _bit(n_points, code)
            if FACTORY.useCounts:
                signature[index] += count
            else:
                signature.SetBit(index)
    return signature
