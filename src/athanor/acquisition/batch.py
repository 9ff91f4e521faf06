"""Batch selection on top of acquisition scores: top-k, and diversity-aware variants."""

from __future__ import annotations

import numpy as np

from athanor.chem.fingerprints import bulk_tanimoto

CANDIDATE_FACTOR = 20  # diverse picks are searched among the best k * factor candidates


def _feasible_order(scores: np.ndarray, feasible: np.ndarray | None) -> np.ndarray:
    """Candidate indices by decreasing score; infeasible and NaN scores excluded."""
    valid = ~np.isnan(scores)
    if feasible is not None:
        valid &= feasible
    candidates = np.flatnonzero(valid)
    # stable sort on -score: ties keep pool order, so a seed fixes the batch
    return candidates[np.argsort(-scores[candidates], kind="stable")]


def _filled(chosen, order: np.ndarray, k: int) -> np.ndarray:
    """`chosen` topped up to k with the best of `order` not chosen yet."""
    chosen = np.asarray(chosen, dtype=int)
    rest = order[~np.isin(order, chosen)]
    return np.concatenate([chosen, rest[: max(k - len(chosen), 0)]])


def top_k(scores: np.ndarray, k: int, feasible: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k best feasible candidates.

    Args:
        scores: shape (n,), larger is better.
        k: batch size.
        feasible: optional shape (n,) bool mask (constraints, already evaluated molecules).

    Returns:
        shape (min(k, n_feasible),) int indices, best first.
    """
    return _feasible_order(scores, feasible)[:k]


def diverse_top_k(
    scores: np.ndarray,
    k: int,
    fingerprints: np.ndarray,
    max_similarity: float = 0.6,
    feasible: np.ndarray | None = None,
) -> np.ndarray:
    """Greedy best-first picks, skipping candidates too similar to an earlier pick.

    Args:
        scores: shape (n,), larger is better.
        k: batch size.
        fingerprints: shape (n, n_bits) 0/1 fingerprints of the candidates.
        max_similarity: a candidate whose Tanimoto similarity to a pick exceeds this is
            skipped (filled back in score order if fewer than k remain).
        feasible: optional shape (n,) bool mask.

    Returns:
        shape (min(k, n_feasible),) int indices.
    """
    order = _feasible_order(scores, feasible)
    shortlist = order[: k * CANDIDATE_FACTOR]
    similarity = bulk_tanimoto(fingerprints[shortlist], fingerprints[shortlist])
    picked: list[int] = []
    blocked = np.zeros(len(shortlist), dtype=bool)
    for position in range(len(shortlist)):
        if len(picked) == k:
            break
        if blocked[position]:
            continue
        picked.append(position)
        blocked |= similarity[position] > max_similarity
    return _filled(shortlist[picked], order, k)  # too few diverse ones: best remaining


def cluster_top_k(
    scores: np.ndarray,
    k: int,
    clusters: np.ndarray,
    per_cluster: int = 1,
    feasible: np.ndarray | None = None,
) -> np.ndarray:
    """Best-first picks with at most `per_cluster` molecules from each cluster.

    Args:
        scores: shape (n,), larger is better.
        k: batch size.
        clusters: shape (n,) cluster label of each candidate (e.g. scaffold or k-means).
        per_cluster: picks allowed per cluster before others are preferred.
        feasible: optional shape (n,) bool mask.

    Returns:
        shape (min(k, n_feasible),) int indices (filled in score order if clusters run out).
    """
    order = _feasible_order(scores, feasible)
    counts: dict = {}
    chosen = []
    for index in order:
        label = clusters[index]
        if counts.get(label, 0) < per_cluster:
            chosen.append(index)
            counts[label] = counts.get(label, 0) + 1
            if len(chosen) == k:
                break
    return _filled(chosen, order, k)
