"""Pretrain the shipped SELFIES VAE on a fixed subset of the ZINC-250k training split.

Usage (from the repository root; one thread):
    nice -n 10 python benchmarks/generation/pretrain_vae.py

Writes src/athanor/generators/weights/selfies_vae.{pt,json}; the JSON records the command,
seed, steps, subset size and wall time.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

import numpy as np
import torch
from zinc_split import fingerprint, zinc_split

from athanor.generators.checkpoint import weights_path
from athanor.generators.selfies_vae import SelfiesVAE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--molecules", type=int, default=30_000, help="training subset size")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--beta", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default=None, help="checkpoint path (default: shipped)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train, _ = zinc_split()
    rows = np.random.default_rng(args.seed).choice(len(train), args.molecules, replace=False)
    subset = [train[i] for i in rows]
    start = time.perf_counter()
    vae = SelfiesVAE(seed=args.seed).fit(
        subset, args.steps, args.batch_size, args.learning_rate, args.beta
    )
    wall = time.perf_counter() - start
    metadata = {
        "command": "python " + " ".join(sys.argv),
        "dataset": "zinc250k",
        "training_molecules": len(subset),
        "training_subset_sha256": fingerprint(subset),
        "steps": args.steps,
        "wall_time_s": round(wall, 1),
        "torch_threads": 1,
    }
    output = args.output or weights_path("selfies_vae")
    print(f"saved {vae.save(output, metadata)} after {wall / 60:.1f} min")


if __name__ == "__main__":
    main()
