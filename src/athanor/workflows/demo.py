"""The end-to-end demo: import a shipped data set into a project store and summarise it.

The screening issue turns this into a full active-learning campaign; for now it exercises
identity, standardisation, the store and the data sets end to end.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from athanor.chem.scaffolds import murcko_scaffold
from athanor.datasets import dataset_info, dataset_path
from athanor.store import Store
from athanor.store.importing import ImportReport, import_file


@dataclass
class DemoSummary:
    """What the demo found in the data set."""

    report: ImportReport
    unique_molecules: int
    unique_conditions: int
    unique_scaffolds: int
    target_stats: pd.DataFrame
    store_path: Path


def run_demo(project_dir: str | Path, dataset: str = "absorption", n_jobs: int | None = None):
    """Import `dataset` into the store of `project_dir` and summarise it.

    Returns:
        A `DemoSummary`.
    """
    info = dataset_info(dataset)
    with Store.open(project_dir) as store:
        report = import_file(
            store,
            dataset_path(dataset),
            name=dataset,
            smiles_column=info.smiles_column,
            conditions=info.condition_columns,
            n_jobs=n_jobs,
        )
        frame = store.dataset_frame(dataset)
        directory = store.directory
    conditions = (
        frame[list(info.condition_columns)].drop_duplicates() if info.condition_columns else []
    )
    molecules = frame["smiles"].drop_duplicates()
    return DemoSummary(
        report=report,
        unique_molecules=len(molecules),
        unique_conditions=len(conditions),
        unique_scaffolds=molecules.map(murcko_scaffold).nunique(),
        target_stats=frame[list(info.target_columns)].describe().T,
        store_path=directory,
    )
