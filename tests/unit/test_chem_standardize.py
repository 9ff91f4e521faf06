"""Molecule identity: canonical forms, options, and one specific failure per bad input."""

from __future__ import annotations

import importlib

import pytest

from athanor.chem import StandardizerOptions, standardize, standardize_many
from athanor.core.errors import MoleculeError
from athanor.core.records import Molecule, MoleculeFailure
from tests.conftest import CANONICAL

BENZENE_MOLBLOCK = """benzene
     RDKit          2D

  6  6  0  0  0  0  0  0  0  0999 V2000
    1.5000    0.0000    0.0000 C   0  0
    0.7500   -1.2990    0.0000 C   0  0
   -0.7500   -1.2990    0.0000 C   0  0
   -1.5000    0.0000    0.0000 C   0  0
   -0.7500    1.2990    0.0000 C   0  0
    0.7500    1.2990    0.0000 C   0  0
  1  2  2  0
  2  3  1  0
  3  4  2  0
  4  5  1  0
  5  6  2  0
  6  1  1  0
M  END
"""


@pytest.mark.parametrize(("text", "canonical"), CANONICAL.items())
def test_equivalent_inputs_share_one_canonical_form(text, canonical):
    assert standardize(text).smiles == canonical


def test_molblock_input_and_inchikey():
    molecule = standardize(BENZENE_MOLBLOCK)
    assert molecule.smiles == "c1ccccc1"
    assert molecule.inchikey == "UHOVQNZJYSORNB-UHFFFAOYSA-N"
    assert molecule.heavy_atoms == 6


@pytest.mark.parametrize(
    ("text", "reason", "fragment"),
    [
        ("", "empty", "empty"),
        ("   ", "empty", "empty"),
        ("C1CC", "unparsable", "C1CC"),
        ("not a molecule", "unparsable", "cannot parse"),
        ("C[N](C)(C)(C)C", "valence", "valence"),
        ("c1cccc1", "kekulize", "kekulize"),
        ("[Fe]", "element", "Fe"),
        ("C" * 200, "too_large", "200 heavy atoms"),
        ("InChI=1S/garbage", "unparsable", "inchi"),
    ],
)
def test_bad_input_gives_a_specific_reason(text, reason, fragment):
    with pytest.raises(MoleculeError) as caught:
        standardize(text)
    assert caught.value.reason == reason
    assert fragment.lower() in str(caught.value).lower()


def test_heavy_atom_limit_is_configurable():
    big = "C" * 200
    assert standardize(big, StandardizerOptions(max_heavy_atoms=250)).heavy_atoms == 200


def test_charges_and_radicals_are_reported_not_refused():
    assert standardize("C[N+](C)(C)C").formal_charge == 1
    assert standardize("[CH3]").radical_electrons == 1


def test_mesoionic_sydnone_survives_standardisation():
    # RDKit's normalisation rules make this valid dye un-kekulisable; it must be kept as is
    sydnone = "Cc1ccc(/C=C/c2ccccc2-[n+]2cc([O-])on2)cc1"
    assert standardize(sydnone).smiles == sydnone


def test_canonical_tautomer_is_optional():
    keto, enol = "O=c1cccc[nH]1", "Oc1ccccn1"
    assert standardize(keto).smiles != standardize(enol).smiles
    options = StandardizerOptions(canonical_tautomer=True)
    assert standardize(keto, options).smiles == standardize(enol, options).smiles


def test_steps_can_be_switched_off():
    options = StandardizerOptions(largest_fragment=False, neutralize=False)
    salt = "CC(=O)[O-].C[N+](C)(C)C"
    assert standardize(salt, options).smiles == salt
    assert standardize(salt).smiles == "C[N+](C)(C)C"  # the larger fragment, charged


def test_batch_returns_one_result_per_input_in_order():
    inputs = ["CCO", "C1CC", "c1ccccc1", "", "[Fe]"]
    results = standardize_many(inputs)
    assert [type(r) for r in results] == [
        Molecule,
        MoleculeFailure,
        Molecule,
        MoleculeFailure,
        MoleculeFailure,
    ]
    assert [r.reason for r in results if isinstance(r, MoleculeFailure)] == [
        "unparsable",
        "empty",
        "element",
    ]


def test_batch_in_two_processes_matches_one_process():
    inputs = [*CANONICAL, "C1CC", "CCN(CC)CC"] * 60  # > one chunk, so workers are used
    serial = standardize_many(inputs)
    parallel = standardize_many(inputs, n_jobs=2)
    assert parallel == serial


def test_stereo_is_kept_in_smiles_and_inchikey_on_every_path():
    sydnone = "Cc1ccc(/C=C/c2ccccc2-[n+]2cc([O-])on2)cc1"  # the step-by-step path
    assert standardize(sydnone).inchikey == "SLWIJSVSDBXNKR-ZHACJKMWSA-N"
    assert standardize("C[C@H](N)C(=O)O").smiles == "C[C@H](N)C(=O)O"
    assert standardize("C(/c1ccccc1)=C/c1ccccc1").inchikey == "PJANXHGTPQOBST-QXMHVHEDSA-N"


def test_a_molecule_over_the_size_limit_is_refused_before_tautomer_enumeration(monkeypatch):
    module = importlib.import_module("athanor.chem.standardize")  # not the function

    def enumerate_tautomers():
        raise AssertionError("the tautomer enumeration ran on a molecule over the limit")

    monkeypatch.setattr(module, "_tautomer_enumerator", enumerate_tautomers)
    options = module.StandardizerOptions(canonical_tautomer=True, max_heavy_atoms=50)
    with pytest.raises(MoleculeError, match="heavy atoms exceeds the maximum of 50"):
        module.standardize("Oc1ccccc1" + "C(=O)c1ccc(O)cc1" * 10, options)
