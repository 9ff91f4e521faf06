"""`athanor generate`: the sample and reference files it reads and writes, in every format."""

from __future__ import annotations

import gzip
import logging
from types import SimpleNamespace

import pytest

from athanor.cli.generate import read_reference_file, read_smiles_file
from athanor.cli.main import main

PROPOSALS = ["CCO", "", "C1CC", "c1ccccc1"]  # an empty and an invalid proposal


@pytest.fixture
def fake_generator(monkeypatch):
    """`make_generator` replaced by one proposing `PROPOSALS`; the list records each build."""
    built = []

    def make(name, **params):
        built.append(name)
        return SimpleNamespace(ask=lambda count: PROPOSALS[:count])

    monkeypatch.setattr("athanor.generators.registry.make_generator", make)
    return built


def _metrics(*args: str) -> list[str]:
    return ["generate", "metrics", *args, "--no-fcd"]


def test_a_gzipped_smiles_list_is_read(tmp_path, capsys):
    path = tmp_path / "sample.smi.gz"
    path.write_bytes(gzip.compress(b"smiles\nCCO\nCCN\n"))
    assert read_smiles_file(path) == ["CCO", "CCN"]
    assert main(_metrics(str(path))) == 0 and "n_generated          2" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("binary.smi", bytes(range(128, 256)), "binary.smi: cannot read as SMILES list: not UTF-8"),
        ("empty.smi", b"", "empty.smi: no molecules (the file has no records)"),
        ("header.csv", b"smiles,y\n", "header.csv: no molecules (the file has no records)"),
    ],
)
def test_unreadable_or_empty_samples_are_one_line_errors(tmp_path, capsys, name, content, problem):
    (tmp_path / name).write_bytes(content)
    assert main(_metrics(str(tmp_path / name))) == 1
    err = capsys.readouterr().err
    assert problem in err and "internal error" not in err and len(err.splitlines()) == 1


def test_smiles_column_option_names_the_column(tmp_path, capsys):
    path = tmp_path / "table.csv"
    path.write_text("id,structure\n1,CCO\n2,xyz\n")
    assert main(_metrics(str(path))) == 1
    assert "pass --smiles-column" in capsys.readouterr().err
    assert main(_metrics(str(path), "--smiles-column", "structure")) == 0
    assert "validity             0.5" in capsys.readouterr().out
    assert main(_metrics(str(path), "--smiles-column", "smile")) == 1
    assert "no column 'smile' (columns: ['id', 'structure'])" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "read_back"),
    [
        ("out.parquet", PROPOSALS),
        ("out.csv.gz", PROPOSALS),
        ("out.smi.gz", ["CCO", "C1CC", "c1ccccc1"]),  # a SMILES list has no empty record
        ("out.sdf", ["CCO", "c1ccccc1"]),  # nor an SDF file an empty or unparsable one
        ("out.sdf.gz", ["CCO", "c1ccccc1"]),
    ],
)
def test_sample_writes_the_format_of_its_extension(
    tmp_path, capsys, fake_generator, name, read_back
):
    out = tmp_path / name
    assert main(["generate", "sample", "-n", "4", "-o", str(out)]) == 0
    assert read_smiles_file(out) == read_back
    message = capsys.readouterr().out
    assert f"wrote {len(read_back)} molecules" in message and "50.0% valid" in message
    assert ("left out" in message) == (len(read_back) < len(PROPOSALS))
    assert main(_metrics(str(out))) == 0


def test_sample_refuses_an_unknown_extension_before_sampling(tmp_path, capsys, fake_generator):
    assert main(["generate", "sample", "-n", "4", "-o", str(tmp_path / "out.xyz")]) == 1
    assert "unknown file type (known extensions: .csv" in capsys.readouterr().err
    assert fake_generator == []


def test_invalid_reference_smiles_are_left_out_with_a_warning(tmp_path, caplog):
    path = tmp_path / "reference.smi"
    path.write_text("smiles\nCCO\nxyz\n" + "C1CC\n" * 6 + "CCN\n")
    with caplog.at_level(logging.WARNING, logger="athanor.cli.generate"):
        assert read_reference_file(path) == ["CCO", "CCN"]
    assert (
        f"{path}: 7 of 9 SMILES are not valid molecules, left out (lines 3, 4, 5, 6, 7, ...)"
        in (caplog.text)
    )
