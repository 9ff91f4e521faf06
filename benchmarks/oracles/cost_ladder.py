"""Cost ladder: seconds per molecule and failure rate of each oracle and option, in-process on
one core (the cost of one worker).

    python benchmarks/oracles/cost_ladder.py [--n 100] [--n-opt 30] [--n-dft 5] [--only TEXT]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter

import common  # sets one thread per library before the oracles import them

from athanor.oracles import make_oracle
from athanor.oracles.geometry import embed_structure


def _rung(label: str, oracle, molecules: list[str]) -> dict:
    oracle.evaluate(["C"])  # methane: the first call pays imports and library set-up
    start, cpu_start = time.perf_counter(), time.process_time()
    results = oracle.evaluate(molecules)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    runtimes = [r.runtime_s for r in results]
    failures = Counter(r.message[:80] for r in results if not r.ok)
    row = {
        "rung": label,
        "fingerprint": oracle.fingerprint,
        "molecules": len(molecules),
        "s_per_molecule_mean": wall / len(molecules),
        "s_per_molecule_median": statistics.median(runtimes),
        "cpu_s_per_molecule": cpu / len(molecules),
        "failure_rate": sum(not r.ok for r in results) / len(results),
        "failures": dict(failures.most_common(5)),
    }
    print(
        f"{label:34s} {row['s_per_molecule_mean']:8.3f} s/mol  "
        f"median {row['s_per_molecule_median']:.3f}  cpu {row['cpu_s_per_molecule']:.3f}  "
        f"failed {row['failure_rate']:.0%}"
    )
    return row


def _embedding_rung(molecules: list[str]) -> dict:
    """The ETKDG + MMFF geometry alone, which every xTB/DFT rung pays first."""
    start, cpu_start = time.perf_counter(), time.process_time()
    for smiles in molecules:
        embed_structure(smiles, max_heavy_atoms=100)
    per_molecule = (time.perf_counter() - start) / len(molecules)
    cpu = (time.process_time() - cpu_start) / len(molecules)
    print(f"{'geometry (ETKDG + MMFF) only':34s} {per_molecule:8.3f} s/mol  cpu {cpu:.3f}")
    return {
        "rung": "geometry (ETKDG + MMFF) only",
        "molecules": len(molecules),
        "s_per_molecule_mean": per_molecule,
        "cpu_s_per_molecule": cpu,
        "failure_rate": 0.0,
    }


def _plan(n_opt: int) -> list[tuple[str, str, dict, slice]]:
    """(label, oracle, parameters, molecule sample and slice) of every rung, cheapest first."""
    return [
        ("rdkit", "rdkit", {}, ("zinc", slice(None))),
        ("xtb single point", "xtb", {}, ("zinc", slice(None))),
        (
            "xtb + IP/EA + ALPB(water)",
            "xtb",
            {"ip_ea": True, "solvent": "water"},
            ("zinc", slice(None)),
        ),
        ("xtb optimisation", "xtb", {"optimize": True}, ("zinc", slice(n_opt))),
        ("xtb single point, QM9 (9 heavy)", "xtb", {}, ("qm9", slice(None))),
        ("dft B3LYP/6-31G*, QM9 (9 heavy)", "dft", {}, ("qm9", slice(None))),
        ("dft + TDA S1/T1, QM9 (9 heavy)", "dft", {"excited_states": True}, ("qm9", slice(2))),
    ]


def _merge(rungs: list[dict]) -> list[dict]:
    """Replace the re-measured rungs in an earlier result, keeping the others."""
    path = common.RESULTS / "cost_ladder.json"
    earlier = json.loads(path.read_text())["rungs"] if path.exists() else []
    fresh = {rung["rung"]: rung for rung in rungs}
    kept = [rung for rung in earlier if rung["rung"] not in fresh]
    return kept + rungs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=100, help="ZINC molecules per cheap rung")
    parser.add_argument("--n-opt", type=int, default=30, help="molecules for xTB optimisation")
    parser.add_argument("--n-dft", type=int, default=5, help="QM9 molecules (9 heavy atoms)")
    parser.add_argument("--only", help="re-measure the rungs whose label contains this text")
    args = parser.parse_args()
    samples = {"zinc": common.zinc_sample(args.n), "qm9": common.qm9_sample(args.n_dft)}
    plan = [step for step in _plan(args.n_opt) if not args.only or args.only in step[0]]
    rungs = [
        _rung(label, make_oracle(name, **parameters), samples[sample][part])
        for label, name, parameters, (sample, part) in plan
    ]
    if not args.only:
        rungs.insert(1, _embedding_rung(samples["zinc"]))
    common.write_result("cost_ladder", {"rungs": _merge(rungs) if args.only else rungs})


if __name__ == "__main__":
    main()
