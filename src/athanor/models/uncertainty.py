"""Turning model outputs into a `Prediction`: the uncertainty maths in one place.

Every method ends as s members (ensemble members, dropout masks, or one model) that each give a
Gaussian predictive per molecule and task: a mean and an aleatoric variance (zero for models
trained on squared error). The members are combined as an equally weighted mixture:

    mean = mean_s(mu_s),   var = mean_s(sigma2_s) + var_s(mu_s)

(aleatoric + epistemic; Lakshminarayanan et al. 2017). The member means are the samples.
"""

from __future__ import annotations

import numpy as np

from athanor.core.prediction import Prediction


def evidential_variance(nu: np.ndarray, alpha: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """Total predictive variance of a Normal-Inverse-Gamma: aleatoric β/(α-1) plus epistemic
    β/(ν(α-1)) (Amini et al. 2020). Shapes broadcast; returns the same shape."""
    aleatoric = beta / (alpha - 1)
    return aleatoric + aleatoric / nu


def unscale(
    means: np.ndarray, variances: np.ndarray, center: np.ndarray, scale: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Undo target standardisation: shapes (..., t) with ``center`` and ``scale`` of (t,)."""
    return means * scale + center, variances * scale**2


def combine_members(means: np.ndarray, variances: np.ndarray | None = None) -> Prediction:
    """Gaussian mixture of s members.

    Args:
        means: shape (s, n, t), each member's predictive mean.
        variances: shape (s, n, t), each member's aleatoric variance; None for zero.

    Returns:
        A `Prediction` with mean and std (n, t); samples (s, n, t) are the member means when
        s > 1 (draws of the epistemic distribution), None for a single member.
    """
    mean = means.mean(axis=0)
    variance = means.var(axis=0)
    if variances is not None:
        variance = variance + variances.mean(axis=0)
    samples = means if means.shape[0] > 1 else None
    return Prediction(mean=mean, std=np.sqrt(variance), samples=samples)
