"""The candidate pool of a campaign: imported (shipped data set or file) or enumerated."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import pandas as pd

from athanor.core.errors import StoreError
from athanor.store import Store
from athanor.store.importing import ImportReport, import_file
from athanor.workflows.screening_config import PoolConfig

logger = logging.getLogger(__name__)
LISTED_FAILURES = 5  # skipped pool rows named in the log; the others are counted


def _enumerated_file(store: Store, name: str, library: str) -> Path:
    """The enumerated library as a CSV kept in the store folder, so that an import killed
    half-way resumes from the same source."""
    from athanor.chem.enumeration import enumerate_library

    path = store.directory / "pools" / f"{name}.csv"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")  # a kill while writing leaves no half file
        enumerate_library(library).to_csv(partial, index=False)
        partial.replace(path)
    return path


def _imported_marker(dataset: str) -> str:
    return f"pool-{dataset}-imported"


def _file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB blocks; 16 hex digits."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def _log_skipped(report: ImportReport) -> None:
    if not report.invalid:
        return
    failures = report.failures[:LISTED_FAILURES]
    listed = "; ".join(f"line {line}: {message}" for line, _, _, message in failures)
    more = report.invalid - len(failures)
    logger.warning(
        "pool %s: %d of %d rows skipped (%s%s)",
        report.dataset,
        report.invalid,
        report.rows,
        listed,
        f"; {more} more: `athanor data export {report.dataset} FILE --include-invalid`"
        if more
        else "",
    )


def _import_pool(store: Store, dataset: str, pool: PoolConfig) -> None:
    """Import (or resume importing) the pool's source, then mark the data set complete with
    the source's digest."""
    if pool.enumerate is not None:
        path, column = _enumerated_file(store, dataset, pool.enumerate), "smiles"
    elif pool.dataset is not None:
        from athanor.datasets import dataset_info, dataset_path

        path, column = dataset_path(pool.dataset), dataset_info(pool.dataset).smiles_column
    else:
        path, column = pool.file, pool.smiles_column
    report = import_file(store, path, name=dataset, smiles_column=pool.smiles_column or column)
    _log_skipped(report)
    marker = {"rows": [report.rows], "source": [str(path)], "digest": [_file_digest(path)]}
    store.write_table(_imported_marker(dataset), pd.DataFrame(marker), kind="pool")


def _warn_if_edited(marker: pd.DataFrame) -> None:
    """Warn when the imported source file is still there but no longer what was imported."""
    if "digest" not in marker.columns:  # imported by an older version
        return
    source = Path(marker["source"].iloc[0])
    if source.is_file() and _file_digest(source) != marker["digest"].iloc[0]:
        logger.warning(
            "pool file %s changed since it was imported: the campaign keeps the %d imported "
            "rows; to screen the edited file, give it another name",
            source,
            marker["rows"].iloc[0],
        )


def pool_dataset_name(pool: PoolConfig) -> str:
    """The store data set holding a pool, named after its source so campaigns share it."""
    if pool.dataset is not None:
        return pool.dataset
    source = pool.file if pool.file is not None else pool.enumerate
    return f"pool-{Path(str(source)).name.split('.')[0]}"


def build_pool(store: Store, pool: PoolConfig) -> pd.DataFrame:
    """Import the pool into the store (idempotent, resumable) and return its candidates.
    Once an import has finished, the source is not imported again: a campaign reopens even
    if its pool file has moved, and warns if the file was edited.

    Returns:
        One row per unique valid molecule, in pool order: ``molecule_id``, ``smiles``.
    """
    dataset = pool_dataset_name(pool)
    try:
        marker = store.read_table(_imported_marker(dataset))
    except StoreError:  # never imported, or killed while importing: (re)start, it resumes
        _import_pool(store, dataset, pool)
    else:
        _warn_if_edited(marker)
    frame = store.dataset_molecules(dataset)
    return frame.head(pool.limit) if pool.limit else frame
