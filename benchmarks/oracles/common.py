"""Shared helpers of the oracle benchmarks: molecule samples, timing, result files."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

# One thread per process before tblite / PySCF / NumPy are imported (as in the workers).
os.environ.update(
    {name: "1" for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}
)

RESULTS = Path(__file__).parent / "results"


def zinc_sample(n: int, seed: int = 0) -> list[str]:
    """`n` ZINC250k molecules drawn with a fixed seed (ZINC-sized: ~20-30 heavy atoms)."""
    from athanor.datasets import load_dataset

    return load_dataset("zinc250k")["smiles"].sample(n, random_state=seed).tolist()


def qm9_sample(n: int, heavy_atoms: int = 9, seed: int = 0) -> list[str]:
    """`n` QM9 molecules with exactly `heavy_atoms` heavy atoms (for the DFT rungs)."""
    from rdkit import Chem

    from athanor.datasets import load_dataset

    frame = load_dataset("qm9")
    sizes = frame["smiles"].map(lambda s: Chem.MolFromSmiles(s).GetNumHeavyAtoms())
    return frame[sizes == heavy_atoms]["smiles"].sample(n, random_state=seed).tolist()


def machine() -> dict:
    """Where the numbers were taken: host, cores, load, package versions."""
    from athanor.core.provenance import environment

    command = " ".join(["python", f"benchmarks/oracles/{Path(sys.argv[0]).name}", *sys.argv[1:]])
    return {
        **environment(),
        "cpus": os.cpu_count(),
        "load_average_1m": os.getloadavg()[0],
        "command": command,
    }


def write_result(name: str, payload: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {
        **payload,
        "machine": machine(),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    path.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    print(f"wrote {path}")
    return path
