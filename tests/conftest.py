"""Shared fixtures: small real molecules and a fresh project directory per test."""

from __future__ import annotations

import pytest

from athanor.store import Store

# Real molecules, with the canonical form Athanor must give each
CANONICAL = {
    "OCC": "CCO",
    "C(=O)(O)c1ccccc1": "O=C(O)c1ccccc1",
    "CC(=O)[O-].[Na+]": "CC(=O)O",  # salt stripped, neutralised
    "c1ccccc1.Cl": "c1ccccc1",  # largest fragment
    "InChI=1S/C2H6O/c1-2-3/h3H,2H2,1H3": "CCO",  # InChI input
}


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path) as opened:
        yield opened


@pytest.fixture
def molecules_csv(tmp_path):
    """A CSV with valid, invalid and duplicate rows, extra columns and a condition column."""
    path = tmp_path / "dyes.csv"
    path.write_text(
        "smiles,solvent,lambda_nm,source\n"
        "CCO,O,200.5,a\n"  # line 2
        "C1CC,O,210.0,b\n"  # line 3: unparsable
        ",O,220.0,c\n"  # line 4: empty
        "c1ccccc1,CCO,255.0,d\n"  # line 5
        "CC(=O)[O-].[Na+],O,,e\n"  # line 6: salt, missing target
        "OCC,CCO,201.0,f\n"  # line 7: same molecule as line 2, other solvent
        "C[N](C)(C)(C)C,O,230.0,g\n"  # line 8: valence error
    )
    return path
