"""Pretrain the shipped SELFIES VAE on a fixed subset of the ZINC-250k training split.

Usage (from the repository root; one thread):
    nice -n 10 python benchmarks/generation/pretrain_vae.py

Snapshots are saved as in pretrain.py (`steps_done` in the JSON; `--stop-after` reproduces
one). Writes src/athanor/generators/weights/selfies_vae.{pt,json}.
"""

from __future__ import annotations

import argparse
import logging
import sys

import numpy as np
import torch
from pretrain import Snapshots
from zinc_split import fingerprint, zinc_split

from athanor.generators.checkpoint import weights_path
from athanor.generators.selfies_vae import SelfiesVAE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--molecules", type=int, default=30_000, help="training subset size")
    parser.add_argument("--steps", type=int, default=600, help="length of the KL schedule")
    parser.add_argument("--stop-after", type=int, default=None, help="stop after these steps")
    parser.add_argument("--save-every", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--beta", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default=None, help="checkpoint path (default: shipped)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train, _ = zinc_split()
    rows = np.random.default_rng(args.seed).choice(len(train), args.molecules, replace=False)
    subset = [train[i] for i in rows]
    metadata = {
        "command": "python " + " ".join(sys.argv),
        "dataset": "zinc250k",
        "training_molecules": len(subset),
        "training_subset_sha256": fingerprint(subset),
        "torch_threads": 1,
    }
    vae = SelfiesVAE(seed=args.seed)
    output = args.output or weights_path("selfies_vae")
    snapshots = Snapshots(vae, output, metadata, args.save_every, args.steps, args.stop_after)
    try:
        vae.fit(subset, args.steps, args.batch_size, args.learning_rate, args.beta,
                callback=snapshots)  # fmt: skip
    except StopIteration:
        logging.info("stopped after %d steps", args.stop_after)


if __name__ == "__main__":
    main()
