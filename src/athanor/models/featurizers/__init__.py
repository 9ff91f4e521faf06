"""Featurisers: Morgan fingerprints, standardised RDKit descriptors, molecular graphs."""

from athanor.models.featurizers.fingerprints import (
    DescriptorFeaturizer,
    MorganFeaturizer,
    make_featurizer,
)
from athanor.models.featurizers.graph import GraphBatch, GraphFeaturizer, GraphSet

__all__ = [
    "DescriptorFeaturizer",
    "GraphBatch",
    "GraphFeaturizer",
    "GraphSet",
    "MorganFeaturizer",
    "make_featurizer",
]
