"""Safe model files: ``config.json`` (schema version, model name, parameters, small state) next
to weights stored as tensors (``weights.pt``, read with ``weights_only=True``), NumPy arrays
(``.npz``, read without pickle) or a library's own text format. Nothing is ever unpickled.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from athanor.core.errors import ModelFileError

SCHEMA_VERSION = 1
CONFIG_FILE = "config.json"


def write_config(directory: Path, model: str, params: dict[str, Any], state: dict[str, Any]):
    """Write ``config.json`` with the schema version, the registry name and everything needed
    to rebuild the model before its weights are loaded."""
    directory.mkdir(parents=True, exist_ok=True)
    config = {"schema_version": SCHEMA_VERSION, "model": model, "params": params, "state": state}
    (directory / CONFIG_FILE).write_text(json.dumps(config, indent=1, sort_keys=True))


def read_config(directory: Path) -> dict[str, Any]:
    """Read and check ``config.json``.

    Raises:
        ModelFileError: missing or invalid file, or a schema newer than this version knows.
    """
    path = Path(directory) / CONFIG_FILE
    try:
        config = json.loads(path.read_text())
        version, model = int(config["schema_version"]), str(config["model"])
        config["params"], config["state"]
    except FileNotFoundError:
        raise ModelFileError(f"no saved model in {directory}: {CONFIG_FILE} is missing") from None
    except (ValueError, KeyError, TypeError) as error:
        raise ModelFileError(f"{path} is not a valid model config ({error})") from None
    if version > SCHEMA_VERSION:
        raise ModelFileError(
            f"{path} was written with model schema {version}; this Athanor reads up to "
            f"{SCHEMA_VERSION}: upgrade Athanor"
        )
    return config | {"model": model}


def save_weights(path: Path, state_dict: dict) -> None:
    """Save a torch state dict (tensors only)."""
    import torch

    torch.save(state_dict, path)


def load_weights(path: Path) -> dict:
    """Load a torch state dict with ``weights_only=True``; `ModelFileError` if unreadable."""
    import torch

    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except FileNotFoundError:
        raise ModelFileError(f"model weights missing: {path}") from None
    except Exception as error:  # torch raises many types for a truncated or corrupt file
        raise ModelFileError(
            f"cannot read model weights {path}: truncated or corrupt ({type(error).__name__})"
        ) from None


def save_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Save named NumPy arrays (numeric dtypes only) to an uncompressed ``.npz``."""
    np.savez(path, **arrays)


def load_arrays(path: Path) -> dict[str, np.ndarray]:
    """Load an ``.npz`` without pickle; `ModelFileError` if missing, truncated or corrupt."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise ModelFileError(f"model arrays missing: {path}") from None
    except Exception as error:  # zipfile/numpy raise several types for a damaged archive
        raise ModelFileError(
            f"cannot read model arrays {path}: truncated or corrupt ({type(error).__name__})"
        ) from None
