"""Every built-in objective component passes the component conformance checks."""

from __future__ import annotations

import pytest

from athanor.objectives import component_kinds
from athanor.objectives.conformance import check_component

PARAMS = {
    "atom_count": {"element": "O"},
    "similarity": {"smiles": "CCO", "fingerprint": "AP"},
    "substructure": {"smarts": "[OX2H]"},
    "isomer": {"formula": "C2H6O"},
    "oracle": {"oracle": "rdkit", "property": "logp"},
}
NEEDS_FILES = {"surrogate", "pmo_classifier"}  # a saved model / the molscore wheel
BUILTIN = [k for k in component_kinds() if not k.startswith("test_") and k not in NEEDS_FILES]


@pytest.mark.parametrize("kind", BUILTIN)
def test_builtin_component_conforms(kind):
    check_component(kind, PARAMS.get(kind))
