"""Train/validation/test splits of molecule data sets, and reports on their difficulty.

Strategies: ``random``, ``scaffold`` (balanced Bemis–Murcko), ``group`` (any column, e.g. a
dye across solvents) and ``cluster`` (k-means on fingerprints); all deterministic for a seed.
"""

from athanor.splits.clustering import fingerprint_clusters
from athanor.splits.indices import SplitIndices
from athanor.splits.report import SplitReport, split_report
from athanor.splits.strategies import (
    SPLITTERS,
    cluster_split,
    group_split,
    make_split,
    random_split,
    scaffold_split,
)

__all__ = [
    "SPLITTERS",
    "SplitIndices",
    "SplitReport",
    "cluster_split",
    "fingerprint_clusters",
    "group_split",
    "make_split",
    "random_split",
    "scaffold_split",
    "split_report",
]
