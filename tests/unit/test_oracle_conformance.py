"""Every built-in oracle passes the same conformance checks (athanor.oracles.conformance)."""

from __future__ import annotations

import json
import sys

import pytest

from athanor.oracles import make_oracle, oracle_class
from athanor.oracles.conformance import ConformanceError, check_batch, check_oracle
from athanor.oracles.python_fn import PythonOracle

SMALL = ["O", "C", "CCO"]


def heavy_atom_count(smiles: str) -> dict[str, float]:
    """A user function for the python oracle (module level, so workers can import it)."""
    from athanor.chem import parse_molecule

    return {"heavy": parse_molecule(smiles).GetNumHeavyAtoms()}


def heavy_atom_counts(batch: list[str]) -> list[dict[str, float]]:
    return [heavy_atom_count(smiles) for smiles in batch]


@pytest.fixture
def table_csv(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("smiles,score,name\nOCC,-1.5,ethanol\nO,0.25,water\nC,2.0,methane\n")
    return path


@pytest.fixture
def program(tmp_path):
    script = tmp_path / "count_atoms.py"
    script.write_text(
        "import json, sys\n"
        "from rdkit import Chem\n"
        "mol = Chem.MolFromSmiles(sys.stdin.read().strip())\n"
        "print(json.dumps({'atoms': mol.GetNumAtoms()}))\n"
    )
    return script


def _oracles(table_csv, program):
    return {
        "rdkit": make_oracle("rdkit"),
        "xtb": make_oracle("xtb"),
        "xtb-ip-ea-solvent": make_oracle("xtb", ip_ea=True, solvent="water"),
        "dft": make_oracle("dft", basis="sto-3g", xtb_geometry=False),
        "table": make_oracle("table", path=str(table_csv), units={"score": "kcal/mol"}),
        "python": PythonOracle.from_function(heavy_atom_count, {"heavy": "count"}),
        "python-batch": PythonOracle.from_function(
            heavy_atom_counts, {"heavy": "count"}, batch=True
        ),
        "command": make_oracle(
            "command",
            command=[sys.executable, str(program)],
            properties={"atoms": "count"},
            timeout_s=60,
        ),
    }


ORACLE_CASES = [
    "rdkit",
    "xtb",
    "xtb-ip-ea-solvent",
    "dft",
    "table",
    "python",
    "python-batch",
    "command",
]


@pytest.mark.parametrize("case", ORACLE_CASES)
def test_builtin_oracle_conforms(case, table_csv, program):
    check_oracle(_oracles(table_csv, program)[case], SMALL)


@pytest.mark.slow
def test_dft_default_basis_conforms():
    check_oracle(make_oracle("dft", excited_states=True), ["O", "C"])


def test_fingerprint_changes_with_parameters_and_version(monkeypatch):
    plain = make_oracle("xtb").fingerprint
    assert make_oracle("xtb", optimize=True).fingerprint != plain
    assert make_oracle("xtb").fingerprint == plain
    monkeypatch.setattr(oracle_class("xtb"), "version", "999")
    assert make_oracle("xtb").fingerprint != plain


def test_table_fingerprint_follows_file_content(table_csv):
    before = make_oracle("table", path=str(table_csv)).fingerprint
    table_csv.write_text(table_csv.read_text().replace("-1.5", "-1.6"))
    assert make_oracle("table", path=str(table_csv)).fingerprint != before


def test_conformance_catches_an_oracle_that_raises_for_an_invalid_molecule():
    class Raising(PythonOracle):
        def evaluate(self, smiles):
            if any("(" in item for item in smiles):
                raise ValueError("boom")
            return super().evaluate(smiles)

    oracle = Raising(function=f"{__name__}:heavy_atom_count", properties={"heavy": "count"})
    with pytest.raises(ConformanceError, match="evaluate raised ValueError"):
        check_batch(oracle, SMALL)


def test_conformance_catches_undeclared_values():
    oracle = PythonOracle.from_function(heavy_atom_count, {"heavy": "count", "extra": "1"})
    with pytest.raises(ConformanceError, match="O: failed"):
        check_oracle(oracle, SMALL)


def test_values_are_json_serialisable_for_the_store():
    evaluation = make_oracle("rdkit").evaluate(["CCO"])[0]
    assert json.loads(json.dumps(evaluation.values)) == evaluation.values
