"""Writing tables of molecules to CSV/TSV, SMILES lists, SDF or Parquet (by extension)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
from rdkit import Chem, rdBase

from athanor.core.errors import InputDataError
from athanor.store.readers import detect_format
from athanor.store.store import Store


def _write_sdf(frame: pd.DataFrame, path: Path, smiles_column: str) -> None:
    """One record per row whose SMILES RDKit reads (gzip-compressed for a ``.gz`` path)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt") as handle, rdBase.BlockLogs():
        writer = Chem.SDWriter(handle)
        for record in frame.to_dict("records"):
            text = record.get(smiles_column)
            mol = Chem.MolFromSmiles(text) if isinstance(text, str) and text.strip() else None
            if mol is None:
                continue
            for key, value in record.items():
                if key != smiles_column and value is not None and not pd.isna(value):
                    mol.SetProp(str(key), str(value))
            writer.write(mol)
        writer.close()


def write_frame(frame: pd.DataFrame, path: str | Path, smiles_column: str = "smiles") -> Path:
    """Write `frame` in the format given by the extension of `path` (``.gz`` compresses).

    SDF records are built from `smiles_column` with every other column as a data item;
    SMILES lists write `smiles_column` and, if present, ``name``. Both leave out the rows
    without a molecule (an invalid input's).
    """
    path = Path(path)
    fmt = detect_format(path)
    if smiles_column not in frame.columns and fmt in ("sdf", "smi"):
        raise InputDataError(f"no '{smiles_column}' column to write as {fmt.upper()}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in ("csv", "tsv"):
        frame.to_csv(path, index=False, sep="\t" if fmt == "tsv" else ",")
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    elif fmt == "sdf":
        _write_sdf(frame, path, smiles_column)
    else:
        columns = [smiles_column] + (["name"] if "name" in frame.columns else [])
        written = frame[frame[smiles_column].fillna("").astype(str).str.strip() != ""]
        written[columns].to_csv(path, index=False, header=False, sep=" ")
    return path


def export_dataset(store: Store, name: str, path: str | Path, include_invalid: bool = False) -> int:
    """Write a stored data set; return the number of rows written.

    Columns: canonical ``smiles`` and ``inchikey``, then every input column (the input's own
    SMILES column renamed ``input_smiles`` if it was called ``smiles``); with
    `include_invalid`, also ``line``, ``status``, ``reason`` and ``message``.
    """
    frame = store.dataset_frame(name, include_invalid=include_invalid)
    internal = ["row", "molecule_id"]
    if not include_invalid:
        internal += ["line", "status", "reason", "message"]
    write_frame(frame.drop(columns=internal), path)
    return len(frame)
