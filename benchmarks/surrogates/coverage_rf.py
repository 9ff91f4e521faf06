"""90 % conformal coverage of a random forest on scaffold splits over several split seeds.

A quick check of the calibration hold-out (half of the validation part by default): each
seed's coverage of the test part, their mean and sd, and how many seeds land in 88-92 %.

    OMP_NUM_THREADS=1 python benchmarks/surrogates/coverage_rf.py --seeds 0 1 2 3 4 5 6 7
"""

from __future__ import annotations

import argparse
import json

from athanor.core.config import validate_config
from athanor.workflows.model_evaluation import EvaluateConfig, evaluate_models


def coverages(dataset: str, seeds: list[int]) -> list[float]:
    """Test coverage of the 90 % conformal intervals, one value per split seed."""
    config = validate_config(
        EvaluateConfig,
        {
            "data": {"dataset": dataset},
            "models": [{"model": "rf", "params": {"n_estimators": 100}}],
            "splits": [{"strategy": "scaffold"}],
            "seeds": seeds,
        },
    )
    return [round(float(value), 3) for value in evaluate_models(config)["conformal_coverage"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["esol", "freesolv", "lipophilicity"])
    parser.add_argument("--seeds", nargs="+", type=int, default=list(range(8)))
    args = parser.parse_args()
    for dataset in args.datasets:
        values = coverages(dataset, args.seeds)
        inside = sum(0.88 <= value <= 0.92 for value in values)
        mean = sum(values) / len(values)
        print(json.dumps({"dataset": dataset, "coverage": values, "mean": round(mean, 3),
                          "in_88_92": f"{inside}/{len(values)}"}))  # fmt: skip


if __name__ == "__main__":
    main()
