"""Token vocabularies for chemical language models: SMILES (regex) and SELFIES.

A `Vocabulary` hides the string representation from the models: they are given SMILES and
give back SMILES, whether they read and write SMILES tokens or SELFIES tokens internally.
SMILES are split with the regular expression of Schwaller et al. (used by REINVENT and
MolGPT): bracket atoms, two-letter halogens and two-digit ring closures are single tokens.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

from athanor.core.errors import InputDataError

Representation = Literal["smiles", "selfies"]

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
SPECIAL_TOKENS = (PAD, BOS, EOS)
PAD_INDEX, BOS_INDEX, EOS_INDEX = 0, 1, 2

SMILES_TOKEN_PATTERN = re.compile(
    r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|/|:|~|@|\?|>|\*|\$|"
    r"%[0-9]{2}|[0-9])"
)


class TokenizationError(InputDataError):
    """A string cannot be written with this vocabulary (bad syntax or unknown token)."""


def tokenize_smiles(smiles: str) -> list[str]:
    """Split a SMILES string into tokens.

    Raises:
        TokenizationError: if some characters match no SMILES token.
    """
    tokens = SMILES_TOKEN_PATTERN.findall(smiles)
    if "".join(tokens) != smiles:
        raise TokenizationError(f"cannot tokenize SMILES '{smiles}'")
    return tokens


def tokenize_selfies(smiles: str) -> list[str]:
    """Translate a SMILES string to SELFIES and split it into tokens.

    Raises:
        TokenizationError: if SELFIES cannot encode the molecule.
    """
    import selfies

    try:
        encoded = selfies.encoder(smiles)
    except selfies.EncoderError as error:
        raise TokenizationError(f"SELFIES cannot encode '{smiles}': {error}") from None
    if not encoded:
        raise TokenizationError(f"SELFIES cannot encode '{smiles}'")
    return list(selfies.split_selfies(encoded))


def _detokenize(tokens: Sequence[str], representation: Representation) -> str:
    """Join tokens back into a SMILES string (decoding SELFIES; '' if that fails)."""
    text = "".join(tokens)
    if representation == "smiles":
        return text
    import selfies

    try:
        return selfies.decoder(text) or ""
    except selfies.DecoderError:
        return ""


class Vocabulary:
    """Maps SMILES to integer token sequences and back.

    Index 0 is padding; every encoded sequence starts with `<bos>` and ends with `<eos>`.

    Args:
        tokens: the chemical tokens (special tokens are added in front).
        representation: ``smiles`` (regex tokens) or ``selfies`` (SELFIES symbols).
    """

    def __init__(self, tokens: Iterable[str], representation: Representation = "smiles"):
        if representation not in ("smiles", "selfies"):
            raise InputDataError(f"unknown representation '{representation}'")
        chemical = [token for token in dict.fromkeys(tokens) if token not in SPECIAL_TOKENS]
        self.representation: Representation = representation
        self.tokens: list[str] = [*SPECIAL_TOKENS, *chemical]
        self.index: dict[str, int] = {token: i for i, token in enumerate(self.tokens)}

    def __len__(self) -> int:
        return len(self.tokens)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Vocabulary)
            and self.tokens == other.tokens
            and self.representation == other.representation
        )

    def tokenize(self, smiles: str) -> list[str]:
        """Chemical tokens of `smiles` in this vocabulary's representation."""
        if self.representation == "selfies":
            return tokenize_selfies(smiles)
        return tokenize_smiles(smiles)

    def encode(self, smiles: str) -> list[int]:
        """Token indices `[<bos>, ..., <eos>]` of `smiles`.

        Raises:
            TokenizationError: bad syntax or a token outside the vocabulary.
        """
        tokens = self.tokenize(smiles)
        unknown = [token for token in tokens if token not in self.index]
        if unknown:
            raise TokenizationError(f"unknown tokens {sorted(set(unknown))} in '{smiles}'")
        return [BOS_INDEX, *(self.index[token] for token in tokens), EOS_INDEX]

    def decode(self, indices: Iterable[int]) -> str:
        """SMILES of a token sequence, read up to the first `<eos>` (specials are skipped)."""
        tokens = []
        for index in indices:
            if index == EOS_INDEX:
                break
            if index >= len(SPECIAL_TOKENS):
                tokens.append(self.tokens[index])
        return _detokenize(tokens, self.representation)

    @classmethod
    def from_smiles(
        cls, smiles: Iterable[str], representation: Representation = "smiles"
    ) -> Vocabulary:
        """Build the vocabulary of a corpus (tokens ordered by decreasing frequency).

        Molecules that cannot be tokenized are skipped.
        """
        counts: Counter[str] = Counter()
        probe = cls([], representation)
        for text in smiles:
            try:
                counts.update(probe.tokenize(text))
            except TokenizationError:
                continue
        return cls([token for token, _ in counts.most_common()], representation)

    def to_dict(self) -> dict:
        """JSON-serialisable form (for checkpoints)."""
        return {"representation": self.representation, "tokens": self.tokens}

    @classmethod
    def from_dict(cls, data: dict) -> Vocabulary:
        """Inverse of `to_dict`."""
        return cls(data["tokens"], data["representation"])
