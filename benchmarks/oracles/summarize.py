"""Write results/summary.md (the oracle section of docs/benchmarks.md) from results/*.json.

python benchmarks/oracles/summarize.py
"""

from __future__ import annotations

import json

from common import RESULTS


def _load(name: str) -> dict | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _machine_line(result: dict) -> str:
    machine = result["machine"]
    return (
        f"_{machine['host']}, {machine['cpus']} CPUs, 1-min load average "
        f"{machine['load_average_1m']:.1f} at the end (shared machine); `{machine['command']}`_"
    )


def _cost_ladder(result: dict) -> list[str]:
    lines = [
        "### Cost ladder (one core, in-process)",
        "",
        "| oracle / option | molecules | wall s/mol | CPU s/mol | failed |",
        "|---|---:|---:|---:|---:|",
    ]
    for rung in result["rungs"]:
        lines.append(
            f"| {rung['rung']} | {rung['molecules']} | {rung['s_per_molecule_mean']:.3f} | "
            f"{rung.get('cpu_s_per_molecule', float('nan')):.3f} | {rung['failure_rate']:.0%} |"
        )
    return [*lines, "", _machine_line(result), ""]


def _parallel(result: dict) -> list[str]:
    lines = [
        f"### Parallel efficiency (xTB single point, {result['molecules']} ZINC molecules)",
        "",
        "| executor | 1 worker (s) | 2 workers (s) | wall-time efficiency | cores obtained "
        "(1 / 2 workers) | CPU-time efficiency | start-up, 2 workers (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["scaling"]:
        one, two = row["one_worker"], row["two_workers"]
        cores = (
            f"{one['cores_obtained']:.2f} / {two['cores_obtained']:.2f}"
            if "cores_obtained" in one
            else "n/a"
        )
        cpu = f"{row['cpu_efficiency']:.0%}" if "cpu_efficiency" in row else "n/a"
        lines.append(
            f"| {row['executor']} | {one['wall_s']:.1f} | {two['wall_s']:.1f} | "
            f"{row['efficiency']:.0%} | {cores} | {cpu} | {two['startup_s']:.1f} |"
        )
    lines += [
        "",
        "| executor | per-task overhead (ms) | share of an xTB single point |",
        "|---|---:|---:|",
    ]
    for row in result["overhead"]:
        lines.append(
            f"| {row['executor']} | {1e3 * row['s_per_molecule']:.2f} | "
            f"{row['fraction_of_xtb_single_point']:.1%} |"
        )
    lines.append(
        f"\nStore write per result (one SQLite transaction): "
        f"{1e3 * result['store_write_s']:.2f} ms."
    )
    return [*lines, "", _machine_line(result), ""]


def _cache_hit(result: dict) -> list[str]:
    lines = [
        f"### Cache hit ({result['molecules']} molecules already finished)",
        "",
        f"First run {result['first_run_s']:.1f} s. Re-runs of the finished batch make "
        f"{result['oracle_calls']} oracle calls and start no executor:",
        "",
        "| input | wall (s, median) | CPU (s, median) |",
        "|---|---:|---:|",
    ]
    for label, row in result["reruns"].items():
        lines.append(f"| {label} | {row['wall_median_s']:.3f} | {row['cpu_median_s']:.3f} |")
    return [*lines, "", _machine_line(result), ""]


def main() -> None:
    sections = [
        "## Oracles and execution",
        "",
        "Wall times are what a user waits; CPU times are what one idle core needs. On a shared "
        "machine (the load average is given under each table) wall times exceed CPU times, and "
        "wall-time parallel efficiency measures the other users as much as the executor; the "
        "CPU-time efficiency (CPU per molecule with 1 worker / with 2 workers) and the "
        "per-task overhead are what an idle machine would show.",
        "",
    ]
    for name, render in (
        ("cost_ladder", _cost_ladder),
        ("parallel_efficiency", _parallel),
        ("cache_hit", _cache_hit),
    ):
        result = _load(name)
        if result is not None:
            sections += render(result)
    sections.append("Regenerate: `python benchmarks/oracles/summarize.py`.")
    path = RESULTS / "summary.md"
    path.write_text("\n".join(sections) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
