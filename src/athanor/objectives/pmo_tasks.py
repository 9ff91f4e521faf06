"""The 23 PMO tasks (Gao et al., NeurIPS 2022) as objective configs.

20 are the GuacaMol goal-directed scoring functions (Brown et al. 2019, ``standard_benchmarks``)
as TDC implements them; 3 are the TDC bioactivity classifiers (`classifiers`). Translation
of GuacaMol's building blocks: ``TanimotoScoringFunction(fp_type=X)`` -> a ``similarity``
component with fingerprint X; ``ClippedScoreModifier(upper_x=u)`` -> ``linear`` 0..u;
``GaussianModifier`` / ``MinGaussianModifier`` / ``MaxGaussianModifier`` -> ``gaussian`` /
``min_gaussian`` / ``max_gaussian``; ``SMARTSScoringFunction(inverse=b)`` ->
``substructure`` with ``forbidden = b``; ``IsomerScoringFunction`` -> ``isomer``;
``GeometricMeanScoringFunction`` / ``ArithmeticMeanScoringFunction`` -> ``aggregate``.
The targets of sitagliptin_mpo and valsartan_smarts (logP, TPSA, Bertz of sitagliptin) are
computed from the molecule as GuacaMol does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rdkit import Chem
from rdkit.Chem import Crippen, GraphDescriptors, rdMolDescriptors

from athanor.core.errors import ConfigError

Table = dict[str, Any]


def _similar(smiles: str, fingerprint: str = "ECFP4", **desirability: Any) -> Table:
    table: Table = {"kind": "similarity", "params": {"smiles": smiles, "fingerprint": fingerprint}}
    if desirability:
        table["desirability"] = desirability
    return table


def _prop(kind: str, transform: str, mu: float, sigma: float, **params: Any) -> Table:
    table: Table = {"kind": kind, "desirability": {"kind": transform, "mu": mu, "sigma": sigma}}
    if params:
        table["params"] = params
    return table


def _smarts(smarts: str, forbidden: bool = False) -> Table:
    return {"kind": "substructure", "params": {"smarts": smarts, "forbidden": forbidden}}


def _mean(*components: Table, how: str = "geometric") -> Table:
    return {"components": list(components), "aggregate": how}


def _rediscovery(smiles: str) -> Table:
    return _mean(_similar(smiles))


def _similarity(smiles: str, fingerprint: str) -> Table:
    return _mean(_similar(smiles, fingerprint, kind="linear", lower=0.0, upper=0.75))


def _isomer(formula: str) -> Table:
    return _mean({"kind": "isomer", "params": {"formula": formula}})


def _classifier(target: str) -> Table:
    return _mean({"kind": "pmo_classifier", "params": {"target": target}})


SITAGLIPTIN = "Fc1cc(c(F)cc1F)CC(N)CC(=O)N3Cc2nnc(n2CC3)C(F)(F)F"
OSIMERTINIB = "COc1cc(N(C)CCN(C)C)c(NC(=O)C=C)cc1Nc2nccc(n2)c3cn(C)c4ccccc34"
HOP_TARGET = "CCCOc1cc2ncnc(Nc3ccc4ncsc4c3)c2cc1S(=O)(=O)C(C)(C)C"
HOP_SCAFFOLD = "[#7]-c1n[c;h1]nc2[c;h1]c(-[#8])[c;h0][c;h1]c12"


def _sitagliptin_targets() -> tuple[float, float, float]:
    mol = Chem.MolFromSmiles(SITAGLIPTIN)
    return Crippen.MolLogP(mol), rdMolDescriptors.CalcTPSA(mol), GraphDescriptors.BertzCT(mol)


def _mpo_tasks() -> dict[str, Table]:
    logp, tpsa, bertz = _sitagliptin_targets()
    return {
        "osimertinib_mpo": _mean(
            _similar(OSIMERTINIB, "FCFP4", kind="linear", lower=0.0, upper=0.8),
            _similar(OSIMERTINIB, "ECFP6", kind="min_gaussian", mu=0.85, sigma=0.1),
            _prop("tpsa", "max_gaussian", 100, 10),
            _prop("logp", "min_gaussian", 1, 1),
        ),
        "fexofenadine_mpo": _mean(
            _similar(
                "CC(C)(C(=O)O)c1ccc(cc1)C(O)CCCN2CCC(CC2)C(O)(c3ccccc3)c4ccccc4",
                "AP",
                kind="linear",
                lower=0.0,
                upper=0.8,
            ),
            _prop("tpsa", "max_gaussian", 90, 10),
            _prop("logp", "min_gaussian", 4, 1),
        ),
        "ranolazine_mpo": _mean(
            _similar(
                "COc1ccccc1OCC(O)CN2CCN(CC(=O)Nc3c(C)cccc3C)CC2",
                "AP",
                kind="linear",
                lower=0.0,
                upper=0.7,
            ),
            _prop("logp", "max_gaussian", 7, 1),
            _prop("tpsa", "max_gaussian", 95, 20),
            _prop("atom_count", "gaussian", 1, 1.0, element="F"),
        ),
        "perindopril_mpo": _mean(
            _similar("O=C(OCC)C(NC(C(=O)N1C(C(=O)O)CC2CCCCC12)C)CCC"),
            _prop("aromatic_rings", "gaussian", 2, 0.5),
        ),
        "amlodipine_mpo": _mean(
            _similar(r"Clc1ccccc1C2C(=C(/N/C(=C2/C(=O)OCC)COCCN)C)\C(=O)OC"),
            _prop("rings", "gaussian", 3, 0.5),
        ),
        "sitagliptin_mpo": _mean(
            _similar(SITAGLIPTIN, "ECFP4", kind="gaussian", mu=0.0, sigma=0.1),
            _prop("logp", "gaussian", logp, 0.2),
            _prop("tpsa", "gaussian", tpsa, 5),
            {"kind": "isomer", "params": {"formula": "C16H15F6N5O"}},
        ),
        "zaleplon_mpo": _mean(
            _similar("O=C(C)N(CC)C1=CC=CC(C2=CC=NC3=C(C=NN23)C#N)=C1"),
            {"kind": "isomer", "params": {"formula": "C19H17N3O2"}},
        ),
        "valsartan_smarts": _mean(
            _smarts("CN(C=O)Cc1ccc(c2ccccc2)cc1"),
            _prop("logp", "gaussian", logp, 0.2),
            _prop("tpsa", "gaussian", tpsa, 5),
            _prop("bertz", "gaussian", bertz, 30),
        ),
    }


def _hop_tasks() -> dict[str, Table]:
    return {
        "deco_hop": _mean(
            _similar(HOP_TARGET, "PHCO", kind="linear", lower=0.0, upper=0.85),
            _smarts("CS([#6])(=O)=O", forbidden=True),
            _smarts("[#7]-c1ccc2ncsc2c1", forbidden=True),
            _smarts(HOP_SCAFFOLD),
            how="arithmetic",
        ),
        "scaffold_hop": _mean(
            _similar(HOP_TARGET, "PHCO", kind="linear", lower=0.0, upper=0.75),
            _smarts("[#6]-[#6]-[#6]-[#8]-[#6]~[#6]~[#6]~[#6]~[#6]-[#7]-c1ccc2ncsc2c1"),
            _smarts(HOP_SCAFFOLD, forbidden=True),
            how="arithmetic",
        ),
    }


@cache
def pmo_tasks() -> dict[str, Table]:
    """Task name -> objective table (`ObjectiveConfig` fields), for all 23 PMO tasks."""
    tasks = {
        "albuterol_similarity": _similarity("CC(C)(C)NCC(O)c1ccc(O)c(CO)c1", "FCFP4"),
        "mestranol_similarity": _similarity(
            "COc1ccc2[C@H]3CC[C@@]4(C)[C@@H](CC[C@@]4(O)C#C)[C@@H]3CCc2c1", "AP"
        ),
        "celecoxib_rediscovery": _rediscovery(
            "CC1=CC=C(C=C1)C1=CC(=NN1C1=CC=C(C=C1)S(N)(=O)=O)C(F)(F)F"
        ),
        "troglitazone_rediscovery": _rediscovery(
            "Cc1c(C)c2OC(C)(COc3ccc(CC4SC(=O)NC4=O)cc3)CCc2c(C)c1O"
        ),
        "thiothixene_rediscovery": _rediscovery(
            "CN(C)S(=O)(=O)c1ccc2Sc3ccccc3C(=CCCN4CCN(C)CC4)c2c1"
        ),
        "isomers_c7h8n2o2": _isomer("C7H8N2O2"),
        "isomers_c9h10n2o2pf2cl": _isomer("C9H10N2O2PF2Cl"),
        "median1": _mean(_similar("CC(C)C1CCC(C)CC1O"), _similar("CC1(C)C2CCC1(C)C(=O)C2")),
        "median2": _mean(
            _similar("CCCC1=NN(C2=C1N=C(NC2=O)C3=C(C=CC(=C3)S(=O)(=O)N4CCN(CC4)C)OCC)C", "ECFP6"),
            _similar("O=C1N(CC(N2C1CC3=C(C2C4=CC5=C(OCO5)C=C4)NC6=C3C=CC=C6)=O)C", "ECFP6"),
        ),
        "qed": _mean({"kind": "qed"}),
        "drd2": _classifier("drd2"),
        "gsk3b": _classifier("gsk3b"),
        "jnk3": _classifier("jnk3"),
    }
    return dict(sorted((tasks | _mpo_tasks() | _hop_tasks()).items()))


def pmo_task(name: str) -> Table:
    """The objective table of one PMO task.

    Raises:
        ConfigError: unknown task (lists the valid ones).
    """
    tasks = pmo_tasks()
    if name not in tasks:
        raise ConfigError(f"unknown PMO task '{name}' (valid: {', '.join(tasks)})")
    return tasks[name]
