"""Directed message passing neural network (D-MPNN, Yang et al. 2019) in plain PyTorch.

The blocks follow chemprop v2: `BondMessagePassing` encodes one molecule graph into atom
states and pools them into a molecule vector; `MPNNNetwork` runs one encoder per input
component (dye, solvent, ...), concatenates their vectors with optional numeric conditions and
maps them through a feed-forward head. All graph operations are gathers and ``index_add_``
over flat tensors: no Python loop over molecules, atoms or bonds.

Every dropout is a `FeatureDropout`: ordinary dropout in training, and in an MC-dropout pass
(`consistent_dropout`) one feature mask shared by every row, so that a molecule's sampled
predictions do not depend on the other molecules in its batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

import torch
from torch import nn

from athanor.models.featurizers.graph import ATOM_VOCABULARY, BOND_VOCABULARY, GraphBatch

Aggregation = Literal["mean", "sum", "norm"]
NORM_AGGREGATION_SCALE = 100.0  # chemprop's default for "norm": sum / 100


def multi_hot(codes: torch.Tensor, size: int) -> torch.Tensor:
    """Category indices (n, n_fields) → float32 (n, size) with a one at each index: the
    concatenated one-hot blocks of chemprop's features, built per batch only."""
    return torch.zeros(len(codes), size).scatter_(1, codes, 1.0)


