"""Saving and loading generative models: a torch state dict plus a JSON description.

A checkpoint `PATH` is two files: `PATH.pt` (tensors only, read with ``weights_only=True``,
so no class is ever unpickled) and `PATH.json` (schema version, model kind, hyper-parameters,
vocabulary and training record). Rebuilding a model needs nothing else.
"""

from __future__ import annotations

import json
import pickle
import zipfile
from importlib import resources
from pathlib import Path

import torch

from athanor.core.errors import ModelFileError

SCHEMA_VERSION = 1


def weights_path(name: str) -> Path:
    """Checkpoint path (without suffix) of the model `name` shipped in the package."""
    return Path(str(resources.files("athanor.generators").joinpath("weights"))) / name


def checkpoint_paths(path: str | Path) -> tuple[Path, Path]:
    """The (`.pt`, `.json`) pair of a checkpoint given with or without a suffix."""
    path = Path(path)
    stem = path.with_suffix("") if path.suffix in (".pt", ".json") else path
    return stem.with_name(stem.name + ".pt"), stem.with_name(stem.name + ".json")


def save_checkpoint(
    path: str | Path, kind: str, state_dict: dict[str, torch.Tensor], description: dict
) -> Path:
    """Write `state_dict` and `description` (JSON-serialisable) as checkpoint `path`.

    Returns:
        the path of the `.pt` file.
    """
    weights, meta = checkpoint_paths(path)
    weights.parent.mkdir(parents=True, exist_ok=True)
    torch.save(state_dict, weights)
    record = {"schema_version": SCHEMA_VERSION, "kind": kind, **description}
    meta.write_text(json.dumps(record, indent=1) + "\n")
    return weights


def _read_description(meta: Path, kind: str) -> dict:
    try:
        record = json.loads(meta.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise ModelFileError(f"cannot read checkpoint description {meta}: {error}") from None
    version = record.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ModelFileError(
            f"{meta} has schema version {version!r}; this Athanor reads versions up to "
            f"{SCHEMA_VERSION} (upgrade Athanor)"
        )
    if record.get("kind") != kind:
        raise ModelFileError(f"{meta} holds a '{record.get('kind')}' model, not a '{kind}'")
    return record


def load_checkpoint(path: str | Path, kind: str) -> tuple[dict[str, torch.Tensor], dict]:
    """Read checkpoint `path` of model `kind`.

    Returns:
        the state dict and the description written by `save_checkpoint`.

    Raises:
        ModelFileError: missing or truncated files, another kind, or a newer schema.
    """
    weights, meta = checkpoint_paths(path)
    for file in (weights, meta):
        if not file.is_file():
            raise ModelFileError(f"checkpoint file not found: {file}")
    description = _read_description(meta, kind)
    try:
        state_dict = torch.load(weights, map_location="cpu", weights_only=True)
    except (RuntimeError, EOFError, pickle.UnpicklingError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"damaged weights file {weights}: {error}") from None
    return state_dict, description


def load_state(module: torch.nn.Module, state_dict: dict[str, torch.Tensor], source: Path) -> None:
    """`module.load_state_dict`, turning shape or key mismatches into a `ModelFileError`."""
    try:
        module.load_state_dict(state_dict)
    except RuntimeError as error:
        raise ModelFileError(f"weights in {source} do not fit the model: {error}") from None
