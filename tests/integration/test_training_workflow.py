"""Train → predict → embed → evaluate on small real data (ESOL rows, a dye + solvent table)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from athanor.core.config import validate_config
from athanor.core.errors import InputDataError, UnsupportedError
from athanor.datasets import load_dataset
from athanor.workflows.model_evaluation import (
    EvaluateConfig,
    evaluate_models,
    summarize_evaluation,
)
from athanor.workflows.prediction import embed_file, predict_file
from athanor.workflows.trained_model import TrainedModel
from athanor.workflows.training import TrainConfig, train_model

TARGET = "measured log solubility in mols per litre"


@pytest.fixture
def esol_csv(tmp_path):
    """160 ESOL rows with their extra columns, one unparsable SMILES (line 5) and one
    missing label (kept, masked)."""
    frame = load_dataset("esol").head(160).copy()
    frame.loc[3, "smiles"] = "C1CC"
    frame.loc[10, TARGET] = np.nan
    path = tmp_path / "esol.csv"
    frame.to_csv(path, index=False)
    return path


def rf_config(path, seed: int = 0, **split) -> TrainConfig:
    return validate_config(
        TrainConfig,
        {
            "surrogate": {"model": "rf", "params": {"n_estimators": 30}},
            "data": {"file": str(path), "smiles": ["smiles"], "targets": [TARGET]},
            "split": {"strategy": "random", "seed": seed, "sizes": (0.7, 0.2, 0.1), **split},
            "seed": seed,
        },
    )


def test_train_saves_a_calibrated_model_and_its_results(esol_csv, tmp_path, caplog):
    result = train_model(rf_config(esol_csv), tmp_path / "model")
    assert "line 5" in caplog.text  # the unparsable row is reported by line, then skipped
    files = {p.name for p in result.output.iterdir()}
    assert {"config.json", "training.json", "run.json", "report.html"} <= files
    assert {"test_metrics.csv", "test_predictions.csv"} <= files
    raw, scaled = result.metrics.xs("raw", level="sigma"), result.metrics.xs("z-scaled", level=1)
    assert raw["n"].iloc[0] == 16  # 10 % of the 159 usable rows
    assert raw["rmse"].iloc[0] == pytest.approx(scaled["rmse"].iloc[0])  # σ only is rescaled
    assert 0.5 <= raw["conformal_coverage"].iloc[0] <= 1.0
    model = TrainedModel.load(result.output)
    assert model.targets == [TARGET] and model.conformal is not None
    saved = pd.read_csv(result.output / "test_predictions.csv")
    again = model.predict(saved["smiles"].tolist())
    np.testing.assert_array_equal(again.prediction.mean[:, 0], saved[f"{TARGET}_pred"])
    np.testing.assert_array_equal(again.lower[:, 0], saved[f"{TARGET}_lower"])


def test_same_seed_same_numbers_other_seed_other_split(esol_csv, tmp_path):
    first = train_model(rf_config(esol_csv, seed=1), tmp_path / "a").metrics
    second = train_model(rf_config(esol_csv, seed=1), tmp_path / "b").metrics
    other = train_model(rf_config(esol_csv, seed=2), tmp_path / "c").metrics
    pd.testing.assert_frame_equal(first, second)
    assert not np.isclose(first["rmse"].iloc[0], other["rmse"].iloc[0])


def test_too_small_validation_part_trains_without_calibration(esol_csv, tmp_path, caplog):
    result = train_model(rf_config(esol_csv, sizes=(0.9, 0.025, 0.075)), tmp_path / "m")
    assert "validation part has 4 rows; 9 are needed" in caplog.text
    assert result.model.conformal is None and result.model.zscaling is None
    assert result.metrics["conformal_coverage"].isna().all()
    assert TrainedModel.load(result.output).predict(["CCO"]).lower is None


def test_calibration_rows_are_held_out_of_the_validation_part(esol_csv, tmp_path):
    held_out = train_model(rf_config(esol_csv), tmp_path / "a")
    on_validation = train_model(rf_config(esol_csv, calibration=0), tmp_path / "b")
    sizes = [json.loads((r.output / "run.json").read_text())["split_sizes"]
             for r in (held_out, on_validation)]  # fmt: skip
    assert sizes[0]["val"] + sizes[0]["calibration"] == sizes[1]["val"] > 0
    assert sizes[0]["calibration"] > 0 and sizes[1]["calibration"] == 0
    conformal = [r.model.conformal.to_json() for r in (held_out, on_validation)]
    assert conformal[0] != conformal[1]  # fitted on other rows


def test_predict_streams_in_chunks_keeps_columns_and_reports_bad_lines(esol_csv, tmp_path):
    model = train_model(rf_config(esol_csv), tmp_path / "model").output
    whole = predict_file(model, esol_csv, tmp_path / "whole.csv", progress=False)
    chunked = predict_file(model, esol_csv, tmp_path / "c.parquet", chunk_size=7, progress=False)
    assert (whole.rows, whole.predicted) == (160, 159)
    assert chunked.invalid == whole.invalid
    assert whole.invalid[0][0] == 5 and "C1CC" in whole.invalid[0][1]
    one, many = pd.read_csv(tmp_path / "whole.csv"), pd.read_parquet(tmp_path / "c.parquet")
    assert "Compound ID" in one.columns and f"{TARGET}_upper" in one.columns
    np.testing.assert_allclose(one[f"{TARGET}_pred"], many[f"{TARGET}_pred"])


def test_predict_names_a_missing_column(esol_csv, tmp_path):
    model = train_model(rf_config(esol_csv), tmp_path / "model").output
    with pytest.raises(InputDataError, match=r"\['dye'\] not in the input"):
        predict_file(model, esol_csv, tmp_path / "p.csv", smiles_columns=["dye"], progress=False)


def test_embed_needs_a_learned_representation(esol_csv, tmp_path):
    rf = train_model(rf_config(esol_csv), tmp_path / "rf").output
    with pytest.raises(UnsupportedError, match="no learned embedding"):
        embed_file(rf, esol_csv, tmp_path / "e.csv", progress=False)


def test_dye_in_solvent_model_embeds_both_components(tmp_path):
    frame = load_dataset("absorption").head(120)
    path = tmp_path / "dyes.csv"
    frame.to_csv(path, index=False)
    config = validate_config(
        TrainConfig,
        {
            "surrogate": {
                "model": "dmpnn",
                "params": {"epochs": 2, "hidden_size": 16, "ffn_hidden_size": 16},
            },
            "data": {
                "file": str(path),
                "smiles": ["smiles", "solvent"],
                "targets": ["peakwavs_max"],
            },
            "split": {"strategy": "group"},
        },
    )
    model = train_model(config, tmp_path / "model")
    assert model.model.conformal is None  # σ = 0 without an uncertainty method: no intervals
    summary = embed_file(model.output, path, tmp_path / "e.parquet", progress=False)
    vectors = pd.read_parquet(tmp_path / "e.parquet")
    assert summary.predicted == 120
    assert [c for c in vectors.columns if c.startswith("emb_")][-1] == "emb_31"  # 2 × 16


def test_evaluate_gives_one_row_per_model_split_and_seed(esol_csv):
    config = validate_config(
        EvaluateConfig,
        {
            "data": {"file": str(esol_csv), "smiles": ["smiles"], "targets": [TARGET]},
            "models": [
                {"model": "rf", "params": {"n_estimators": 20}},
                {"model": "rf", "params": {"n_estimators": 20, "features": "atompair"}},
            ],
            "splits": [{"strategy": "random"}, {"strategy": "scaffold"}],
            "seeds": [0, 1],
        },
    )
    table = evaluate_models(config, progress=False)
    assert len(table) == 8
    summary = summarize_evaluation(table)
    assert summary["model"].tolist() == ["rf", "rf_2", "rf", "rf_2"]
    assert (summary["seeds"] == 2).all() and summary["rmse_std"].notna().all()


def test_too_few_calibration_rows_fall_back_to_the_whole_validation_part(
    esol_csv, tmp_path, caplog
):
    small = train_model(rf_config(esol_csv, sizes=(0.8, 0.1, 0.1)), tmp_path / "a")
    merged = train_model(rf_config(esol_csv, sizes=(0.8, 0.1, 0.1), calibration=0), tmp_path / "b")
    assert "8 calibration rows are too few (9 needed)" in caplog.text
    # a forest ignores the validation part: the same 16 rows calibrate both models
    assert small.model.conformal.to_json() == merged.model.conformal.to_json()
