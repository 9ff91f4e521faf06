"""Nearest-neighbour similarity of query molecules to a reference set (e.g. the training set).

The similarity matrix is computed in blocks of query rows, so memory stays at
``block_size x n_reference`` whatever the number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from athanor.chem.fingerprints import bulk_tanimoto, morgan_fingerprints
from athanor.core.errors import InputDataError


def _blockwise_max(
    query: np.ndarray,
    reference: np.ndarray,
    similarity: Callable[[np.ndarray, np.ndarray], np.ndarray],
    block_size: int,
) -> np.ndarray:
    """Row-wise maximum of ``similarity(query, reference)``, shape (n_query,)."""
    if reference.shape[0] == 0:
        raise InputDataError("the reference set is empty: no nearest neighbour exists")
    best = np.empty(query.shape[0], dtype=np.float64)
    for start in range(0, query.shape[0], block_size):
        block = similarity(query[start : start + block_size], reference)
        best[start : start + block_size] = block.max(axis=1)
    return best


def nearest_tanimoto(
    query_fingerprints: np.ndarray, reference_fingerprints: np.ndarray, block_size: int = 1024
) -> np.ndarray:
    """Highest Tanimoto similarity of each query fingerprint to any reference.

    Args:
        query_fingerprints: shape (n_query, n_bits), 0/1.
        reference_fingerprints: shape (n_reference, n_bits), 0/1, n_reference >= 1.
        block_size: query rows per block.

    Returns:
        shape (n_query,), in [0, 1]; 1 for a molecule also in the reference set.
    """
    return _blockwise_max(query_fingerprints, reference_fingerprints, bulk_tanimoto, block_size)


def nearest_tanimoto_smiles(
    query: Sequence[str], reference: Sequence[str], radius: int = 2, n_bits: int = 2048
) -> np.ndarray:
    """`nearest_tanimoto` on Morgan fingerprints of SMILES, shape (n_query,).

    Raises:
        MoleculeError: if a SMILES cannot be parsed.
    """
    return nearest_tanimoto(
        morgan_fingerprints(query, radius, n_bits), morgan_fingerprints(reference, radius, n_bits)
    )


def _cosine_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return a @ b.T


def nearest_cosine_distance(
    query_embeddings: np.ndarray, reference_embeddings: np.ndarray, block_size: int = 1024
) -> np.ndarray:
    """Cosine distance (1 - cosine similarity) of each query embedding to its nearest reference.

    Args:
        query_embeddings: shape (n_query, d), e.g. a surrogate's learned representation.
        reference_embeddings: shape (n_reference, d), n_reference >= 1.
        block_size: query rows per block.

    Returns:
        shape (n_query,), in [0, 2]; 0 when a reference points the same way.

    Raises:
        InputDataError: if the dimensions differ or a vector is zero or not finite.
    """
    query = np.asarray(query_embeddings, dtype=np.float64)
    reference = np.asarray(reference_embeddings, dtype=np.float64)
    if query.ndim != 2 or reference.ndim != 2 or query.shape[1] != reference.shape[1]:
        raise InputDataError(
            f"embeddings must have shapes (n_query, d) and (n_reference, d); "
            f"got {query.shape} and {reference.shape}"
        )
    unit = []
    for name, matrix in (("query", query), ("reference", reference)):
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        if not np.all(np.isfinite(norms)) or np.any(norms == 0):
            raise InputDataError(f"{name} embeddings must be finite and non-zero")
        unit.append(matrix / norms)
    similarity = _blockwise_max(unit[0], unit[1], _cosine_similarity, block_size)
    return np.clip(1.0 - similarity, 0.0, 2.0)
