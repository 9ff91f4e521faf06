"""One acquisition round over a very large pool: wall time and peak memory.

The pool is ZINC-250k plus simple analogues (C, CC, O, N, F, CCC, Cl prefixed to each
SMILES), canonicalised and deduplicated up to the requested number of distinct molecules.
1,000 random molecules are labelled with Crippen logP (told to the campaign), then one round
of a random-forest surrogate on Morgan count fingerprints with UCB picks 1,000 of the pool.
Candidates are predicted in chunks of 10,000, so memory is expected to stay flat as the pool
grows.

Usage: python benchmarks/screening/large_pool.py --pool-size 1000000
Writes benchmarks/screening/results/large_pool-<size>.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
PREFIXES = ("", "C", "CC", "O", "N", "F", "CCC", "Cl")


def write_pool(path: Path, size: int) -> int:
    """Write `size` distinct molecules (RDKit canonical SMILES): ZINC-250k, then each prefix
    in turn prepended to every ZINC SMILES, skipping unparsable and repeated ones."""
    from rdkit import Chem, rdBase

    from athanor.datasets import dataset_path

    with gzip.open(dataset_path("zinc250k"), "rt") as source:
        zinc = [line.strip() for line in source if line.strip()]
    seen: set[str] = set()
    with path.open("w") as handle, rdBase.BlockLogs():
        handle.write("smiles\n")
        for prefix in PREFIXES:
            for smiles in zinc:
                mol = Chem.MolFromSmiles(prefix + smiles)
                canonical = Chem.MolToSmiles(mol) if mol is not None else None
                if canonical is None or canonical in seen:
                    continue
                seen.add(canonical)
                handle.write(canonical + "\n")
                if len(seen) == size:
                    return size
    return len(seen)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool-size", type=int, default=1_000_000)
    parser.add_argument("--labelled", type=int, default=1000)
    args = parser.parse_args()
    from rdkit import Chem
    from rdkit.Chem import Crippen

    from athanor.store import Store
    from athanor.workflows.screening import ScreeningCampaign
    from athanor.workflows.screening_config import ScreeningConfig

    result: dict = {"pool_size_requested": args.pool_size}
    with tempfile.TemporaryDirectory() as directory:
        pool = Path(directory) / "pool.csv"
        write_pool(pool, args.pool_size)
        config = ScreeningConfig.model_validate(
            {
                "name": "large",
                "seed": 0,
                "pool": {"file": str(pool)},
                "oracle": {"name": "rdkit"},
                "objective": {"property": "logp"},
                "surrogate": {"model": "rf", "params": {"n_estimators": 100}},
                "loop": {"initial_size": args.labelled, "batch_size": 1000, "rounds": 1},
            }
        )
        with Store.open(directory) as store:
            started = time.perf_counter()
            campaign = ScreeningCampaign.open(store, config)  # imports the pool
            result["import_s"] = time.perf_counter() - started
            result["pool_molecules"] = len(campaign.pool)
            result["rss_after_import_mb"] = peak_rss_mb()
            first = campaign.ask()
            campaign.tell(
                {s: {"logp": Crippen.MolLogP(Chem.MolFromSmiles(s))} for s in first["smiles"]}
            )
            started, cpu = time.perf_counter(), time.process_time()
            batch = campaign.ask()
            result["acquisition_round_s"] = time.perf_counter() - started
            result["acquisition_round_cpu_s"] = time.process_time() - cpu
            result["timings"] = campaign.timings
            result["batch"] = len(batch)
    result["peak_rss_mb"] = peak_rss_mb()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"large_pool-{args.pool_size}.json"
    out.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
