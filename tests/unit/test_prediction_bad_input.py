"""`predict_file` / `embed_file` on awkward input files: the run keeps going where a row is
bad, stops with `InputDataError` where the file is, and never damages the input or leaves a
half-written output."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from athanor.core.errors import InputDataError
from athanor.models.registry import surrogate_class
from athanor.store.readers import read_chunks
from athanor.workflows import prediction
from athanor.workflows.prediction import embed_file, predict_file
from athanor.workflows.table_writer import TableWriter
from athanor.workflows.trained_model import TrainedModel

TRAINING = ["CCO", "CCC", "CCN", "c1ccccc1", "CCCl", "CO", "CCCC", "OCCO"]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A small random forest on SMILES and one condition column, ``temp``."""
    conditions = np.linspace(0.0, 1.0, len(TRAINING))[:, None]
    forest = surrogate_class("rf")(n_estimators=5).fit(
        TRAINING, np.arange(len(TRAINING), dtype=float), conditions=conditions
    )
    return TrainedModel(forest, ["smiles"], ["logS"], ["temp"]).save(
        tmp_path_factory.mktemp("model")
    )


def predict(model, source, output, **options):
    return predict_file(model, source, output, progress=False, **options)


def predict_text(model, folder, text: str, output: str):
    """Predict a CSV given as text into `output` (CSV or Parquet): the summary and the table."""
    source = folder / "input.csv"
    source.write_text(text)
    summary = predict(model, source, folder / output)
    reader = pd.read_parquet if output.endswith("parquet") else pd.read_csv
    return summary, reader(folder / output)


def test_output_equal_to_input_is_refused_and_the_input_kept(model, tmp_path):
    source = tmp_path / "same.csv"
    source.write_text("smiles,temp\nCCO,1\n")
    with pytest.raises(InputDataError, match="is the input file"):
        predict(model, source, tmp_path / "." / "same.csv")
    assert source.read_text() == "smiles,temp\nCCO,1\n"


def test_a_failed_run_leaves_the_previous_output_and_no_part_file(tmp_path):
    output = tmp_path / "out.csv"
    output.write_text("old\n")
    with pytest.raises(RuntimeError), TableWriter(output) as writer:
        writer.write(pd.DataFrame({"a": [1]}))
        raise RuntimeError("killed mid-run")
    assert output.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_gzip_output_is_written_whole_on_a_clean_exit(tmp_path):
    output = tmp_path / "out.csv.gz"
    with TableWriter(output) as writer:
        writer.write(pd.DataFrame({"a": [1], "b": ["x"]}))
        writer.write(pd.DataFrame({"b": ["y"], "a": [2]}))  # aligned to the first columns
    assert gzip.decompress(output.read_bytes()).decode() == "a,b\n1,x\n2,y\n"


def test_parquet_pass_through_columns_may_change_type_between_chunks(model, tmp_path):
    source = tmp_path / "mixed.csv"
    source.write_text("smiles,temp,note,id\nCCO,1,,1\nCCC,2,,2\nCCN,3,hello,A7\nCO,1,x,8\n")
    summary = predict(model, source, tmp_path / "out.parquet", chunk_size=2)
    written = pd.read_parquet(tmp_path / "out.parquet")
    assert summary.predicted == 4
    assert written["note"].tolist() == ["", "", "hello", "x"]
    assert written["id"].tolist() == ["1", "2", "A7", "8"]


def test_a_parquet_type_clash_is_an_input_data_error(tmp_path):
    output = tmp_path / "out.parquet"
    with pytest.raises(InputDataError, match="do not fit its type"), TableWriter(output) as w:
        w.write(pd.DataFrame({"id": [1, 2]}))
        w.write(pd.DataFrame({"id": ["A7"]}))
    assert not output.exists()


def test_bad_condition_values_skip_their_row_only(model, tmp_path):
    source = tmp_path / "conditions.csv"
    source.write_text("smiles,temp\nCCO,1\nCCC,abc\nCCN,inf\nCO,\nCCCC,0.5\n")
    summary = predict(model, source, tmp_path / "out.csv")
    assert (summary.rows, summary.predicted, summary.skipped) == (5, 2, 3)
    assert [line for line, _ in summary.invalid] == [3, 4, 5]
    assert "'abc' is not a finite number" in summary.invalid[0][1]
    assert "'inf' is not a finite number" in summary.invalid[1][1]
    assert "missing value in condition column 'temp'" in summary.invalid[2][1]
    assert pd.read_csv(tmp_path / "out.csv")["smiles"].tolist() == ["CCO", "CCCC"]


def test_reported_lines_are_the_file_lines_after_blank_lines_and_quoted_newlines(tmp_path):
    source = tmp_path / "gaps.csv"
    source.write_text('\nsmiles,name\nCCO,a\n\n   \nC1CC,"two\nlines"\n,c\nCCN,d\n')
    lines = [n for chunk in read_chunks(source, chunk_size=2) for n in chunk.lines]
    assert lines == [3, 6, 8, 9]


def test_skipped_rows_are_reported_by_their_file_line(model, tmp_path):
    source = tmp_path / "gaps.csv"
    source.write_text("smiles,temp\nCCO,1\n\n\nC1CC,2\n")
    summary = predict(model, source, tmp_path / "out.csv")
    assert summary.invalid[0][0] == 5


