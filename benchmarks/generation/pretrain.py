"""Pretrain the shipped chemical language models on ZINC-250k (minus the held-out set).

Usage (from the repository root; one thread, about 45 min per model on a shared CPU):
    nice -n 10 python benchmarks/generation/pretrain.py --representation smiles
    nice -n 10 python benchmarks/generation/pretrain.py --representation selfies

Writes src/athanor/generators/weights/{smiles,selfies}_lm.{pt,json}; the JSON records the
command, seed, steps, split hash and wall time.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

import torch
from zinc_split import fingerprint, zinc_split

from athanor.generators.language_model import LanguageModel, LanguageModelConfig, pretrained_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--representation", choices=["smiles", "selfies"], default="smiles")
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--hidden-dim", type=int, default=256)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default=None, help="checkpoint path (default: shipped)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train, _ = zinc_split()
    config = LanguageModelConfig(representation=args.representation, hidden_dim=args.hidden_dim)
    start = time.perf_counter()
    model = LanguageModel(config, seed=args.seed).fit(
        train, steps=args.steps, batch_size=args.batch_size, learning_rate=args.learning_rate
    )
    wall = time.perf_counter() - start
    output = args.output or pretrained_path(args.representation)
    metadata = {
        "command": "python " + " ".join(sys.argv),
        "dataset": "zinc250k",
        "training_molecules": len(train),
        "training_split_sha256": fingerprint(train),
        "wall_time_s": round(wall, 1),
        "torch_threads": 1,
    }
    print(f"saved {model.save(output, metadata)} after {wall / 60:.1f} min")


if __name__ == "__main__":
    main()
