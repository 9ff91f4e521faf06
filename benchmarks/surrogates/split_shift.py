"""Are the validation and test parts of the product's scaffold split two draws from one
distribution? Mean nearest-neighbour Tanimoto to the training part, per part, over many seeds.

    python benchmarks/surrogates/split_shift.py --seeds 30      # prints a Markdown table

Conformal intervals calibrated on validation (or on half of it) are valid on test only if
validation and test are exchangeable. For each data set and split seed 0 … N-1 this computes
each part's mean similarity to training (Morgan radius 2, 2,048 bits) and reports the mean
paired difference validation − test with its standard error: a systematic shift would
show as a difference several standard errors from 0.
"""

from __future__ import annotations

import argparse

import numpy as np

from athanor.chem.fingerprints import morgan_fingerprints
from athanor.datasets import dataset_info, load_dataset
from athanor.evaluation.neighbours import nearest_tanimoto
from athanor.splits.strategies import scaffold_split

DATASETS = ("esol", "freesolv", "lipophilicity")


def part_similarity(smiles: list[str], seeds: range) -> np.ndarray:
    """Mean nearest-neighbour Tanimoto to train of (validation, test), shape (n_seeds, 2)."""
    fingerprints = morgan_fingerprints(smiles, 2, 2048)
    rows = []
    for seed in seeds:
        split = scaffold_split(smiles, seed=seed)
        train = fingerprints[split.train]
        parts = (split.val, split.test)
        rows.append([nearest_tanimoto(fingerprints[part], train).mean() for part in parts])
    return np.array(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--seeds", type=int, default=30, help="split seeds 0 … N-1")
    args = parser.parse_args()
    print(
        "| data set | seeds | validation | test | validation − test (± s.e.) "
        "| seeds with validation closer |\n|---|---|---|---|---|---|"
    )
    for name in args.datasets:
        smiles = load_dataset(name)[dataset_info(name).smiles_column].tolist()
        similarity = part_similarity(smiles, range(args.seeds))
        difference = similarity[:, 0] - similarity[:, 1]
        error = difference.std(ddof=1) / np.sqrt(len(difference))
        val, test = similarity.mean(axis=0)
        print(
            f"| {name} | {args.seeds} | {val:.3f} | {test:.3f} | {difference.mean():+.4f} "
            f"± {error:.4f} | {(difference > 0).mean():.0%} |"
        )


if __name__ == "__main__":
    main()
