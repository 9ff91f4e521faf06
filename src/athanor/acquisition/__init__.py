"""Acquisition: score candidates from a prediction with uncertainty, then pick a batch.

Convention: larger is better. Campaigns that minimise a property negate it (and its
predictions) before acquisition, so every function here maximises.
"""

from athanor.acquisition.batch import cluster_top_k, diverse_top_k, top_k
from athanor.acquisition.functions import ACQUISITION_FUNCTIONS, acquisition_scores

__all__ = ["ACQUISITION_FUNCTIONS", "acquisition_scores", "cluster_top_k", "diverse_top_k", "top_k"]
