"""Mini-batch training of an `MPNNNetwork`: Noam-like learning-rate schedule (as chemprop),
masked multi-task loss, and model selection on a validation set.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from tqdm.auto import trange

from athanor.models.adam import Adam
from athanor.models.featurizers.graph import GraphBatch, GraphSet, padded
from athanor.models.likelihoods import PointLikelihood
from athanor.models.mpnn import MPNNNetwork

logger = logging.getLogger(__name__)

Precision = Literal["fp32", "bf16"]
EpochCallback = Callable[[int, float], None]
"""``on_epoch(epoch, val_loss)``, called after each epoch's validation; an exception it raises
(e.g. ``optuna.TrialPruned``) stops the training and propagates to the caller."""


@contextmanager
def torch_threads(n_threads: int) -> Iterator[None]:
    """Run with ``n_threads`` torch intra-op threads, then restore the previous number."""
    before = torch.get_num_threads()
    torch.set_num_threads(n_threads)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def bf16_is_native() -> bool:
    """Whether this CPU has bf16 dot-product instructions (AVX512-BF16 or AMX), on which
    bf16 matrix products run 2-4x faster than float32; elsewhere they are slower."""
    return torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()


def matmul_precision(precision: Precision) -> torch.autocast:
    """Context in which the network's matrix products run in ``precision`` (bf16: autocast;
    everything else, and the weights, stay float32)."""
    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16")


@dataclass(frozen=True)
class Schedule:
    """Optimisation settings (chemprop's defaults are 50 epochs, batch 64, 2 warm-up epochs,
    learning rate 1e-4 → 1e-3 → 1e-4)."""

    epochs: int
    batch_size: int
    warmup_epochs: float
    init_lr: float
    max_lr: float
    final_lr: float
    patience: int | None
    precision: Precision = "fp32"

    def learning_rate(self, step: int, steps_per_epoch: int) -> float:
        """Linear warm-up from init_lr to max_lr, then exponential decay to final_lr."""
        warmup = max(1, int(self.warmup_epochs * steps_per_epoch))
        total = max(warmup + 1, self.epochs * steps_per_epoch)
        if step < warmup:
            return self.init_lr + (self.max_lr - self.init_lr) * step / warmup
        progress = (step - warmup) / (total - warmup)
        return self.max_lr * (self.final_lr / self.max_lr) ** min(progress, 1.0)


@dataclass(frozen=True)
class MoleculeData:
    """Featurised rows: one `GraphSet` per component, scaled targets and conditions.

    Attributes:
        graphs: n_components graph sets of n molecules each.
        targets: shape (n, t), float32, NaN where missing (None when predicting).
        conditions: shape (n, c), float32, or None.
    """

    graphs: list[GraphSet]
    targets: np.ndarray | None
    conditions: np.ndarray | None

    def __len__(self) -> int:
        return len(self.graphs[0])

    def inputs(
        self, index: np.ndarray, precision: Precision = "fp32"
    ) -> tuple[list[GraphBatch], torch.Tensor | None]:
        """Network inputs of rows ``index``; for bf16, graphs padded to a few shapes."""
        conditions = None if self.conditions is None else torch.from_numpy(self.conditions[index])
        graphs = [graphs.batch(index) for graphs in self.graphs]
        return [padded(g) for g in graphs] if precision == "bf16" else graphs, conditions

    def labels(self, index: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        """Targets (NaN replaced by 0) and the mask of labelled entries, each (b, t)."""
        y = torch.from_numpy(self.targets[index])
        mask = ~torch.isnan(y)
        return torch.nan_to_num(y, nan=0.0), mask


def run_network(
    call: Callable[..., torch.Tensor], data: MoleculeData, index: np.ndarray, precision: Precision
) -> torch.Tensor:
    """``call`` (a network, or its ``embed``) on rows ``index``, with the inputs (padded for
    bf16) and the matrix products of ``precision``."""
    with matmul_precision(precision):
        return call(*data.inputs(index, precision))


def batch_indices(
    n: int, batch_size: int, rng: np.random.Generator | None = None
) -> list[np.ndarray]:
    """Row indices of consecutive mini-batches, shuffled when ``rng`` is given."""
    order = np.arange(n) if rng is None else rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def validation_loss(
    network: MPNNNetwork,
    likelihood: PointLikelihood,
    data: MoleculeData,
    batch_size: int,
    precision: Precision = "fp32",
) -> float:
    """Mean loss per labelled entry over a data set, in evaluation mode."""
    network.eval()
    total, count = 0.0, 0
    with torch.inference_mode():
        for index in batch_indices(len(data), batch_size):
            y, mask = data.labels(index)
            n_labels = int(mask.sum())
            outputs = run_network(network, data, index, precision)
            total += float(likelihood.loss(outputs, y, mask)) * n_labels
            count += n_labels
    return total / max(count, 1)


def train_network(
    network: MPNNNetwork,
    likelihood: PointLikelihood,
    train: MoleculeData,
    val: MoleculeData | None,
    schedule: Schedule,
    seed: int,
    progress: bool = False,
    on_epoch: EpochCallback | None = None,
) -> MPNNNetwork:
    """Train in place; with validation data, restore the epoch of lowest validation loss and
    stop after ``patience`` epochs without improvement. ``progress`` shows a bar over epochs;
    ``on_epoch`` receives each epoch's validation loss (mean loss per labelled entry on scaled
    targets, the value the best epoch is chosen by).

    Returns:
        The trained network (in evaluation mode).
    """
    rng = np.random.default_rng(seed)
    optimizer = Adam(network.parameters(), lr=schedule.init_lr)
    steps_per_epoch = math.ceil(len(train) / schedule.batch_size)
    best_loss, best_state, best_epoch, step = math.inf, None, 0, 0
    for epoch in trange(schedule.epochs, desc="epochs", unit="epoch", disable=not progress):
        network.train()
        for index in batch_indices(len(train), schedule.batch_size, rng):
            for group in optimizer.param_groups:
                group["lr"] = schedule.learning_rate(step, steps_per_epoch)
            y, mask = train.labels(index)
            outputs = run_network(network, train, index, schedule.precision)
            loss = likelihood.loss(outputs, y, mask)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
        if val is None:
            continue
        loss = validation_loss(
            network, likelihood, val, 4 * schedule.batch_size, schedule.precision
        )
        logger.debug("epoch %d: validation loss %.4f", epoch, loss)
        if on_epoch is not None:
            on_epoch(epoch, loss)
        if loss < best_loss:
            best_loss, best_state, best_epoch = loss, copy.deepcopy(network.state_dict()), epoch
        elif schedule.patience is not None and epoch - best_epoch >= schedule.patience:
            break
    if best_state is not None:
        network.load_state_dict(best_state)
    return network.eval()
