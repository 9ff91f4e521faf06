"""Exact Gaussian-process regression on continuous latent codes (RBF kernel).

Small and self-contained: k(a, b) = s · exp(−|a − b|² / 2ℓ²) plus noise σ² on standardised
targets, with (ℓ, s, σ²) fitted by maximum marginal likelihood (L-BFGS). Predictions come as
an `athanor.core.prediction.Prediction`, so every acquisition function applies.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.optimize import minimize
from scipy.spatial.distance import cdist

from athanor.core.errors import InputDataError
from athanor.core.prediction import Prediction

# bounds of log ℓ (relative to the median distance), log s and log σ²
LOG_BOUNDS = [(np.log(0.05), np.log(20.0)), (np.log(1e-2), np.log(1e2)), (np.log(1e-4), 0.0)]


class LatentGP:
    """GP regression on points of shape (n, d).

    Attributes (after `fit`):
        hyper_: (3,) length scale ℓ, signal variance s, noise variance σ².
    """

    def _kernel(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        length, signal, _ = self.hyper_
        return signal * np.exp(-0.5 * cdist(a, b, "sqeuclidean") / length**2)

    def fit(self, x: np.ndarray, y: np.ndarray) -> LatentGP:
        """Fit to points x (n, d) with targets y (n,).

        Raises:
            InputDataError: fewer than two points, or non-finite values.
        """
        if len(x) < 2 or not (np.isfinite(x).all() and np.isfinite(y).all()):
            raise InputDataError("the latent GP needs at least two finite observations")
        self.x_ = np.asarray(x, dtype=np.float64)
        self.center_, self.scale_ = y.mean(), y.std() if y.std() > 0 else 1.0
        z = (y - self.center_) / self.scale_
        distances = cdist(self.x_, self.x_, "sqeuclidean")
        median = np.sqrt(np.median(distances[distances > 0])) if (distances > 0).any() else 1.0

        def negative_log_likelihood(log_hyper: np.ndarray) -> float:
            length, signal, noise = np.exp(log_hyper)
            kernel = signal * np.exp(-0.5 * distances / (length * median) ** 2)
            factor = cho_factor(kernel + (noise + 1e-8) * np.eye(len(z)), lower=True)
            return 0.5 * z @ cho_solve(factor, z) + np.log(np.diag(factor[0])).sum()

        result = minimize(negative_log_likelihood, np.zeros(3), bounds=LOG_BOUNDS,
                          method="L-BFGS-B")  # fmt: skip
        length, signal, noise = np.exp(result.x)
        self.hyper_ = np.array([length * median, signal, noise])
        self.factor_ = cho_factor(
            self._kernel(self.x_, self.x_) + (noise + 1e-8) * np.eye(len(z)), lower=True
        )
        self.weights_ = cho_solve(self.factor_, z)
        return self

    def predict(self, x: np.ndarray) -> Prediction:
        """Predictive mean and std (latent + noise) at points x (m, d): shapes (m, 1)."""
        cross = self._kernel(np.asarray(x, dtype=np.float64), self.x_)  # (m, n)
        mean = cross @ self.weights_
        variance = self.hyper_[1] - np.einsum("ij,ji->i", cross, cho_solve(self.factor_, cross.T))
        std = np.sqrt(np.clip(variance, 0, None) + self.hyper_[2])
        return Prediction(
            mean=(mean * self.scale_ + self.center_)[:, None], std=(std * self.scale_)[:, None]
        )
