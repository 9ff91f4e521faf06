"""Splits: leak-free, reproducible, sizes close to the request; the split report."""

from __future__ import annotations

import numpy as np
import pytest

from athanor.chem.scaffolds import murcko_scaffold
from athanor.core.errors import InputDataError
from athanor.splits import (
    SplitIndices,
    cluster_split,
    fingerprint_clusters,
    group_split,
    make_split,
    random_split,
    scaffold_split,
    split_report,
)
from athanor.splits.grouping import assign_groups

RINGS = [
    "c1ccccc1",
    "c1ccncc1",
    "C1CCCCC1",
    "c1ccc2ccccc2c1",
    "c1ccoc1",
    "C1CCNCC1",
    "c1ccsc1",
    "C1CCOC1",
    "c1cnc2ccccc2c1",
    "c1ccc(-c2ccccc2)cc1",
]
SUBSTITUENTS = ["C", "O", "N", "Cl", "CC", "OC(=O)", "NC(=O)", "FC(F)(F)"]
ACYCLIC = ["CCO", "CCCN", "CC(C)O", "CCOCC", "CC(=O)O", "CCCCCl", "NCCO", "CC(C)(C)N"]
# 10 scaffolds x 8 substituents + 8 acyclic molecules (one empty-scaffold set of 8)
SMILES = [s + r for r in RINGS for s in SUBSTITUENTS] + ACYCLIC


def parts_of(split: SplitIndices, keys) -> list[set]:
    keys = np.asarray(keys, dtype=object)
    return [set(keys[getattr(split, part)]) for part in ("train", "val", "test")]


def assert_disjoint(split: SplitIndices, keys) -> None:
    train, val, test = parts_of(split, keys)
    assert not (train & val) and not (train & test) and not (val & test)


def assert_sizes_close(split: SplitIndices, sizes, tolerance: float) -> None:
    fractions = np.array([split.train.size, split.val.size, split.test.size]) / split.n_rows
    np.testing.assert_allclose(fractions, sizes, atol=tolerance)


def test_random_split_cuts_at_requested_fractions_and_partitions_rows():
    split = random_split(SMILES, (0.7, 0.2, 0.1), seed=3)
    assert (split.train.size, split.val.size, split.test.size) == (62, 18, 8)
    rows = np.concatenate([split.train, split.val, split.test])
    np.testing.assert_array_equal(np.sort(rows), np.arange(len(SMILES)))


@pytest.mark.parametrize("strategy", ["random", "scaffold", "group", "cluster"])
def test_same_seed_same_split_other_seed_other_split(strategy):
    first = make_split(strategy, SMILES, seed=7)
    again = make_split(strategy, SMILES, seed=7)
    other = make_split(strategy, SMILES, seed=8)
    np.testing.assert_array_equal(first.labels(), again.labels())
    assert not np.array_equal(first.labels(), other.labels())


def test_scaffold_split_never_shares_a_scaffold_and_is_balanced():
    split = scaffold_split(SMILES, seed=0)
    assert_disjoint(split, [murcko_scaffold(s) for s in SMILES])
    assert_sizes_close(split, (0.8, 0.1, 0.1), tolerance=0.05)


def test_scaffold_split_puts_big_scaffold_sets_in_train():
    # 40 phenols, 8 pyridines and 8 singletons: both sets are "big" (> half the test
    # target); the phenols must fill train first, whatever the seed
    smiles = (
        ["Oc1ccccc1"] * 40 + [s + "c1ccncc1" for s in SUBSTITUENTS] + ["C" + r for r in RINGS[2:]]
    )
    for seed in range(5):
        assert set(range(40)) <= set(scaffold_split(smiles, seed=seed).train)


def test_group_split_keeps_each_dye_in_one_part_whatever_the_solvent():
    rng = np.random.default_rng(0)
    dyes = [SMILES[i] for i in range(0, 80, 2)]
    rows = [dye for dye in dyes for _ in range(rng.integers(1, 6))]
    split = group_split(rows, seed=1)
    assert_disjoint(split, rows)
    assert_sizes_close(split, (0.8, 0.1, 0.1), tolerance=0.05)
    # the SMILES are the default groups of make_split("group", ...)
    np.testing.assert_array_equal(make_split("group", rows, seed=1).labels(), split.labels())


def test_group_split_by_molecule_keeps_every_spelling_of_it_in_one_part():
    spellings = {"CCO": ["CCO", "OCC", "C(C)O"], "c1ccccc1": ["c1ccccc1", "C1=CC=CC=C1"],
                 "CCN": ["CCN", "NCC"]}  # fmt: skip
    rows = [text for texts in spellings.values() for text in texts] * 4 + ["not a smiles"]
    for seed in range(5):
        split = make_split("group", rows, (0.5, 0.25, 0.25), seed)
        molecule = {text: key for key, texts in spellings.items() for text in texts}
        assert_disjoint(split, [molecule.get(text, text) for text in rows])


