"""The command line: help, version, data commands, one-line errors and exit codes."""

from __future__ import annotations

import pytest

from athanor import __version__
from athanor.cli.main import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_help_and_version(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0 and "data" in out and "demo" in out
    status, out, _ = run(capsys, "--version")
    assert status == 0 and __version__ in out


def test_import_info_export_validate(capsys, molecules_csv, tmp_path):
    project = str(tmp_path / "project")
    status, out, err = run(
        capsys, "data", "import", str(molecules_csv), "--condition", "solvent", "-p", project
    )
    assert status == 0
    assert "7 rows, 4 valid, 3 invalid" in out
    assert "line 3: unparsable" in err and "line 8: valence" in err
    status, out, _ = run(capsys, "data", "info", "dyes", "-p", project)
    assert status == 0 and "unique molecules: 3" in out and "conditions: solvent" in out
    exported = tmp_path / "dyes.parquet"
    status, out, _ = run(capsys, "data", "export", "dyes", str(exported), "-p", project)
    assert status == 0 and exported.stat().st_size > 0
    status, out, err = run(capsys, "data", "validate", str(molecules_csv))
    assert status == 1 and "3 invalid" in out and "line 4: empty" in err


def test_import_of_a_shipped_dataset(capsys, tmp_path):
    status, out, _ = run(capsys, "data", "import", "--dataset", "freesolv", "-p", str(tmp_path))
    assert status == 0 and "642 rows, 642 valid" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["data", "import", "missing.csv"], "error: input file not found: missing.csv"),
        (["data", "export", "nope", "x.csv"], "error: no Athanor store"),
        (["data", "import", "--dataset", "esoll"], "unknown dataset 'esoll'"),
    ],
)
def test_errors_are_one_line_without_traceback(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, *args)
    assert status == 1
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_usage_errors_exit_2(capsys):
    status, _, err = run(capsys, "data", "import")
    assert status == 2 and "give either an input FILE or --dataset NAME" in err
    status, _, err = run(capsys, "nonsense")
    assert status == 2 and "No such command" in err


def test_info_says_a_damaged_store_is_damaged_not_absent(capsys, tmp_path):
    (tmp_path / ".athanor").mkdir()
    (tmp_path / ".athanor" / "store.sqlite").write_text("garbage")
    status, out, err = run(capsys, "data", "info", "-p", str(tmp_path))
    assert status == 1 and "no store here" not in out and "Traceback" not in err


def test_info_without_a_store_shows_the_named_shipped_data_set(capsys, tmp_path):
    status, out, _ = run(capsys, "data", "info", "esol", "-p", str(tmp_path))
    assert status == 0 and "esol" in out and "freesolv" not in out
    status, _, err = run(capsys, "data", "info", "nope", "-p", str(tmp_path))
    assert status == 1 and "no shipped data set 'nope'" in err


@pytest.mark.parametrize("option", [["-j", "0"], ["--max-heavy-atoms", "-1"]])
def test_import_refuses_counts_below_one(capsys, molecules_csv, tmp_path, option):
    status, _, err = run(capsys, "data", "import", str(molecules_csv), "-p", str(tmp_path), *option)
    assert status != 0 and option[0] in err
