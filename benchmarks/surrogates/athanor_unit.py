"""One Athanor benchmark step in its own process, as chemprop's CLI: ``train`` or ``predict``.

python athanor_unit.py train FOLDER MODEL_DIR --columns smiles,solvent --epochs 50 --seed 0
python athanor_unit.py train FOLDER MODEL_DIR --ensemble-size 5     # deep ensemble of D-MPNNs
python athanor_unit.py train FOLDER MODEL_DIR --precision fp32     # no bf16 matrix products
python athanor_unit.py predict FOLDER MODEL_DIR --columns smiles --output predictions.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import torch

from athanor.models import DMPNNRegressor, Surrogate


def _molecules(frame: pd.DataFrame, columns: list[str]):
    return frame[columns].to_numpy() if len(columns) > 1 else frame[columns[0]].tolist()


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
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    torch.set_num_threads(1)
    columns = args.columns.split(",")
    if args.step == "train":
        train, val = (pd.read_csv(args.folder / f"{part}.csv") for part in ("train", "val"))
        uncertainty = "ensemble" if args.ensemble_size > 1 else "none"
        model = DMPNNRegressor(
            epochs=args.epochs,
            seed=args.seed,
            uncertainty=uncertainty,
            ensemble_size=args.ensemble_size,
            precision=args.precision,
        )
        validation = (_molecules(val, columns), val["y"].to_numpy())
        model.fit(_molecules(train, columns), train["y"].to_numpy(), val=validation)
        model.save(args.model)
    else:
        data = pd.read_csv(args.folder / "predict.csv")
        prediction = Surrogate.load(args.model).predict(_molecules(data, columns))
        data.assign(y=prediction.mean[:, 0]).to_csv(args.output, index=False)


if __name__ == "__main__":
    main()
