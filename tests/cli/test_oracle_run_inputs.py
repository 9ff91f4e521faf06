"""`athanor oracle run` on an input file: failures by line, rows kept in the output, a size cap."""

from __future__ import annotations

import pandas as pd
from rdkit import Chem

from athanor.cli.main import main

C120 = "C" * 120  # 120 heavy atoms


def _run(tmp_path, *options: str) -> list[str]:
    return ["oracle", "run", "rdkit", "--project", str(tmp_path), "--no-progress", *options]


def test_output_is_the_input_rows_with_results_and_failures_name_lines(tmp_path, capsys):
    source = tmp_path / "mols.csv"
    source.write_text(
        "name,smiles,logp\n"  # an input column named like a result: kept as it is
        "ethanol,CCO,-0.30\n"
        "broken,C1CC,\n"
        f"big,{C120},\n"
        "ethanol again,OCC,-0.31\n"
        "phenol,c1ccccc1O,1.46\n"
    )
    out = tmp_path / "out.csv"
    assert (
        main(_run(tmp_path, "--input", str(source), "--max-heavy-atoms", "100", "-o", str(out)))
        == 0
    )
    printed = capsys.readouterr().out
    assert "invalid input: cannot parse smiles 'C1CC' (line 3)" in printed
    assert "invalid input: 120 heavy atoms exceeds the maximum of 100 (line 4)" in printed
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns[:5]) == ["name", "smiles", "logp", "molecule_id", "canonical_smiles"]
    assert frame["name"].tolist() == ["ethanol", "broken", "big", "ethanol again", "phenol"]
    assert frame["logp"].tolist() == ["-0.30", "", "", "-0.31", "1.46"]
    assert frame["status"].tolist() == ["ok", "invalid", "invalid", "ok", "ok"]
    assert frame["error"][2] == "120 heavy atoms exceeds the maximum of 100"
    assert frame["canonical_smiles"].tolist() == ["CCO", "", "", "CCO", "Oc1ccccc1"]
    assert frame["molecule_id"][0] == frame["molecule_id"][3] != ""  # one molecule, two rows
    assert frame["logp_rdkit"][0] == frame["logp_rdkit"][3] != ""
    assert frame["logp_rdkit"][1] == frame["logp_rdkit"][2] == ""
    assert frame["aromatic_rings"].tolist() == ["0.0", "", "", "0.0", "1.0"]


def test_sdf_failures_are_numbered_by_record(tmp_path, capsys):
    pentavalent = Chem.MolFromSmiles("CC(C)(C)(C)C", sanitize=False)
    blocks = [Chem.MolToMolBlock(Chem.MolFromSmiles(s)) for s in ("CCO", "CCN")]
    blocks.insert(1, Chem.MolToMolBlock(pentavalent, kekulize=False))
    source = tmp_path / "mols.sdf"
    source.write_text("".join(f"{block}$$$$\n" for block in blocks))
    out = tmp_path / "out.parquet"
    assert main(_run(tmp_path, "--input", str(source), "-o", str(out))) == 0
    assert "(record 2)" in capsys.readouterr().out
    frame = pd.read_parquet(out)
    assert frame["status"].tolist() == ["ok", "invalid", "ok"]
    assert frame["canonical_smiles"][2] == "CCN" and "molblock" in frame.columns


def test_a_data_set_output_keeps_the_stored_values_table(tmp_path):
    out = tmp_path / "out.csv"
    assert main(_run(tmp_path, "--dataset", "esol", "--limit", "3", "-o", str(out))) == 0
    frame = pd.read_csv(out)
    assert len(frame) == 3 and {"molecule_id", "smiles", "qed"} <= set(frame.columns)
    assert "canonical_smiles" not in frame.columns


def test_a_cap_below_one_is_refused(tmp_path, capsys):
    source = tmp_path / "in.smi"
    source.write_text("CCO\n")
    assert main(_run(tmp_path, "--input", str(source), "--max-heavy-atoms", "0")) == 2
    assert "0 is not in the range x>=1" in capsys.readouterr().err


def test_a_smiles_list_output_leaves_out_refused_rows(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("name,smiles\nethanol,CCO\nbroken,C1CC\nphenol,c1ccccc1O\n")
    out = tmp_path / "out.smi"
    assert main(_run(tmp_path, "--input", str(source), "-o", str(out))) == 0
    assert out.read_text() == "CCO ethanol\nOc1ccccc1 phenol\n"
