"""Foundation benchmarks: `import athanor` time, standardisation and store-import throughput.

Each figure is measured beside an anchor in the same run, so ratios survive a busy machine:
- import time vs. a bare interpreter and vs. `import rdkit.Chem`;
- standardisation vs. RDKit's bare parse + canonical SMILES (the floor of any identity step);
- store import vs. standardisation alone (the cost of writing to the store).

Usage: python benchmarks/foundation.py [--molecules 250000] [--sample 20000]
Writes benchmarks/results/foundation.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def _median_seconds(code: str, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_times() -> dict[str, float]:
    return {
        "python -c pass (s)": _median_seconds("pass"),
        "import athanor (s)": _median_seconds("import athanor"),
        "import athanor.cli.main (s)": _median_seconds("import athanor.cli.main"),
        "import rdkit.Chem (s)": _median_seconds("import rdkit.Chem"),
    }


def _rdkit_canonical(smiles: str) -> str | None:
    from rdkit import Chem, rdBase

    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(smiles)
    return None if mol is None else Chem.MolToSmiles(mol)


def standardisation_rates(smiles: list[str]) -> dict[str, float]:
    from athanor.chem import standardize_many
    from athanor.core.parallel import parallel_map

    rates = {}
    start = time.perf_counter()
    parallel_map(_rdkit_canonical, smiles)
    rates["RDKit parse + canonical SMILES, 1 process (mol/s)"] = len(smiles) / (
        time.perf_counter() - start
    )
    for jobs in (1, 2):
        start = time.perf_counter()
        standardize_many(smiles, n_jobs=jobs)
        rates[f"athanor standardise, {jobs} process(es) (mol/s)"] = len(smiles) / (
            time.perf_counter() - start
        )
    return rates


def store_import(smiles: list[str]) -> dict[str, float]:
    from athanor.chem import standardize_many
    from athanor.store import Store
    from athanor.store.importing import import_file

    with tempfile.TemporaryDirectory() as directory:
        pool = Path(directory) / "pool.smi"
        pool.write_text("\n".join(smiles) + "\n")
        start = time.perf_counter()
        standardize_many(smiles, n_jobs=2)
        standardise_only = time.perf_counter() - start
        with Store.open(directory) as store:
            report = import_file(store, pool, n_jobs=2, progress=False)
        size = (Path(directory) / ".athanor" / "store.sqlite").stat().st_size
    return {
        "molecules": len(smiles),
        "standardise only, 2 processes (s)": standardise_only,
        "store import, 2 processes (s)": report.seconds,
        "store import (rows/s)": report.rate,
        "store overhead vs standardise only": report.seconds / standardise_only - 1,
        "invalid rows": report.invalid,
        "database size (MB)": size / 1e6,
        "driver peak RSS (MB)": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--molecules", type=int, default=250_000, help="store-import size")
    parser.add_argument("--sample", type=int, default=20_000, help="standardisation sample")
    args = parser.parse_args()
    from athanor.datasets import load_dataset

    zinc = load_dataset("zinc250k")["smiles"].tolist()
    results = {
        "import": import_times(),
        "standardisation": standardisation_rates(zinc[: args.sample]),
        "store_import": store_import(zinc[: args.molecules]),
        "command": " ".join(["python", *sys.argv]),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "foundation.json").write_text(json.dumps(results, indent=2))
    for section, values in results.items():
        if isinstance(values, dict):
            print(f"\n| {section} | value |\n|---|---|")
            for key, value in values.items():
                print(
                    f"| {key} | {value:.3g} |"
                    if isinstance(value, float)
                    else f"| {key} | {value} |"
                )


if __name__ == "__main__":
    main()