@pytest.mark.parametrize("name", ["out.csv", "out.parquet"])
def test_an_output_without_valid_rows_still_has_its_columns(model, tmp_path, name):
    summary, written = predict_text(model, tmp_path, "smiles,temp,note\nC1CC,1,a\nxx,2,b\n", name)
    assert summary.predicted == 0 and len(written) == 0
    assert list(written.columns) == ["smiles", "temp", "note", "logS_pred", "logS_std"]


def test_only_the_first_skipped_rows_are_kept(model, tmp_path):
    source = tmp_path / "many.csv"
    source.write_text("smiles,temp\n" + "C1CC,1\n" * 150 + "CCO,1\n")
    summary = predict(model, source, tmp_path / "out.csv", chunk_size=40)
    assert (summary.skipped, len(summary.invalid)) == (150, prediction.MAX_LISTED)
    assert summary.invalid[-1][0] == prediction.MAX_LISTED + 1


class _Embedder:
    """A stand-in surrogate with a two-number embedding."""

    name = "stand-in"

    def embed(self, smiles, conditions=None):
        return np.ones((len(smiles), 2), dtype=np.float32)


def test_embed_loads_the_model_once(monkeypatch, tmp_path):
    loaded = []

    def load(directory):
        loaded.append(directory)
        return TrainedModel(_Embedder())

    monkeypatch.setattr(TrainedModel, "load", load)
    source = tmp_path / "in.csv"
    source.write_text("smiles\nCCO\n")
    summary = embed_file("model", source, tmp_path / "out.csv", progress=False)
    assert summary.predicted == 1 and loaded == ["model"]


def _truncated_gzip(path):
    data = gzip.compress(("smiles,temp\n" + "CCO,1\n" * 5000).encode())
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize(
    ("name", "write"),
    [
        ("latin1.csv", lambda p: p.write_bytes("smiles,temp\nCCO,1 \xb0C\n".encode("latin-1"))),
        ("cut.csv.gz", _truncated_gzip),
        ("latin1.smi", lambda p: p.write_bytes("CCO \xe9thanol\n".encode("latin-1"))),
        ("latin1.sdf", lambda p: p.write_bytes("\xe9thanol\n\n\nM  END\n".encode("latin-1"))),
    ],
)
def test_an_unreadable_file_is_an_input_data_error(model, tmp_path, name, write):
    write(tmp_path / name)
    with pytest.raises(InputDataError, match=f"{name}: cannot read"):
        predict(model, tmp_path / name, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("name", ["again.csv", "again.parquet"])
def test_predicting_on_an_earlier_output_replaces_its_prediction_columns(model, tmp_path, name):
    text = "smiles,temp,logS_pred,logS_std,note\nCCO,1,old,old,a\n"
    summary, written = predict_text(model, tmp_path, text, name)
    assert list(written.columns) == ["smiles", "temp", "note", "logS_pred", "logS_std"]
    assert np.isfinite(written["logS_pred"].astype(float)).all()
    assert summary.replaced_columns == ["logS_pred", "logS_std"]


def test_a_model_without_uncertainty_writes_no_sigma_not_zero(tmp_path):
    network = surrogate_class("dmpnn")(epochs=1, hidden_size=16, ffn_hidden_size=16, depth=2)
    network.fit(TRAINING, np.arange(len(TRAINING), dtype=float))
    folder = TrainedModel(network, ["smiles"], ["logS"], []).save(tmp_path / "model")
    summary, written = predict_text(folder, tmp_path, "smiles\nCCO\nCCN\n", "out.csv")
    assert summary.predicted == 2 and np.isfinite(written["logS_pred"]).all()
    assert written["logS_std"].isna().all()  # unknown, not a certain 0


def _sdf_record(smiles: str, name: str, temp: str) -> str:
    from rdkit import Chem

    block = Chem.MolToMolBlock(Chem.MolFromSmiles(smiles)) if smiles else "broken\n\n\nM  END\n"
    return f"{name}{block[block.index(chr(10)) :]}\n> <temp>\n{temp}\n\n$$$$\n"


def test_an_sdf_input_is_predicted_from_its_mol_blocks(model, tmp_path):
    source = tmp_path / "library.sdf"
    records = [("OCC", "ethanol", "0.5"), ("", "broken", "0.1"), ("c1ccccc1", "benzene", "1")]
    source.write_text("".join(_sdf_record(*record) for record in records))
    summary = predict(model, source, tmp_path / "out.csv")
    written = pd.read_csv(tmp_path / "out.csv")
    assert (summary.rows, summary.predicted, summary.skipped) == (3, 2, 1)
    assert summary.position == "record" and summary.invalid[0][0] == 2
    assert "cannot parse molblock" in summary.invalid[0][1]
    assert written["smiles"].tolist() == ["CCO", "c1ccccc1"]
    assert written["name"].tolist() == ["ethanol", "benzene"]
    assert "molblock" not in written.columns and written["logS_pred"].notna().all()


def test_a_bare_surrogate_folder_predicts_uncalibrated_and_says_so(tmp_path, caplog):
    forest = surrogate_class("rf")(n_estimators=3).fit(
        TRAINING, np.arange(len(TRAINING), dtype=float)
    )
    folder = forest.save(tmp_path / "bare")
    (tmp_path / "in.csv").write_text("smiles\nCCO\n")
    predict(folder, tmp_path / "in.csv", tmp_path / "out.csv")
    assert "has no training.json" in caplog.text and "without calibration" in caplog.text
    written = pd.read_csv(tmp_path / "out.csv")
    assert written.columns[0] == "smiles" and not any("lower" in c for c in written.columns)
