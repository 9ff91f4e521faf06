"""The recurrent network behind the chemical language models: a token GRU.

Kept free of chemistry: it reads and writes integer token sequences, with the special indices
of `athanor.generators.vocabulary`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn

from athanor.generators.vocabulary import (
    BOS_INDEX,
    EOS_INDEX,
    PAD_INDEX,
    TokenizationError,
    Vocabulary,
)


class TokenGRU(nn.Module):
    """Embedding → stacked GRU → linear layer giving next-token logits.

    Args:
        vocab_size: number of tokens, special ones included.
        embedding_dim: size of the token embeddings.
        hidden_dim: GRU state size.
        n_layers: stacked GRU layers.
        dropout: dropout between GRU layers (training only).
    """

    def __init__(
        self, vocab_size: int, embedding_dim: int, hidden_dim: int, n_layers: int, dropout: float
    ):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=PAD_INDEX)
        self.gru = nn.GRU(
            embedding_dim,
            hidden_dim,
            n_layers,
            batch_first=True,
            dropout=dropout if n_layers > 1 else 0.0,
        )
        self.head = nn.Linear(hidden_dim, vocab_size)

    def forward(
        self, tokens: torch.Tensor, hidden: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Next-token logits.

        Args:
            tokens: shape (batch, length), int64.
            hidden: shape (n_layers, batch, hidden_dim), or None for zeros.

        Returns:
            logits of shape (batch, length, vocab_size) and the final hidden state.
        """
        output, hidden = self.gru(self.embedding(tokens), hidden)
        return self.head(output), hidden


def pad_sequences(sequences: Sequence[Sequence[int]]) -> torch.Tensor:
    """Right-pad token sequences with `PAD_INDEX`, shape (batch, longest length)."""
    longest = max(len(sequence) for sequence in sequences)
    batch = torch.full((len(sequences), longest), PAD_INDEX, dtype=torch.long)
    for row, sequence in enumerate(sequences):
        batch[row, : len(sequence)] = torch.as_tensor(sequence, dtype=torch.long)
    return batch


def encode_batch(
    vocabulary: Vocabulary, smiles: Sequence[str], max_length: int
) -> tuple[torch.Tensor, np.ndarray]:
    """Token batch of the molecules `vocabulary` can write in at most `max_length` tokens.

    Returns:
        tokens of shape (n_ok, length) and a boolean mask of shape (n,) telling which inputs
        were encoded (the others use unknown tokens, are too long or are not molecules).
    """
    encoded, ok = [], np.zeros(len(smiles), dtype=bool)
    for row, text in enumerate(smiles):
        try:
            sequence = vocabulary.encode(text)
        except TokenizationError:
            continue
        if len(sequence) <= max_length + 2:
            encoded.append(sequence)
            ok[row] = True
    tokens = pad_sequences(encoded) if encoded else torch.zeros((0, 2), dtype=torch.long)
    return tokens, ok


def gradient_step(loss: torch.Tensor, optimizer: torch.optim.Optimizer, clip: float = 1.0) -> None:
    """Back-propagate `loss` and take one optimiser step with gradient-norm clipping."""
    optimizer.zero_grad()
    loss.backward()
    for group in optimizer.param_groups:
        torch.nn.utils.clip_grad_norm_(group["params"], clip)
    optimizer.step()


def sequence_log_likelihood(
    net: TokenGRU, tokens: torch.Tensor, hidden: torch.Tensor | None = None
) -> torch.Tensor:
    """Log-probability of each whole sequence under teacher forcing (differentiable).

    Args:
        tokens: shape (batch, length), starting with `<bos>`, padded with `PAD_INDEX`.
        hidden: initial state, shape (n_layers, batch, hidden_dim) (e.g. from a latent code).

    Returns:
        shape (batch,): sum over real tokens of log p(token | prefix).
    """
    logits, _ = net(tokens[:, :-1], hidden)
    targets = tokens[:, 1:]
    log_probs = torch.log_softmax(logits, dim=-1).gather(2, targets.unsqueeze(-1)).squeeze(-1)
    return (log_probs * (targets != PAD_INDEX)).sum(dim=1)


@torch.no_grad()
def sample_sequences(
    net: TokenGRU,
    n: int,
    max_length: int,
    temperature: float = 1.0,
    generator: torch.Generator | None = None,
    hidden: torch.Tensor | None = None,
) -> torch.Tensor:
    """Draw token sequences autoregressively until `<eos>` (or `max_length` tokens).

    Args:
        n: number of sequences.
        max_length: most tokens drawn per sequence (unfinished ones are truncated).
        temperature: softmax temperature (< 1 sharper, > 1 flatter; 0 takes the most likely
            token, i.e. greedy decoding).
        generator: source of randomness.
        hidden: initial state, shape (n_layers, n, hidden_dim), or None for zeros.

    Returns:
        shape (n, 1 + drawn), starting with `<bos>`; positions after `<eos>` hold `PAD_INDEX`.
    """
    tokens = torch.full((n, 1), BOS_INDEX, dtype=torch.long)
    finished = torch.zeros(n, dtype=torch.bool)
    drawn = []
    for _ in range(max_length):
        logits, hidden = net(tokens if not drawn else drawn[-1].unsqueeze(1), hidden)
        if temperature == 0:
            nxt = logits[:, -1].argmax(dim=-1)
        else:
            probs = torch.softmax(logits[:, -1] / temperature, dim=-1)
            nxt = torch.multinomial(probs, 1, generator=generator).squeeze(1)
        nxt = nxt.masked_fill(finished, PAD_INDEX)
        drawn.append(nxt)
        finished |= nxt == EOS_INDEX
        if finished.all():
            break
    return torch.cat([tokens, torch.stack(drawn, dim=1)], dim=1)
