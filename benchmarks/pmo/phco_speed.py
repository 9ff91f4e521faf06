"""Gobbi 2-D pharmacophore fingerprint: Athanor's vectorised one against RDKit's, same run.

Two molecule sets: every molecule mol_ga scored in a deco_hop run (the PMO task that is
slowest with RDKit's pure-Python generator: mol_ga grows large molecules with many features)
and a sample of ZINC-250k. For each set both fingerprints are computed on the same molecules
in the same process, their bits compared molecule by molecule, and the CPU time of each taken.
Then the same deco_hop run is repeated with RDKit's fingerprint as the task's PHCO: the
trajectory must be identical, and the ratio of CPU times is what the PMO benchmark gains.

Usage: nice -n 10 python benchmarks/pmo/phco_speed.py [--budget 2000] [--zinc 2000]
Writes results/phco_speed.json and results/phco_speed.md.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rdkit import Chem
from rdkit.Chem.Pharm2D import Generate, Gobbi_Pharm2D

sys.path.insert(0, str(Path(__file__).parent))
from methods import METHODS, BudgetedObjective

from athanor.datasets import dataset_path
from athanor.objectives import similarity
from athanor.objectives.objective import Objective
from athanor.objectives.pharmacophore import gobbi_2d_fingerprint
from athanor.objectives.pmo_tasks import pmo_task

RESULTS = Path(__file__).parent / "results"


def rdkit_fingerprint(mol: Chem.Mol):
    return Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory)


def cpu_seconds(function: Callable[[Chem.Mol], object], mols: list[Chem.Mol]) -> tuple:
    start = time.process_time()
    fingerprints = [function(mol) for mol in mols]
    return time.process_time() - start, fingerprints


def compare(name: str, smiles: list[str]) -> dict:
    """Both fingerprints on the same molecules: CPU seconds, throughput, identical bits."""
    mols = [m for m in (Chem.MolFromSmiles(s) for s in smiles) if m is not None]
    rdkit_s, expected = cpu_seconds(rdkit_fingerprint, mols)
    athanor_s, found = cpu_seconds(gobbi_2d_fingerprint, mols)
    same = sum(
        list(a.GetOnBits()) == list(b.GetOnBits()) for a, b in zip(expected, found, strict=True)
    )
    return {
        "set": name,
        "molecules": len(mols),
        "mean_heavy_atoms": sum(m.GetNumAtoms() for m in mols) / len(mols),
        "identical": same,
        "rdkit_mol_per_cpu_s": len(mols) / rdkit_s,
        "athanor_mol_per_cpu_s": len(mols) / athanor_s,
        "speedup": rdkit_s / athanor_s,
    }


def deco_hop_run(budget: int, fingerprint: Callable[[Chem.Mol], object]) -> tuple[float, list]:
    """mol_ga on deco_hop, seed 0, with ``fingerprint`` as the task's PHCO: CPU seconds and
    the (SMILES, score) of every oracle call in order."""
    similarity.FINGERPRINTS["PHCO"] = fingerprint
    scorer = BudgetedObjective(Objective.from_config(pmo_task("deco_hop")), budget)
    start = time.process_time()
    try:
        METHODS["mol_ga"](scorer, 0)
    finally:
        similarity.FINGERPRINTS["PHCO"] = gobbi_2d_fingerprint
    calls = [(smiles, float(e.score)) for smiles, e in scorer.objective.cache.entries.items()]
    return time.process_time() - start, calls


def zinc_sample(n: int) -> list[str]:
    with gzip.open(dataset_path("zinc250k"), "rt") as source:
        return [line.split()[0] for line in itertools.islice(source, 0, None, 97)][:n]


def write(results: dict, command: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "phco_speed.json").write_text(json.dumps(results, indent=1))
    lines = [
        f"Command: `{command}`\n",
        "| molecules | n | mean heavy atoms | identical bits | RDKit mol/CPU-s "
        "| Athanor mol/CPU-s | speed-up |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results["sets"]:
        lines.append(
            f"| {row['set']} | {row['molecules']} | {row['mean_heavy_atoms']:.1f} "
            f"| {row['identical']}/{row['molecules']} | {row['rdkit_mol_per_cpu_s']:.0f} "
            f"| {row['athanor_mol_per_cpu_s']:.0f} | {row['speedup']:.1f}x |"
        )
    run = results["deco_hop"]
    lines += [
        "",
        f"mol_ga on deco_hop, seed 0, {run['budget']} oracle calls: CPU {run['rdkit_cpu_s']:.0f} s "
        f"with RDKit's fingerprint, {run['athanor_cpu_s']:.0f} s with Athanor's "
        f"({run['rdkit_cpu_s'] / run['athanor_cpu_s']:.1f}x); identical trajectories: "
        f"{run['identical_trajectory']}.",
    ]
    (RESULTS / "phco_speed.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=2000, help="deco_hop oracle calls")
    parser.add_argument("--zinc", type=int, default=2000, help="ZINC-250k molecules")
    args = parser.parse_args()
    fast_s, fast = deco_hop_run(args.budget, gobbi_2d_fingerprint)
    slow_s, slow = deco_hop_run(args.budget, rdkit_fingerprint)
    trajectory = [smiles for smiles, _ in fast]
    results = {
        "sets": [
            compare("mol_ga deco_hop trajectory", trajectory),
            compare("ZINC-250k", zinc_sample(args.zinc)),
        ],
        "deco_hop": {
            "budget": args.budget,
            "rdkit_cpu_s": slow_s,
            "athanor_cpu_s": fast_s,
            "identical_trajectory": fast == slow,
        },
    }
    command = (
        f"nice -n 10 python benchmarks/pmo/phco_speed.py --budget {args.budget} --zinc {args.zinc}"
    )
    write(results, command)
    print((RESULTS / "phco_speed.md").read_text())


if __name__ == "__main__":
    main()
