"""Combinatorial enumeration: D–(π)–A libraries and reaction-based products."""

from __future__ import annotations

import pytest

from athanor.chem import standardize
from athanor.chem.enumeration import enumerate_library, enumerate_reaction
from athanor.core.errors import InputDataError


def test_builtin_donor_acceptor_library():
    library = enumerate_library("donor_acceptor")
    assert len(library) == 8 * 9 * (8 + 1)  # donors x acceptors x (bridges + direct bond)
    assert library["smiles"].is_unique
    row = library[
        (library.donor == "4-dimethylaminophenyl")
        & (library.bridge == "thiophene")
        & (library.acceptor == "dicyanovinyl")
    ]
    assert row.smiles.item() == standardize("CN(C)c1ccc(-c2ccc(/C=C(/C#N)C#N)s2)cc1").smiles
    direct = library[
        (library.donor == "4-methoxyphenyl")
        & (library.bridge == "")
        & (library.acceptor == "pyridin-4-yl")
    ]
    assert direct.smiles.item() == "COc1ccc(-c2ccncc2)cc1"


def test_custom_fragments_file_and_errors(tmp_path):
    path = tmp_path / "fragments.csv"
    path.write_text(
        "role,name,smiles\ndonor,anisyl,COc1ccc([*:1])cc1\n"
        "bridge,thienyl,[*:1]c1ccc([*:2])s1\nacceptor,pyridyl,[*:2]c1ccncc1\n"
    )
    assert enumerate_library(path)["smiles"].tolist() == [
        "COc1ccc(-c2ccncc2)cc1",
        "COc1ccc(-c2ccc(-c3ccncc3)s2)cc1",
    ]
    with pytest.raises(InputDataError, match="unknown library"):
        enumerate_library("no_such_library")
    path.write_text("role,name,smiles\ndonor,anisyl,COc1ccc([*:1])cc1\n")
    with pytest.raises(InputDataError, match="no 'bridge' fragments"):
        enumerate_library(path)


def test_reaction_enumeration_amide_coupling():
    products = enumerate_reaction(
        "[C:1](=O)[OH].[N;H2:2]>>[C:1](=O)[N:2]",
        [["CC(=O)O", "OC(=O)c1ccccc1"], ["NCC", "CCO"]],  # ethanol has no amine: no product
    )
    assert products == ["CCNC(C)=O", "CCNC(=O)c1ccccc1"]
    with pytest.raises(InputDataError, match="2 reactant templates"):
        enumerate_reaction("[C:1](=O)[OH].[N;H2:2]>>[C:1](=O)[N:2]", [["CC(=O)O"]])