def test_a_hold_out_without_test_part_is_shuffled_by_the_seed_not_by_group_size():
    sizes = [1 + i % 4 for i in range(40)]  # 40 groups of 1 to 4 rows
    starts = np.cumsum([0, *sizes[:-1]])
    groups = [np.arange(start, start + size) for start, size in zip(starts, sizes, strict=True)]
    held_out = [assign_groups(groups, (0.5, 0.5, 0.0), seed).val for seed in range(3)]
    assert len({tuple(sorted(rows)) for rows in held_out}) == 3  # the seed matters
    held_sizes = {len(g) for g in groups if set(g) <= set(held_out[0])}
    assert max(held_sizes) == 4  # not only the smallest groups


def test_random_split_leaks_repeated_molecules_which_the_report_shows():
    rows = [s for s in SMILES[:20] for _ in range(4)]
    report = split_report(rows, random_split(rows, seed=0))
    assert report.summary.loc["test", "n_in_train"] > 0
    assert report.summary.loc["test", "max"] == pytest.approx(1.0)
    grouped = split_report(rows, group_split(rows, seed=0))
    assert grouped.summary.loc["test", "n_in_train"] == 0
    assert grouped.summary.loc["test", "max"] < 1.0


def test_cluster_split_never_shares_a_cluster():
    clusters = fingerprint_clusters(SMILES, n_clusters=12, seed=2)
    assert len(set(clusters)) == 12
    split = cluster_split(SMILES, seed=2, n_clusters=12)
    assert_disjoint(split, clusters)
    assert min(split.val.size, split.test.size) > 0


def test_fingerprint_clusters_caps_the_number_of_clusters_at_distinct_molecules():
    clusters = fingerprint_clusters(["CCO", "CCO", "c1ccccc1"], n_clusters=10)
    assert clusters[0] == clusters[1] != clusters[2]


def test_assign_groups_sends_a_group_that_fits_nowhere_to_the_emptiest_part():
    # targets 8 / 1 / 1 of 10 rows: the third triple fits nowhere and must not overfill train
    groups = [np.arange(0, 3), np.arange(3, 6), np.arange(6, 9), np.array([9])]
    for seed in range(3):
        split = assign_groups(groups, (0.8, 0.1, 0.1), seed=seed)
        assert split.train.size == 7
        assert sorted([split.val.size, split.test.size]) == [0, 3]


def test_split_report_nearest_neighbour_similarity_matches_brute_force():
    split = scaffold_split(SMILES, seed=0)
    report = split_report(SMILES, split)
    from athanor.chem.fingerprints import bulk_tanimoto, morgan_fingerprints

    fps = morgan_fingerprints(SMILES)
    test_rows = report.similarity.query("split == 'test'")
    expected = bulk_tanimoto(fps[test_rows["row"]], fps[split.train]).max(axis=1)
    np.testing.assert_allclose(test_rows["nn_tanimoto"], expected, rtol=1e-6)
    summary = report.summary
    assert summary.loc["test", "median"] == pytest.approx(np.median(expected), rel=1e-6)
    assert summary["n_rows"].sum() == len(SMILES)
    assert np.isnan(summary.loc["train", "median"])


def test_labels_round_trip_and_invalid_partitions_are_rejected():
    split = random_split(SMILES, seed=0)
    restored = SplitIndices.from_labels(split.to_frame()["split"])
    for part in ("train", "val", "test"):
        np.testing.assert_array_equal(getattr(restored, part), getattr(split, part))
    with pytest.raises(InputDataError, match="partition"):
        SplitIndices(np.array([0, 1]), np.array([1]), np.array([2]))
    with pytest.raises(InputDataError, match="unknown split labels"):
        SplitIndices.from_labels(["train", "valid"])


@pytest.mark.parametrize("sizes", [(0.8, 0.1), (0.8, 0.3, 0.1), (0.0, 0.5, 0.5), (1.2, -0.1, -0.1)])
def test_bad_sizes_are_rejected(sizes):
    with pytest.raises(InputDataError):
        random_split(SMILES, sizes)


def test_make_split_names_valid_strategies_and_options():
    with pytest.raises(InputDataError, match="random, scaffold, group, cluster"):
        make_split("butina", SMILES)
    with pytest.raises(InputDataError, match="allowed: n_clusters"):
        make_split("cluster", SMILES, n_cluster=5)
    with pytest.raises(InputDataError, match="only used by the 'group'"):
        make_split("scaffold", SMILES, groups=SMILES)
    with pytest.raises(InputDataError, match="groups for"):
        make_split("group", SMILES, groups=SMILES[:3])
