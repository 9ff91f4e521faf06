"""The generator contract: ask for proposals, tell their scores.

Like a campaign, a generator is driven by ask/tell so that any scorer (an RDKit objective, a
surrogate, a real oracle in a lab) can close the loop. Proposals are SMILES strings and may be
invalid: the caller validates every one through `athanor.chem` (invalid ones score 0 and are
counted), exactly as for imported molecules.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np


class Generator(ABC):
    """Proposes molecules; may be pretrained on data and updated from scores.

    Subclasses follow the scikit-learn discipline: `__init__` stores parameters only, learned
    state ends in `_`, randomness comes from `seed`.
    """

    name: str = "generator"

    @abstractmethod
    def ask(self, n: int) -> list[str]:
        """Propose `n` molecules as SMILES (possibly invalid, possibly repeated)."""

    @abstractmethod
    def tell(self, smiles: Sequence[str], scores: np.ndarray) -> None:
        """Learn from scores of proposed molecules.

        A tell may carry any subset of the last `ask`, in any order and over several calls
        (a campaign tells the invalid proposals apart, then only the fresh molecules, without
        repeats; `ScreenedGenerator` tells only the proposals it sent). Proposals never told
        are not learnt from, and strings that were not proposed must not raise: a generator
        may learn from them or ignore them. NaN (failed scoring) may occur.

        Args:
            smiles: n molecules, as proposed or in canonical form.
            scores: shape (n,), higher is better; 0 for invalid molecules.
        """

    def get_params(self) -> dict:
        """Constructor parameters (for configs, checkpoints and run records)."""
        return {}
