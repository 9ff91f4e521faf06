"""Exact Gaussian process with a Tanimoto kernel on fingerprints, for small data sets.

The kernel is ``k(a, b) = s · <a, b> / (|a|² + |b|² - <a, b>)`` (Tanimoto on bits, its
continuous form on counts; Ralaivola 2005, GAUCHE 2023) plus noise ``σ²`` on the diagonal,
on standardised targets. One eigendecomposition of the training kernel makes the marginal
likelihood cheap to evaluate, so ``s`` and ``σ²`` are fitted exactly by L-BFGS for each task.
Memory and time grow as n² and n³: meant for up to a few thousand labelled molecules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import minimize

from athanor.core.errors import ConfigError
from athanor.core.prediction import Prediction
from athanor.models.feature_model import FeatureSurrogate, labelled
from athanor.models.persistence import load_arrays, save_arrays
from athanor.models.registry import register
from athanor.models.scaling import Standardizer

ARRAYS_FILE = "gp.npz"
LOG_BOUNDS = [(np.log(1e-3), np.log(1e3)), (np.log(1e-4), np.log(10.0))]  # log s, log σ²


def tanimoto(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Tanimoto similarity of fingerprints a (n, d) and b (m, d): shape (n, m), in [0, 1]."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    inner = a @ b.T
    union = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - inner
    return np.divide(inner, union, out=np.zeros_like(inner), where=union > 0)


@dataclass(frozen=True)
class TaskPosterior:
    """The fitted GP of one task (n labelled training molecules).

    Attributes:
        features: (n, d) training fingerprints.
        eigenvectors: (n, n), eigenvalues: (n,) of the training Tanimoto matrix.
        weights: (n,) ``K⁻¹ y`` in standardised units.
        hyper: (2,) signal variance s and noise variance σ².
        center, scale: (1,) target standardisation.
    """

    features: np.ndarray
    eigenvectors: np.ndarray
    eigenvalues: np.ndarray
    weights: np.ndarray
    hyper: np.ndarray
    center: np.ndarray
    scale: np.ndarray

    @classmethod
    def fit(cls, features: np.ndarray, y: np.ndarray, noise: float | None) -> TaskPosterior:
        """Fit s (and σ² unless ``noise`` fixes it) by maximum marginal likelihood.

        Args:
            features: (n, d) fingerprints.
            y: (n,) targets, no NaN.
            noise: fixed σ² in units of the target variance, or None to fit it.
        """
        scaler = Standardizer.fit(y[:, None])
        z = scaler.transform(y[:, None])[:, 0].astype(np.float64)
        eigenvalues, eigenvectors = np.linalg.eigh(tanimoto(features, features))
        eigenvalues = np.clip(eigenvalues, 0, None)
        projected = eigenvectors.T @ z

        def negative_log_likelihood(log_hyper: np.ndarray) -> float:
            s, noise = np.exp(log_hyper)
            spectrum = s * eigenvalues + noise
            return 0.5 * float(np.sum(projected**2 / spectrum) + np.sum(np.log(spectrum)))

        bounds = LOG_BOUNDS if noise is None else [LOG_BOUNDS[0], (np.log(noise),) * 2]
        start = np.array([0.0, bounds[1][0] if noise else 0.0])
        result = minimize(negative_log_likelihood, start, bounds=bounds, method="L-BFGS-B")
        s, noise = np.exp(result.x)
        weights = eigenvectors @ (projected / (s * eigenvalues + noise))
        return cls(features, eigenvectors, eigenvalues, weights, np.exp(result.x),
                   scaler.center, scaler.scale)  # fmt: skip

    def predict(self, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predictive mean and variance (latent + noise) of m molecules, each (m,)."""
        s, noise = self.hyper
        cross = s * tanimoto(features, self.features)  # (m, n)
        projected = cross @ self.eigenvectors
        latent = s - np.sum(projected**2 / (s * self.eigenvalues + noise), axis=1)
        mean = cross @ self.weights
        variance = np.clip(latent, 0, None) + noise
        return mean * self.scale + self.center, variance * self.scale**2

    def sample(self, features: np.ndarray, n_samples: int, rng: np.random.Generator) -> np.ndarray:
        """Joint draws of (latent + noise) at m molecules: shape (n_samples, m)."""
        s, noise = self.hyper
        cross = s * tanimoto(features, self.features)
        projected = cross @ self.eigenvectors
        covariance = (
            s * tanimoto(features, features)
            - (projected / (s * self.eigenvalues + noise)) @ projected.T
        )
        covariance += noise * np.eye(len(features))
        factor = np.linalg.cholesky(covariance + 1e-9 * np.eye(len(features)))
        draws = (factor @ rng.standard_normal((len(features), n_samples))).T + cross @ self.weights
        return draws * self.scale + self.center


