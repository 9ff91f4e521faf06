"""What produced a result: package versions, host, seed. Saved beside every run."""

from __future__ import annotations

import platform
import socket
import sys
from functools import cache
from importlib import metadata

TRACKED_PACKAGES = (
    "athanor",
    "rdkit",
    "numpy",
    "pandas",
    "pyarrow",
    "SQLAlchemy",
    "pydantic",
    "torch",
    "scikit-learn",
    "tblite",
    "pyscf",
    "ase",
    "ray",
    "optuna",
)


@cache
def package_versions() -> dict[str, str]:
    """Installed versions of the packages that can change Athanor's numbers."""
    versions = {"python": sys.version.split()[0]}
    for name in TRACKED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


@cache
def host_name() -> str:
    return socket.gethostname()


def environment() -> dict[str, object]:
    """Versions, host and platform, as stored with runs and evaluations."""
    return {
        "versions": package_versions(),
        "host": host_name(),
        "platform": platform.platform(),
    }
