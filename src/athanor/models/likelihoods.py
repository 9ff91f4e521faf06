"""What a network's raw outputs mean, and the loss that trains them (all in scaled units).

Raw outputs have shape (b, n_params * n_tasks), laid out as (b, n_params, n_tasks). Losses
are averaged over the labelled entries only: a NaN target masks one task of one row.
"""

from __future__ import annotations

import math
from typing import ClassVar

import torch
from torch.nn.functional import softplus

VARIANCE_FLOOR = 1e-6


def masked_mean(loss: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of ``loss`` (b, t) over the entries where ``mask`` (b, t) is true."""
    return torch.where(mask, loss, 0.0).sum() / mask.sum().clamp(min=1)


class PointLikelihood:
    """A mean per task, trained with the mean squared error (no aleatoric uncertainty)."""

    n_params: ClassVar[int] = 1

    def params(self, raw: torch.Tensor, n_tasks: int) -> tuple[torch.Tensor, ...]:
        """Split raw outputs into parameters, each of shape (b, n_tasks)."""
        return tuple(raw.view(raw.shape[0], self.n_params, n_tasks).unbind(1))

    def loss(self, raw: torch.Tensor, y: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Scalar training loss; ``y`` (b, t) has zeros where ``mask`` is false."""
        (mean,) = self.params(raw, y.shape[1])
        return masked_mean((mean - y) ** 2, mask)


class GaussianLikelihood(PointLikelihood):
    """Mean-variance estimation (Nix & Weigend 1994): a mean and a variance per task, trained
    with the Gaussian negative log-likelihood."""

    n_params: ClassVar[int] = 2

    def params(self, raw: torch.Tensor, n_tasks: int) -> tuple[torch.Tensor, ...]:
        mean, variance = super().params(raw, n_tasks)
        return mean, softplus(variance) + VARIANCE_FLOOR

    def loss(self, raw: torch.Tensor, y: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        mean, variance = self.params(raw, y.shape[1])
        nll = 0.5 * torch.log(2 * math.pi * variance) + (mean - y) ** 2 / (2 * variance)
        return masked_mean(nll, mask)


class EvidentialLikelihood(PointLikelihood):
    """Deep evidential regression (Amini et al. 2020): a Normal-Inverse-Gamma (γ, ν, α, β)
    per task, trained with its negative log-likelihood plus an evidence regulariser.

    Args:
        regularization: weight of ``|y - γ| (2ν + α)`` (0.2 as chemprop, Soleimany 2021).
    """

    n_params: ClassVar[int] = 4

    def __init__(self, regularization: float = 0.2):
        self.regularization = regularization

    def params(self, raw: torch.Tensor, n_tasks: int) -> tuple[torch.Tensor, ...]:
        gamma, nu, alpha, beta = super().params(raw, n_tasks)
        floor = VARIANCE_FLOOR
        return gamma, softplus(nu) + floor, softplus(alpha) + 1 + floor, softplus(beta) + floor

    def loss(self, raw: torch.Tensor, y: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        gamma, nu, alpha, beta = self.params(raw, y.shape[1])
        residual = y - gamma
        omega = 2 * beta * (1 + nu)
        nll = (
            0.5 * torch.log(math.pi / nu)
            - alpha * torch.log(omega)
            + (alpha + 0.5) * torch.log(nu * residual**2 + omega)
            + torch.lgamma(alpha)
            - torch.lgamma(alpha + 0.5)
        )
        penalty = residual.abs() * (2 * nu + alpha)
        return masked_mean(nll + self.regularization * penalty, mask)
