"""Distribution learning on held-out ZINC-250k (GuacaMol protocol, ZINC instead of ChEMBL).

For each model, 10,000 molecules are sampled (fixed seed) and compared with the 10,000
held-out ZINC molecules of `zinc_split` (never seen in pretraining): validity, uniqueness,
novelty against the training split, internal diversity, FCD (score exp(-0.2 FCD)) and the KL
score. `zinc_train` is a random sample of the training split itself: the best any model can
do at this sample size.

Usage (from the repository root; one thread):
    nice -n 10 python benchmarks/generation/distribution.py --models smiles_lm selfies_lm

Writes benchmarks/generation/results/distribution_<model>.json and rewrites
results/summary.md from all of them; samples go to benchmarks/_work/generation/<model>.smi.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np
import torch
from zinc_split import fingerprint, zinc_split

from athanor.core.provenance import environment
from athanor.generators import metrics
from athanor.generators.checkpoint import checkpoint_paths, weights_path
from athanor.generators.language_model import LanguageModel
from athanor.generators.selfies_vae import SelfiesVAE

HERE = Path(__file__).parent
RESULTS = HERE / "results"
WORK = HERE.parent / "_work" / "generation"
SEED = 0
GUACAMOL_SMILES_LSTM = {"validity": 0.959, "uniqueness": 1.000, "novelty": 0.912,
                        "fcd_score": 0.913, "kl_score": 0.991}  # fmt: skip
logger = logging.getLogger("distribution")


def checkpoint_record(model: str) -> dict:
    """The training record of a shipped model (steps done, command, wall time)."""
    if model == "zinc_train":
        return {}
    _, meta = checkpoint_paths(weights_path(model))
    return json.loads(meta.read_text())["metadata"]


def sample(model: str, n: int, train: list[str]) -> list[str]:
    """`n` molecules from `model` (seeded)."""
    if model in ("smiles_lm", "selfies_lm"):
        lm = LanguageModel.pretrained(model.removesuffix("_lm"))
        lm.sampling_rng_.manual_seed(SEED)
        return lm.sample(n)
    if model == "selfies_vae":
        vae = SelfiesVAE.pretrained()
        z = np.random.default_rng(SEED).standard_normal((n, vae.config.latent_dim))
        return vae.decode(z, temperature=1.0, seed=SEED)
    if model == "zinc_train":
        return [train[i] for i in np.random.default_rng(SEED).choice(len(train), n, replace=False)]
    raise SystemExit(f"unknown model {model}")


def evaluate(model: str, n: int, train: list[str], held_out: list[str], known, reference):
    """Sample and score one model; returns the result record."""
    start = time.perf_counter()
    smiles = sample(model, n, train)
    sampling_s = time.perf_counter() - start
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / f"{model}.smi").write_text("\n".join(smiles) + "\n")
    start = time.perf_counter()
    fcd = metrics.frechet_distance(metrics.chemnet_statistics(smiles), reference)
    divergences = metrics.kl_divergences(smiles, held_out)
    record = {
        "model": model,
        "n_samples": n,
        "validity": metrics.validity(smiles),
        "uniqueness": metrics.uniqueness(smiles),
        "novelty": metrics.novelty(smiles, known),
        "internal_diversity": metrics.internal_diversity(smiles),
        "fcd": fcd,
        "fcd_score": metrics.fcd_score(fcd),
        "kl_score": metrics.kl_divergence_score(divergences),
        "kl_divergences": divergences,
        "sampling_s": round(sampling_s, 1),
        "metrics_s": round(time.perf_counter() - start, 1),
    }
    logger.info("%s: %s", model, {k: v for k, v in record.items() if k != "kl_divergences"})
    return record


def cached_references(train: list[str], held_out: list[str]):
    """Training set (for novelty) and held-out ChemNet statistics, cached in `WORK`."""
    path = WORK / f"references_{fingerprint(held_out)}.npz"
    if not path.is_file():
        WORK.mkdir(parents=True, exist_ok=True)
        known = np.array(sorted(metrics.training_set(train)))
        mean, covariance = metrics.chemnet_statistics(held_out)
        np.savez_compressed(path, known=known, mean=mean, covariance=covariance)
    arrays = np.load(path)
    return frozenset(arrays["known"].tolist()), (arrays["mean"], arrays["covariance"])


def write_summary(command: str) -> None:
    """results/summary.md: one row per result file, plus GuacaMol's SMILES-LSTM reference."""
    rows = [json.loads(path.read_text()) for path in sorted(RESULTS.glob("distribution_*.json"))]
    columns = ["validity", "uniqueness", "novelty", "fcd_score", "kl_score", "internal_diversity"]
    lines = [
        "# Distribution learning on held-out ZINC-250k",
        "",
        f"Command: `{command}`",
        "",
        "10,000 samples per model vs the 10,000 held-out molecules of `zinc_split` (seed 0); "
        "novelty against the 239,456 training molecules. FCD score = exp(-0.2 FCD).",
        "",
        "| model | " + " | ".join(columns) + " | FCD | sampling (s) |",
        "|---" * (len(columns) + 3) + "|",
    ]
    for row in rows:
        values = " | ".join(f"{row[c]:.3f}" for c in columns)
        lines.append(f"| {row['model']} | {values} | {row['fcd']:.2f} | {row['sampling_s']} |")
    reference = " | ".join(
        f"{GUACAMOL_SMILES_LSTM[c]:.3f}" if c in GUACAMOL_SMILES_LSTM else "–" for c in columns
    )
    lines += [
        f"| GuacaMol SMILES-LSTM (ChEMBL, paper) | {reference} | – | – |",
        "",
        "The GuacaMol reference was measured on ChEMBL with a 3×1024 LSTM trained for days; "
        "it is a target, not a like-for-like comparison.",
        "",
        "## Pretraining of the shipped models (1 thread on a shared 2-core machine)",
        "",
        "| model | steps done × batch | wall (min) | reproduce |",
        "|---|---|---|---|",
    ]
    for row in rows:
        trained = row.get("checkpoint") or {}
        if trained:
            command = trained.get("reproduce", trained["command"])
            lines.append(f"| {row['model']} | {trained['steps_done']} × 128 | "
                         f"{trained['wall_time_s'] / 60:.0f} | `{command}` |")  # fmt: skip
    (RESULTS / "summary.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["smiles_lm", "selfies_lm", "selfies_vae"])
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    torch.set_num_threads(1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train, held_out = zinc_split()
    known, reference = cached_references(train, held_out)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for model in args.models:
        trained = checkpoint_record(model)  # read before sampling: training may still write
        record = evaluate(model, args.samples, train, held_out, known, reference)
        record.update(split_sha256=fingerprint(held_out), checkpoint=trained,
                      environment=environment())  # fmt: skip
        (RESULTS / f"distribution_{model}.json").write_text(json.dumps(record, indent=1) + "\n")
    write_summary("python " + " ".join(sys.argv))


if __name__ == "__main__":
    main()
