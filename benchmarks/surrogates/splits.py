"""Write the benchmark's train/val/test CSV files (columns: smiles[, solvent], y).

ESOL, FreeSolv and Lipophilicity get a balanced Bemis–Murcko scaffold split (80/10/10) per
seed, as chemprop's ``SCAFFOLD_BALANCED``; absorption uses the paper's three fixed splits.
``zinc50k`` is the scale point of the issue's throughput and memory figures (chemprop
~2.6 GB at 50k molecules): 50,000 random ZINC-250k molecules labelled with RDKit's Crippen
logP (seed 0 only; its error is not an accuracy benchmark).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
from rdkit import Chem, rdBase

from athanor.chem.scaffolds import murcko_scaffold
from athanor.datasets import dataset_info, load_dataset, load_split

PARTS = ("train", "val", "test")
SCAFFOLD_DATASETS = ("esol", "freesolv", "lipophilicity")
ABSORPTION_SPLITS = ("scaffold", "group_by_smiles", "random")


def balanced_scaffold_split(
    smiles: list[str], seed: int, sizes=(0.8, 0.1, 0.1)
) -> list[np.ndarray]:
    """Row indices of train, val and test: scaffold groups never straddle two parts.

    Groups larger than half the test size are placed first (as chemprop does), the rest in a
    seeded random order, each into the first part that still has room.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for row, text in enumerate(smiles):
        groups[murcko_scaffold(text)].append(row)
    n = len(smiles)
    capacity = [sizes[0] * n, sizes[1] * n, sizes[2] * n]
    rng = np.random.default_rng(seed)
    big = [g for g in groups.values() if len(g) > capacity[2] / 2]
    small = [g for g in groups.values() if len(g) <= capacity[2] / 2]
    rng.shuffle(big)
    rng.shuffle(small)
    parts: list[list[int]] = [[], [], []]
    for group in big + small:
        target = next((p for p in range(3) if len(parts[p]) + len(group) <= capacity[p]), 0)
        parts[target].extend(group)
    return [np.sort(np.array(p, dtype=int)) for p in parts]


def _parsable(smiles: pd.Series) -> np.ndarray:
    with rdBase.BlockLogs():
        return np.array([Chem.MolFromSmiles(text) is not None for text in smiles])


def _frame(data: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """Columns smiles[, solvent], y; rows with a missing value or a SMILES that RDKit cannot
    parse are dropped (chemprop refuses the whole file otherwise)."""
    info = dataset_info(dataset)
    columns = {info.smiles_column: "smiles", info.target_columns[0]: "y"}
    columns.update({c: c for c in info.condition_columns})
    keep = [info.smiles_column, *info.condition_columns, info.target_columns[0]]
    frame = data[keep].rename(columns=columns).dropna()
    valid = np.logical_and.reduce(
        [_parsable(frame[c]) for c in ("smiles", *info.condition_columns)]
    )
    return frame[valid].reset_index(drop=True)


def write_splits(root: Path, seeds: list[int]) -> list[tuple[str, str, int, Path]]:
    """Write every split once; returns (dataset, split, seed, folder) for each."""
    units = []
    for dataset in SCAFFOLD_DATASETS:
        data = _frame(load_dataset(dataset), dataset)
        for seed in seeds:
            folder = root / dataset / f"scaffold_{seed}"
            if not (folder / "test.csv").exists():
                folder.mkdir(parents=True, exist_ok=True)
                indices = balanced_scaffold_split(data["smiles"].tolist(), seed)
                for part, index in zip(PARTS, indices, strict=True):
                    data.iloc[index].to_csv(folder / f"{part}.csv", index=False)
            units.append((dataset, "scaffold", seed, folder))
    for split in ABSORPTION_SPLITS:
        folder = root / "absorption" / f"{split}_0"
        if not (folder / "test.csv").exists():
            folder.mkdir(parents=True, exist_ok=True)
            for part in PARTS:
                frame = _frame(load_split("absorption", split, part), "absorption")
                frame.to_csv(folder / f"{part}.csv", index=False)
        units.append(("absorption", split, 0, folder))
    units.append(("zinc50k", "scaffold", 0, _write_scale_split(root / "zinc50k" / "scaffold_0")))
    return units


def _write_scale_split(folder: Path, size: int = 50_000) -> Path:
    """ZINC molecules labelled with Crippen logP, balanced scaffold split (seed 0)."""
    from rdkit.Chem import Crippen

    if (folder / "test.csv").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    smiles = load_dataset("zinc250k")["smiles"].sample(size, random_state=0).tolist()
    logp = [Crippen.MolLogP(Chem.MolFromSmiles(s)) for s in smiles]
    data = pd.DataFrame({"smiles": smiles, "y": logp})
    for part, index in zip(PARTS, balanced_scaffold_split(smiles, 0), strict=True):
        data.iloc[index].to_csv(folder / f"{part}.csv", index=False)
    return folder