class FeatureDropout(nn.Dropout):
    """Dropout over the last dimension, of size ``width``, that can apply a fixed mask instead.

    Without a mask it is `nn.Dropout` (element-wise in training, the identity in evaluation).
    While `consistent_dropout` has set ``mask``, shape (width,), every row is multiplied by
    that mask, in any mode.

    Args:
        p: probability of dropping a feature.
        width: size of the last dimension of the inputs.
    """

    def __init__(self, p: float, width: int):
        super().__init__(p)
        self.width = width
        self.mask: torch.Tensor | None = None

    def draw_mask(self, generator: torch.Generator) -> torch.Tensor:
        """A mask of shape (width,): 0 with probability p, else 1 / (1 - p), float32."""
        keep = 1.0 - self.p
        return torch.bernoulli(torch.full((self.width,), keep), generator=generator) / keep

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Drop features of ``x``, shape (..., width); returns the same shape and dtype."""
        if self.mask is None:
            return super().forward(x)
        return x * self.mask.to(x.dtype)


@contextmanager
def consistent_dropout(network: nn.Module, generator: torch.Generator) -> Iterator[None]:
    """One MC-dropout pass of ``network``: within, each `FeatureDropout` drops the same features
    of every row, from a mask drawn from ``generator`` (layers in module order) on entry, so
    that each row's output depends only on the weights, the generator's state and the row."""
    layers = [module for module in network.modules() if isinstance(module, FeatureDropout)]
    for layer in layers:
        layer.mask = layer.draw_mask(generator)
    try:
        yield
    finally:
        for layer in layers:
            layer.mask = None


class BondMessagePassing(nn.Module):
    """Messages on directed bonds, then atom states, then one vector per molecule.

    Args:
        hidden_size: width d of messages and of the molecule vector.
        depth: message-passing steps (>= 1).
        dropout: dropout probability on messages and atom states (one `FeatureDropout`
            each: under `consistent_dropout`, every message-passing step drops the same
            message features, as variational dropout in recurrent networks with tied weights).
        aggregation: atom → molecule pooling: ``mean``, ``sum`` or ``norm`` (sum / 100).
    """

    def __init__(self, hidden_size: int, depth: int, dropout: float, aggregation: Aggregation):
        super().__init__()
        self.depth, self.aggregation = depth, aggregation
        # W_i [x_atom ; x_bond] and W_o [x_atom ; m_atom], each split into its two blocks so
        # that the atom block is computed once per atom instead of once per directed edge.
        self.atom_input = nn.Linear(ATOM_VOCABULARY + 1, hidden_size, bias=False)
        self.bond_input = nn.Linear(BOND_VOCABULARY, hidden_size, bias=False)
        self.message = nn.Linear(hidden_size, hidden_size, bias=False)  # W_h
        self.atom_output = nn.Linear(ATOM_VOCABULARY + 1, hidden_size)
        self.state_output = nn.Linear(hidden_size, hidden_size, bias=False)
        self.message_dropout = FeatureDropout(dropout, hidden_size)
        self.atom_dropout = FeatureDropout(dropout, hidden_size)
        # Initialise as chemprop's unsplit layers: U(±1/sqrt(fan_in of the whole layer)).
        for layers, fan_in in (
            ((self.atom_input, self.bond_input), ATOM_VOCABULARY + 1 + BOND_VOCABULARY),
            ((self.atom_output, self.state_output), ATOM_VOCABULARY + 1 + hidden_size),
        ):
            for parameter in (p for layer in layers for p in layer.parameters()):
                nn.init.uniform_(parameter, -(fan_in**-0.5), fan_in**-0.5)

    def forward(self, graph: GraphBatch) -> torch.Tensor:
        """Encode a batch: returns shape (n_molecules, hidden_size)."""
        source, target = graph.edge_source, graph.edge_target
        atoms = torch.cat([multi_hot(graph.atom_codes, ATOM_VOCABULARY), graph.atom_mass], dim=1)
        # Under bf16 autocast the matrix products run in bf16; .float() brings each result
        # back to float32 (a no-op otherwise), so that sums over atoms stay exact enough.
        atom_in = self.atom_input(atoms).float()  # (n_atoms, d)
        bonds = multi_hot(graph.edge_codes, BOND_VOCABULARY)
        initial = self.bond_input(bonds).float().add_(atom_in.index_select(0, source))  # (E, d)
        state = torch.relu(initial)
        reverse = graph.reverse_edge
        for _ in range(self.depth - 1):
            incoming = torch.zeros_like(atom_in).index_add_(0, target, state)  # (n_atoms, d)
            # message into v→w: everything arriving at v except what came back from w
            message = incoming.index_select(0, source).sub_(state.index_select(0, reverse))
            # fused initial + W_h message, then ReLU in place (both keep autograd exact)
            state = torch.addmm(initial, message, self.message.weight.T).float().relu_()
            state = self.message_dropout(state)
        incoming = torch.zeros_like(atom_in).index_add_(0, target, state)
        hidden = torch.addmm(self.atom_output(atoms), incoming, self.state_output.weight.T)
        return self._pool(self.atom_dropout(hidden.float().relu_()), graph)

    def _pool(self, atoms: torch.Tensor, graph: GraphBatch) -> torch.Tensor:
        # one row more than molecules: the padding atoms of a `padded` batch land there
        n = graph.n_molecules
        pooled = atoms.new_zeros(n + 1, atoms.shape[1]).index_add_(0, graph.molecule_index, atoms)
        pooled = pooled[:n]
        if self.aggregation == "mean":
            counts = torch.bincount(graph.molecule_index, minlength=n + 1)[:n]
            return pooled / counts.clamp(min=1).unsqueeze(1)
        if self.aggregation == "norm":
            return pooled / NORM_AGGREGATION_SCALE
        return pooled


def feed_forward(
    n_inputs: int, n_outputs: int, hidden_size: int, n_layers: int, dropout: float
) -> nn.Sequential:
    """``n_layers`` hidden ReLU layers of width ``hidden_size``, then a linear output."""
    layers: list[nn.Module] = []
    width = n_inputs
    for _ in range(n_layers):
        layers += [nn.Linear(width, hidden_size), nn.ReLU(), FeatureDropout(dropout, hidden_size)]
        width = hidden_size
    layers.append(nn.Linear(width, n_outputs))
    return nn.Sequential(*layers)


class MPNNNetwork(nn.Module):
    """Encoders for each input component + conditions → FFN → raw outputs.

    Args:
        n_components: molecules per input row (1, or 2 for dye + solvent, ...).
        n_conditions: numeric condition columns appended to the molecule vectors.
        n_outputs: raw outputs per row (tasks x parameters of the likelihood).
        hidden_size, depth, dropout, aggregation: see `BondMessagePassing`.
        shared_encoder: one encoder for every component instead of one each.
        ffn_hidden_size, ffn_layers: the head.
    """

    def __init__(
        self,
        n_components: int,
        n_conditions: int,
        n_outputs: int,
        *,
        hidden_size: int,
        depth: int,
        dropout: float,
        aggregation: Aggregation,
        shared_encoder: bool,
        ffn_hidden_size: int,
        ffn_layers: int,
    ):
        super().__init__()
        n_encoders = 1 if shared_encoder else n_components
        self.encoders = nn.ModuleList(
            BondMessagePassing(hidden_size, depth, dropout, aggregation) for _ in range(n_encoders)
        )
        n_inputs = n_components * hidden_size + n_conditions
        self.head = feed_forward(n_inputs, n_outputs, ffn_hidden_size, ffn_layers, dropout)

    def embed(self, graphs: Sequence[GraphBatch], conditions: torch.Tensor | None) -> torch.Tensor:
        """Molecule vectors of every component, concatenated: (b, n_components * d [+ c])."""
        parts = [
            self.encoders[min(i, len(self.encoders) - 1)](graph) for i, graph in enumerate(graphs)
        ]
        if conditions is not None:
            parts.append(conditions)
        return torch.cat(parts, dim=1)

    def forward(
        self, graphs: Sequence[GraphBatch], conditions: torch.Tensor | None
    ) -> torch.Tensor:
        """Raw outputs, shape (b, n_outputs), float32 (also under bf16 autocast)."""
        return self.head(self.embed(graphs, conditions)).float()
