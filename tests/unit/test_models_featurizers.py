"""Featurisers: molecular graphs for message passing (and their padding to a few shapes),
Morgan fingerprints, descriptors."""

import numpy as np
import pytest
import torch

from athanor.core.errors import MoleculeError
from athanor.models.featurizers import (
    DescriptorFeaturizer,
    GraphFeaturizer,
    MorganFeaturizer,
    make_featurizer,
)
from athanor.models.featurizers.graph import (
    ATOM_FIELDS,
    ATOM_VOCABULARY,
    BOND_VOCABULARY,
    molecule_graph,
    padded,
    shape_bucket,
)
from athanor.models.mpnn import BondMessagePassing

SMILES = ["CCO", "c1ccccc1O", "[Na+].[Cl-]", "C[C@H](N)C(=O)O"]


def test_ethanol_graph_has_three_atoms_two_bonds_and_chemprop_mass():
    graph = molecule_graph("CCO")
    assert graph.atom_codes.shape == (3, len(ATOM_FIELDS))
    assert graph.bond_atoms.tolist() == [[0, 1], [1, 2]]
    np.testing.assert_allclose(graph.atom_mass, [0.12011, 0.12011, 0.15999], rtol=1e-5)


def test_codes_pick_one_category_per_field_inside_the_vocabulary():
    graphs = GraphFeaturizer()(SMILES)
    assert graphs.atom_codes.min() >= 0 and graphs.atom_codes.max() < ATOM_VOCABULARY
    assert graphs.bond_codes.max() < BOND_VOCABULARY
    # fields occupy disjoint, increasing ranges: every column is larger than the previous
    assert (np.diff(graphs.atom_codes, axis=1) > 0).all()


def test_aromatic_and_charged_atoms_get_distinct_codes():
    benzene, cyclohexane = molecule_graph("c1ccccc1"), molecule_graph("C1CCCCC1")
    assert not np.array_equal(benzene.atom_codes, cyclohexane.atom_codes)
    assert not np.array_equal(benzene.bond_codes, cyclohexane.bond_codes)
    sodium, neutral = molecule_graph("[Na+]"), molecule_graph("[Na]")
    assert not np.array_equal(sodium.atom_codes, neutral.atom_codes)


def test_batch_builds_directed_edges_with_reverse_pairs_and_offsets():
    graphs = GraphFeaturizer()(SMILES)
    batch = graphs.batch(np.array([3, 0]))  # alanine (6 atoms, 5 bonds) then ethanol (3, 2)
    assert batch.n_molecules == 2
    assert batch.molecule_index.tolist() == [0] * 6 + [1] * 3
    assert len(batch.edge_source) == 2 * (5 + 2)
    reverse = batch.reverse_edge
    assert torch.equal(batch.edge_source[reverse], batch.edge_target)
    assert torch.equal(batch.edge_codes[reverse], batch.edge_codes)
    # ethanol's atoms are shifted after alanine's six
    assert batch.edge_source[-4:].tolist() == [6, 7, 7, 8]
    np.testing.assert_array_equal(batch.atom_codes[6:].numpy(), molecule_graph("CCO").atom_codes)


def test_molecule_without_bonds_batches_with_no_edges():
    batch = GraphFeaturizer()(["[Na+].[Cl-]"]).batch(np.array([0]))
    assert batch.atom_codes.shape[0] == 2 and batch.edge_source.numel() == 0


def test_featurizer_caches_each_distinct_smiles_once():
    featurizer = GraphFeaturizer()
    featurizer(["CCO", "CCO", "CCN"])
    first = featurizer._cache["CCO"]
    featurizer(["CCO"])
    assert len(featurizer._cache) == 2 and featurizer._cache["CCO"] is first


def test_unparsable_smiles_raises_molecule_error():
    with pytest.raises(MoleculeError):
        GraphFeaturizer()(["CCO", "C1CC"])


def test_morgan_bits_and_counts():
    bits = MorganFeaturizer(n_bits=1024).transform(["CCCCCC"])
    counts = MorganFeaturizer(n_bits=1024, counts=True).transform(["CCCCCC"])
    assert bits.shape == (1, 1024) and set(np.unique(bits)) <= {0.0, 1.0}
    assert counts.max() > 1  # the CH2 environment occurs several times


def test_descriptors_are_standardised_on_the_training_set_and_restorable():
    featurizer = DescriptorFeaturizer().fit(SMILES)
    train = featurizer.transform(SMILES)
    assert train.shape == (4, 217) and np.isfinite(train).all()
    np.testing.assert_allclose(train.mean(axis=0), 0, atol=1e-5)
    restored = make_featurizer("descriptors", 2, 2048, featurizer.to_json())
    np.testing.assert_array_equal(restored.transform(["CCN"]), featurizer.transform(["CCN"]))


def test_cache_stops_growing_at_its_capacity_but_still_featurises():
    featurizer = GraphFeaturizer(capacity=2)
    featurizer(["CCO", "CCN"])
    graphs = featurizer(["CCO", "CCC", "CCCl"])
    assert len(graphs) == 3 and set(featurizer._cache) == {"CCO", "CCN"}


@pytest.mark.parametrize("n", [1, 2, 31, 100, 3_701, 50_000])
def test_shape_buckets_cover_the_size_with_at_most_a_quarter_of_padding(n):
    bucket = shape_bucket(n, at_least=1)
    assert n + 1 <= bucket <= n + 1 + max(n / 4, 2)


def test_a_few_buckets_cover_all_batch_sizes_of_an_epoch():
    assert len({shape_bucket(n) for n in range(3_000, 6_000, 2)}) <= 8


@pytest.mark.parametrize("aggregation", ["mean", "sum", "norm"])
def test_padding_changes_no_molecule_vector(aggregation):
    torch.manual_seed(0)
    encoder = BondMessagePassing(hidden_size=8, depth=3, dropout=0.0, aggregation=aggregation)
    batch = GraphFeaturizer()(["CCO", "c1ccccc1O", "[Na+].[Cl-]", "C"]).batch(np.arange(4))
    bigger = padded(batch)
    assert len(bigger.edge_source) % 2 == 0 and len(bigger.atom_codes) > len(batch.atom_codes)
    torch.testing.assert_close(encoder(bigger), encoder(batch))
