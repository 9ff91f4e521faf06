"""One Athanor benchmark step in its own process, as chemprop's CLI: ``train`` or ``predict``.

python athanor_unit.py train FOLDER MODEL_DIR --columns smiles,solvent --epochs 50 --seed 0
python athanor_unit.py train FOLDER MODEL_DIR --ensemble-size 5     # deep ensemble of D-MPNNs
python athanor_unit.py train FOLDER MODEL_DIR --precision fp32     # no bf16 matrix products
python athanor_unit.py train FOLDER MODEL_DIR --molecule-features descriptors   # + RDKit 2-D
python athanor_unit.py train FOLDER MODEL_DIR --lightgbm   # LightGBM on RDKit 2-D descriptors
python athanor_unit.py predict FOLDER MODEL_DIR --columns smiles --output predictions.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import torch

from athanor.models import DMPNNRegressor, LightGBMSurrogate, Surrogate


def _molecules(frame: pd.DataFrame, columns: list[str]):
    return frame[columns].to_numpy() if len(columns) > 1 else frame[columns[0]].tolist()


def build(args: argparse.Namespace) -> Surrogate:
    """The unfitted model the arguments name."""
    if args.lightgbm:
        return LightGBMSurrogate(features="descriptors", seed=args.seed)  # ignores val
    return DMPNNRegressor(
        epochs=args.epochs,
        seed=args.seed,
        uncertainty="ensemble" if args.ensemble_size > 1 else "none",
        ensemble_size=args.ensemble_size,
        precision=args.precision,
        molecule_features=args.molecule_features,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=("train", "predict"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("model", type=Path)
    parser.add_argument("--columns", default="smiles")
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ensemble-size", type=int, default=1, help="networks (seeds seed, ...)")
    parser.add_argument("--precision", default="auto", choices=("auto", "fp32", "bf16"))
    parser.add_argument("--molecule-features", default="none", choices=("none", "descriptors"))
    parser.add_argument("--lightgbm", action="store_true", help="LightGBM on descriptors")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(1)
    columns = args.columns.split(",")
    if args.step == "train":
        train, val = (pd.read_csv(args.folder / f"{part}.csv") for part in ("train", "val"))
        model = build(args)
        validation = (_molecules(val, columns), val["y"].to_numpy())
        model.fit(_molecules(train, columns), train["y"].to_numpy(), val=validation)
        model.save(args.model)
    else:
        data = pd.read_csv(args.folder / "predict.csv")
        prediction = Surrogate.load(args.model).predict(_molecules(data, columns))
        data.assign(y=prediction.mean[:, 0]).to_csv(args.output, index=False)


if __name__ == "__main__":
    main()
