"""Small, real data sets shipped inside the package, with their citations and licences.

>>> from athanor.datasets import load_dataset, load_split
>>> esol = load_dataset("esol")
>>> train = load_split("absorption", split="group_by_smiles", part="train")

Names: ``esol``, ``freesolv``, ``lipophilicity``, ``redox_oxidation``, ``absorption``,
``qm9``, ``enamine10k``, ``zinc250k``. Sources, licences and changes from upstream are in
``data/SOURCES.txt``. Importing this package does not import pandas.
"""

from athanor.datasets.loaders import dataset_path, load_dataset, load_split, load_splits
from athanor.datasets.registry import DatasetInfo, dataset_info, list_datasets

__all__ = [
    "DatasetInfo",
    "dataset_info",
    "dataset_path",
    "list_datasets",
    "load_dataset",
    "load_split",
    "load_splits",
]