FINGERPRINTS = ("morgan", "morgan_counts", "atompair", "atompair_counts")


@register("gp")
class TanimotoGPSurrogate(FeatureSurrogate):
    """Exact GP regression with a Tanimoto kernel, one GP per task.

    Args:
        features: ``"morgan"``, ``"atompair"`` (bits) or their ``_counts`` (the same
            continuous Tanimoto kernel on counts, not MinMax).
        radius, n_bits: fingerprint settings (radius: Morgan only).
        noise: noise variance as a fraction of each task's target variance; None (default)
            fits it by maximum marginal likelihood.
        n_samples: joint posterior draws returned by `predict` (0: no samples; memory grows
            as the square of the number of molecules predicted).
        seed: seed of the posterior draws.
    """

    def __init__(
        self,
        *,
        features: str = "morgan",
        radius: int = 2,
        n_bits: int = 2048,
        noise: float | None = None,
        n_samples: int = 0,
        seed: int = 0,
    ):
        self.features = features
        self.radius = radius
        self.n_bits = n_bits
        self.noise = noise
        self.n_samples = n_samples
        self.seed = seed

    def _fit_tasks(self, features: np.ndarray, targets: np.ndarray) -> None:
        if self.features not in FINGERPRINTS:
            raise ConfigError(
                f"the Tanimoto GP needs fingerprint features: {', '.join(FINGERPRINTS)}"
            )
        self.posteriors_ = [
            TaskPosterior.fit(features[rows], targets[rows, task], self.noise)
            for task in range(targets.shape[1])
            for rows in [labelled(targets, task)]
        ]

    def _predict_features(self, features: np.ndarray) -> Prediction:
        """Mean and std (n, t); with ``n_samples`` > 0, joint draws (n_samples, n, t)."""
        moments = [posterior.predict(features) for posterior in self.posteriors_]
        mean = np.stack([m for m, _ in moments], axis=1)
        std = np.sqrt(np.stack([v for _, v in moments], axis=1))
        samples = None
        if self.n_samples:
            rng = np.random.default_rng(self.seed)
            draws = [p.sample(features, self.n_samples, rng) for p in self.posteriors_]
            samples = np.stack(draws, axis=-1)
        return Prediction(mean=mean, std=std, samples=samples)

    def _save_tasks(self, directory: Path) -> dict[str, Any]:
        arrays = {
            f"{task}_{name}": getattr(posterior, name)
            for task, posterior in enumerate(self.posteriors_)
            for name in TaskPosterior.__dataclass_fields__
        }
        save_arrays(directory / ARRAYS_FILE, arrays)
        return {}

    def _load_tasks(self, directory: Path, state: dict[str, Any]) -> None:
        arrays = load_arrays(directory / ARRAYS_FILE)
        names = TaskPosterior.__dataclass_fields__
        self.posteriors_ = [
            TaskPosterior(**{name: arrays[f"{task}_{name}"] for name in names})
            for task in range(self.n_tasks_)
        ]
