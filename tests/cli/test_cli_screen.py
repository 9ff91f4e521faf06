"""`athanor screen` and `athanor report` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from athanor.cli.main import main
from tests.integration.test_screening_campaign import ROOT, _write_campaign


@pytest.fixture(autouse=True)
def _importable_tests(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))


def test_run_status_resume_and_report(capsys, tmp_path):
    config = _write_campaign(tmp_path, name="cli", rounds=1, pool_size=80)
    project = str(tmp_path / "project")
    assert main(["screen", "run", str(config), "-p", project]) == 0
    out = capsys.readouterr().out
    assert "40/40 oracle calls" in out and "done" in out and "report:" in out
    assert main(["screen", "status", "-p", project]) == 0
    assert "campaign 'cli'" in capsys.readouterr().out
    assert main(["screen", "resume", "cli", "-p", project]) == 0  # nothing left: no new calls
    assert "40/40 oracle calls" in capsys.readouterr().out
    report = tmp_path / "cli.html"
    assert main(["report", "cli", "-o", str(report), "-p", project]) == 0
    html = report.read_text()
    assert "Best value against oracle calls" in html and "<svg" in html
    for external in ("src='http", 'src="http', "href='http", 'href="http', "<link", "<script"):
        assert external not in html  # self-contained: nothing fetched when opened


def test_errors_are_one_line(capsys, tmp_path):
    config = _write_campaign(tmp_path)
    config.write_text(config.read_text().replace("seed = 3", "sede = 3"))
    assert main(["screen", "run", str(config), "-p", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "unknown key 'sede'" in err and "allowed:" in err and len(err.splitlines()) == 1
    assert main(["screen", "resume", "nope", "-p", str(tmp_path)]) == 1
    assert "no Athanor store" in capsys.readouterr().err
    assert main(["screen", "run", str(Path(tmp_path) / "missing.toml")]) == 1
