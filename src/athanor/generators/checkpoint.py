"""Saving and loading generative models: a torch state dict plus a JSON description.

A checkpoint `PATH` is two files: `PATH.pt` (tensors only, read with ``weights_only=True``,
so no class is ever unpickled) and `PATH.json` (schema version, model kind, hyper-parameters,
vocabulary and training record). Rebuilding a model needs nothing else.
"""

from __future__ import annotations

import json
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


def _not_a_checkpoint(path: Path, reason: str) -> ModelFileError:
    return ModelFileError(f"{path} is not an Athanor generator checkpoint ({reason})")


def _read_description(meta: Path, kind: str) -> dict:
    try:
        record = json.loads(meta.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _not_a_checkpoint(meta, f"unreadable description: {error}") from None
    version = record.get("schema_version") if isinstance(record, dict) else None
    if not isinstance(version, int):
        raise _not_a_checkpoint(meta, "not a checkpoint description: no schema_version")
    if version > SCHEMA_VERSION:
        raise ModelFileError(
            f"{meta} has schema version {version}; this Athanor reads versions up to "
            f"{SCHEMA_VERSION} (upgrade Athanor)"
        )
    if record.get("kind") != kind:
        raise ModelFileError(f"{meta} holds a '{record.get('kind')}' model, not a '{kind}'")
    return record


def _read_weights(weights: Path) -> dict[str, torch.Tensor]:
    try:
        state_dict = torch.load(weights, map_location="cpu", weights_only=True)
    except Exception:  # torch raises many types (pickle, zip, OS, key errors) on foreign bytes
        raise _not_a_checkpoint(
            weights, "damaged weights file: truncated, corrupt or not saved by torch"
        ) from None
    tensors = isinstance(state_dict, dict) and all(
        isinstance(value, torch.Tensor) for value in state_dict.values()
    )
    if not tensors:
        raise _not_a_checkpoint(weights, "its weights are not a dict of tensors")
    return state_dict


def load_checkpoint(path: str | Path, kind: str) -> tuple[dict[str, torch.Tensor], dict]:
    """Read checkpoint `path` of model `kind`.

    Returns:
        the state dict and the description written by `save_checkpoint`.

    Raises:
        ModelFileError: missing, truncated or foreign files, another kind, or a newer schema.
    """
    weights, meta = checkpoint_paths(path)
    for file in (weights, meta):
        if not file.is_file():
            raise ModelFileError(f"checkpoint file not found: {file}")
    description = _read_description(meta, kind)  # cheap checks first
    return _read_weights(weights), description


def load_state(module: torch.nn.Module, state_dict: dict[str, torch.Tensor], source: Path) -> None:
    """`module.load_state_dict`, turning shape or key mismatches into a `ModelFileError`."""
    try:
        module.load_state_dict(state_dict)
    except RuntimeError as error:
        raise ModelFileError(f"weights in {source} do not fit the model: {error}") from None
