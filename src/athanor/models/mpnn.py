"""Directed message passing neural network (D-MPNN, Yang et al. 2019) in plain PyTorch.

The blocks follow chemprop v2: `BondMessagePassing` encodes one molecule graph into atom
states and pools them into a molecule vector; `MPNNNetwork` runs one encoder per input
component (dye, solvent, ...), concatenates their vectors with optional numeric conditions and
maps them through a feed-forward head. All graph operations are gathers and ``index_add_``
over flat tensors: no Python loop over molecules, atoms or bonds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import torch
from torch import nn

from athanor.models.featurizers.graph import ATOM_VOCABULARY, BOND_VOCABULARY, GraphBatch

Aggregation = Literal["mean", "sum", "norm"]
NORM_AGGREGATION_SCALE = 100.0  # chemprop's default for "norm": sum / 100


class BondMessagePassing(nn.Module):
    """Messages on directed bonds, then atom states, then one vector per molecule.

    Args:
        hidden_size: width d of messages and of the molecule vector.
        depth: message-passing steps (>= 1).
        dropout: dropout probability on messages and atom states.
        aggregation: atom → molecule pooling: ``mean``, ``sum`` or ``norm`` (sum / 100).
    """

    def __init__(self, hidden_size: int, depth: int, dropout: float, aggregation: Aggregation):
        super().__init__()
        self.depth, self.aggregation = depth, aggregation
        # W_i [x_atom ; x_bond] as embedding sums: x are one-hot blocks (see featurizers.graph).
        self.atom_input = nn.EmbeddingBag(ATOM_VOCABULARY, hidden_size, mode="sum")
        self.bond_input = nn.EmbeddingBag(BOND_VOCABULARY, hidden_size, mode="sum")
        self.mass_input = nn.Parameter(torch.empty(hidden_size))
        self.message = nn.Linear(hidden_size, hidden_size, bias=False)  # W_h
        # W_o [x_atom ; m_atom]
        self.atom_output = nn.EmbeddingBag(ATOM_VOCABULARY, hidden_size, mode="sum")
        self.mass_output = nn.Parameter(torch.empty(hidden_size))
        self.state_output = nn.Linear(hidden_size, hidden_size)
        self.dropout = nn.Dropout(dropout)
        # Initialise as chemprop's nn.Linear on the one-hot inputs: U(±1/sqrt(fan_in)).
        fan_in_input = ATOM_VOCABULARY + BOND_VOCABULARY + 1
        fan_in_output = ATOM_VOCABULARY + 1 + hidden_size
        for weight in (self.atom_input.weight, self.bond_input.weight, self.mass_input):
            nn.init.uniform_(weight, -(fan_in_input**-0.5), fan_in_input**-0.5)
        for weight in (self.atom_output.weight, self.mass_output, *self.state_output.parameters()):
            nn.init.uniform_(weight, -(fan_in_output**-0.5), fan_in_output**-0.5)

    def forward(self, graph: GraphBatch) -> torch.Tensor:
        """Encode a batch: returns shape (n_molecules, hidden_size)."""
        source, target = graph.edge_source, graph.edge_target
        atom_in = self.atom_input(graph.atom_codes) + graph.atom_mass * self.mass_input
        bond_in = self.bond_input(graph.edge_codes)
        initial = bond_in.index_add_(0, torch.arange(len(source)), atom_in.index_select(0, source))
        state = torch.relu(initial)  # (n_edges, d)
        reverse = graph.reverse_edge
        for _ in range(self.depth - 1):
            incoming = torch.zeros_like(atom_in).index_add_(0, target, state)  # (n_atoms, d)
            # message into v→w: everything arriving at v except what came back from w
            message = incoming.index_select(0, source).sub_(state.index_select(0, reverse))
            # fused initial + W_h message, then ReLU in place (both keep autograd exact)
            state = self.dropout(torch.addmm(initial, message, self.message.weight.T).relu_())
        incoming = torch.zeros_like(atom_in).index_add_(0, target, state)
        atom_out = self.atom_output(graph.atom_codes) + graph.atom_mass * self.mass_output
        atoms = self.dropout(torch.relu(atom_out + self.state_output(incoming)))
        return self._pool(atoms, graph)

    def _pool(self, atoms: torch.Tensor, graph: GraphBatch) -> torch.Tensor:
        pooled = atoms.new_zeros(graph.n_molecules, atoms.shape[1])
        pooled.index_add_(0, graph.molecule_index, atoms)
        if self.aggregation == "mean":
            counts = torch.bincount(graph.molecule_index, minlength=graph.n_molecules)
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
        layers += [nn.Linear(width, hidden_size), nn.ReLU(), nn.Dropout(dropout)]
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
        self.n_components = n_components
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
        """Raw outputs, shape (b, n_outputs)."""
        return self.head(self.embed(graphs, conditions))
