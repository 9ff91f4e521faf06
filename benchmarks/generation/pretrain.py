"""Pretrain the shipped chemical language models on ZINC-250k (minus the held-out set).

Usage (from the repository root; one thread):
    nice -n 10 python benchmarks/generation/pretrain.py --representation smiles --steps 1000
    nice -n 10 python benchmarks/generation/pretrain.py --representation selfies --steps 700

The learning rate decays linearly over `--steps`. A snapshot is saved every `--save-every`
steps, so a run stopped early (the shared CPU budget) still leaves a model: its JSON records
`steps_done`, and the same command with `--stop-after STEPS_DONE` reproduces it. Writes
src/athanor/generators/weights/{smiles,selfies}_lm.{pt,json}.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time

import torch
from zinc_split import fingerprint, zinc_split

from athanor.generators.language_model import LanguageModel, LanguageModelConfig, pretrained_path


class Snapshots:
    """Saves the model every `every` steps and at `last`, and stops after `stop_after`."""

    def __init__(self, model, output, metadata: dict, every: int, last: int, stop_after=None):
        self.model, self.output, self.metadata = model, output, metadata
        self.every, self.last, self.stop_after = every, last, stop_after
        self.start = time.perf_counter()

    def save(self, steps_done: int) -> None:
        wall = round(time.perf_counter() - self.start, 1)
        self.model.save(
            self.output, {**self.metadata, "steps_done": steps_done, "wall_time_s": wall}
        )
        logging.info("saved %s at step %d after %.1f min", self.output, steps_done, wall / 60)

    def __call__(self, steps_done: int) -> None:
        if steps_done % self.every == 0 or steps_done in (self.last, self.stop_after):
            self.save(steps_done)
        if steps_done == self.stop_after:
            raise StopIteration


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--representation", choices=["smiles", "selfies"], default="smiles")
    parser.add_argument("--steps", type=int, default=1000, help="length of the LR schedule")
    parser.add_argument("--stop-after", type=int, default=None, help="stop after these steps")
    parser.add_argument("--save-every", type=int, default=100)
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
    model = LanguageModel(config, seed=args.seed)
    metadata = {
        "command": "python " + " ".join(sys.argv),
        "dataset": "zinc250k",
        "training_molecules": len(train),
        "training_split_sha256": fingerprint(train),
        "torch_threads": 1,
    }
    output = args.output or pretrained_path(args.representation)
    snapshots = Snapshots(model, output, metadata, args.save_every, args.steps, args.stop_after)
    try:
        model.fit(train, args.steps, args.batch_size, args.learning_rate, callback=snapshots)
    except StopIteration:
        logging.info("stopped after %d steps", args.stop_after)


if __name__ == "__main__":
    main()
