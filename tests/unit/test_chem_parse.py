"""SMILES that RDKit would read only in part are refused with the reason."""

from __future__ import annotations

import pytest

from athanor.chem.parse import FailureReason, parse_molecule
from athanor.core.errors import MoleculeError


@pytest.mark.parametrize("text", ["CC O", "c1ccccc1 Cl", "CCO\t1"])
def test_whitespace_inside_a_smiles_is_refused_not_read_as_a_name(text):
    with pytest.raises(MoleculeError, match="whitespace inside it") as caught:
        parse_molecule(text)
    assert caught.value.reason == FailureReason.UNPARSABLE
