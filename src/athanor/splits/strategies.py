"""Split strategies: random, scaffold, group and cluster, and `make_split` to pick one by name.

Every strategy is deterministic for a given ``seed`` and returns a `SplitIndices`. Grouped
strategies never put one group (scaffold, cluster, column value) in two parts, so their part
sizes match ``sizes`` only approximately.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Sequence

import numpy as np

from athanor.chem.parse import canonical_smiles
from athanor.chem.scaffolds import murcko_scaffold
from athanor.core.errors import InputDataError
from athanor.splits.clustering import fingerprint_clusters
from athanor.splits.grouping import assign_groups, group_rows
from athanor.splits.indices import SplitIndices, check_sizes

Sizes = Sequence[float]
DEFAULT_SIZES = (0.8, 0.1, 0.1)


def random_split(
    smiles: Sequence[str], sizes: Sizes = DEFAULT_SIZES, seed: int = 0
) -> SplitIndices:
    """Rows shuffled by `seed` and cut at the requested fractions (rounded to whole rows).

    Duplicated molecules (e.g. one dye in several solvents) can land in several parts: use
    `group_split` when that would leak.
    """
    train_size, val_size, _ = check_sizes(sizes)
    n_rows = len(smiles)
    order = np.random.default_rng(seed).permutation(n_rows)
    cut_val = round(train_size * n_rows)
    cut_test = cut_val + round(val_size * n_rows)
    return SplitIndices(order[:cut_val], order[cut_val:cut_test], order[cut_test:])


def group_split(
    groups: Sequence[Hashable], sizes: Sizes = DEFAULT_SIZES, seed: int = 0
) -> SplitIndices:
    """Whole groups to each part, so that no group value appears in two parts.

    Args:
        groups: length n, any hashable per row: a dye's SMILES (so that a dye is never in two
            parts, whatever the solvent), a series name, a publication.
        sizes: (train, val, test) fractions.
        seed: seeds the order in which groups are assigned (see `assign_groups`).
    """
    return assign_groups(group_rows(groups), check_sizes(sizes), seed)


def scaffold_split(
    smiles: Sequence[str], sizes: Sizes = DEFAULT_SIZES, seed: int = 0, generic: bool = False
) -> SplitIndices:
    """Balanced Bemis–Murcko scaffold split, as in chemprop.

    Scaffold sets larger than half the validation or test target go to training first,
    largest first; the others are shuffled by `seed`. All acyclic molecules share the empty
    scaffold.

    Args:
        smiles: length n.
        sizes: (train, val, test) fractions.
        seed: seeds the order of the scaffold sets.
        generic: group by generic frameworks (all atoms carbon, all bonds single).

    Raises:
        MoleculeError: if a SMILES cannot be parsed.
    """
    scaffold_of = {text: murcko_scaffold(text, generic) for text in set(smiles)}
    return group_split([scaffold_of[text] for text in smiles], sizes, seed)


def cluster_split(
    smiles: Sequence[str], sizes: Sizes = DEFAULT_SIZES, seed: int = 0, n_clusters: int = 50
) -> SplitIndices:
    """Whole fingerprint clusters to each part (k-means, see `fingerprint_clusters`).

    Test molecules then tend to be further from training than in a scaffold split, since
    similar scaffolds share a cluster. Use enough clusters that the validation and test parts
    each receive several.

    Raises:
        UnsupportedError: if scikit-learn is not installed (``athanor[ml]``).
    """
    return group_split(fingerprint_clusters(smiles, n_clusters, seed), sizes, seed)


SPLITTERS: dict[str, Callable[..., SplitIndices]] = {
    "random": random_split,
    "scaffold": scaffold_split,
    "group": group_split,
    "cluster": cluster_split,
}


def make_split(
    strategy: str,
    smiles: Sequence[str],
    sizes: Sizes = DEFAULT_SIZES,
    seed: int = 0,
    groups: Sequence[Hashable] | None = None,
    **options: object,
) -> SplitIndices:
    """Split by a strategy named in a configuration file.

    Args:
        strategy: one of ``random``, ``scaffold``, ``group``, ``cluster``.
        smiles: length n, one molecule per row.
        sizes: (train, val, test) fractions.
        seed: random seed.
        groups: for ``group`` only, the group of each row; by default the molecule itself
            (`molecule_keys`: however it is spelled), so that a molecule measured under
            several conditions stays in one part.
        **options: strategy-specific keywords (``generic``, ``n_clusters``).

    Raises:
        InputDataError: for an unknown strategy or option (the message lists the valid
            ones), `groups` given to a strategy other than ``group``, or of the wrong length.
    """
    splitter = SPLITTERS.get(strategy)
    if splitter is None:
        raise InputDataError(
            f"unknown split strategy '{strategy}'; valid strategies: {', '.join(SPLITTERS)}"
        )
    positional = {"smiles", "groups", "sizes", "seed"}
    allowed = sorted(set(inspect.signature(splitter).parameters) - positional)
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise InputDataError(
            f"unknown option(s) {', '.join(unknown)} for split strategy '{strategy}'; "
            f"allowed: {', '.join(allowed) or '(none)'}"
        )
    if strategy != "group":
        if groups is not None:
            raise InputDataError(f"groups are only used by the 'group' strategy, not '{strategy}'")
        return splitter(smiles, sizes, seed, **options)
    if groups is not None and len(groups) != len(smiles):
        raise InputDataError(f"got {len(groups)} groups for {len(smiles)} molecules")
    return splitter(molecule_keys(smiles) if groups is None else groups, sizes, seed)


def molecule_keys(smiles: Sequence[str]) -> list[str]:
    """One key per row that is the same for every spelling of a molecule (canonical SMILES;
    the text itself where it cannot be parsed), each distinct text parsed once."""
    key_of = {text: canonical_smiles(text) or text for text in set(smiles)}
    return [key_of[text] for text in smiles]
