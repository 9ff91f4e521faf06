"""Error against distance to the training set: nearest neighbours and binned errors."""

from __future__ import annotations

import numpy as np
import pytest

from athanor.core.errors import InputDataError
from athanor.evaluation import (
    error_vs_proximity,
    nearest_cosine_distance,
    nearest_tanimoto,
    nearest_tanimoto_smiles,
)


def test_nearest_tanimoto_of_bit_vectors_by_hand():
    query = np.array([[1, 1, 0, 0], [0, 0, 1, 1]], dtype=np.uint8)
    reference = np.array([[1, 0, 1, 0], [1, 1, 1, 0]], dtype=np.uint8)
    # row 0: 1/3 and 2/3; row 1: 1/3 and 1/4
    np.testing.assert_allclose(nearest_tanimoto(query, reference, block_size=1), [2 / 3, 1 / 3])


def test_nearest_tanimoto_of_smiles_is_one_for_a_training_molecule():
    similarity = nearest_tanimoto_smiles(["c1ccccc1O", "CCCCCC"], ["Oc1ccccc1", "c1ccncc1"])
    assert similarity[0] == pytest.approx(1.0)
    assert similarity[1] < 0.2


def test_nearest_cosine_distance_by_hand_and_validation():
    reference = np.array([[0.0, 1.0], [1.0, 1.0]])
    # [2, 0] is 45° from [1, 1]; [0, -3] is 135° from [1, 1] and 180° from [0, 1]
    distance = nearest_cosine_distance(np.array([[2.0, 0.0], [0.0, -3.0]]), reference)
    np.testing.assert_allclose(distance, [1 - np.sqrt(0.5), 1 + np.sqrt(0.5)])
    with pytest.raises(InputDataError, match="non-zero"):
        nearest_cosine_distance(np.zeros((1, 2)), reference)
    with pytest.raises(InputDataError, match="shapes"):
        nearest_cosine_distance(np.ones((1, 3)), reference)
    with pytest.raises(InputDataError, match="empty"):
        nearest_cosine_distance(np.ones((1, 2)), np.ones((0, 2)))


def test_distance_in_an_embedding_predicts_error_when_it_should():
    rng = np.random.default_rng(0)
    train = rng.normal(size=(200, 8))
    test = rng.normal(size=(1000, 8))
    distance = nearest_cosine_distance(test, train)
    y = rng.normal(size=1000)
    noise = rng.normal(size=1000)
    informative = error_vs_proximity(y, y + noise * distance, distance, bins=4)
    uninformative = error_vs_proximity(y, y + noise * distance.mean(), distance, bins=4)
    # one error is one draw from its distribution, so ρ stays well below 1
    assert informative.spearman["task_0"] > 0.25
    assert abs(uninformative.spearman["task_0"]) < 0.1
    assert np.all(np.diff(informative.table["mae"]) > 0)
    assert informative.table["n"].tolist() == [250] * 4


def test_error_vs_proximity_table_is_tidy_per_task_with_nan_masked():
    proximity = np.array([0.1, 0.2, 0.6, 0.7, 0.9, 0.95])
    y = np.column_stack([np.zeros(6), [0, 0, np.nan, 0, 0, np.nan]])
    y_pred = np.column_stack([[1, 3, 0.5, 0.5, 0, 0.2], np.ones(6)])
    analysis = error_vs_proximity(y, y_pred, proximity, bins=[0, 0.5, 0.8, 1], names=["a", "b"])
    table = analysis.table.set_index(["task", "bin"])
    assert table["n"].tolist() == [2, 2, 2, 2, 1, 1]
    np.testing.assert_allclose(table.loc["a", "mae"], [2.0, 0.5, 0.1])
    np.testing.assert_allclose(table.loc["a", "rmse"], [np.sqrt(5), 0.5, np.sqrt(0.02)])
    assert analysis.spearman["a"] < -0.8  # closer molecules, smaller errors
    assert np.isnan(analysis.spearman["b"])  # constant errors
    with pytest.raises(InputDataError, match="proximity"):
        error_vs_proximity(y, y_pred, proximity[:3])
