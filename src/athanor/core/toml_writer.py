"""Write nested dicts of scalars and lists as TOML (the standard library only reads TOML).

Keys whose value is None are left out: TOML has no null, and a missing key means "default".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from athanor.core.errors import ConfigError

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _value(value: Any) -> str:
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, bool | int | float | str):
        return json.dumps(value)  # JSON strings, numbers and booleans are valid TOML
    raise ConfigError(f"cannot write {value!r} ({type(value).__name__}) to TOML")


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else json.dumps(key)


def _table(data: dict[str, Any], name: str) -> list[str]:
    scalars = [
        f"{_key(k)} = {_value(v)}"
        for k, v in data.items()
        if v is not None and not isinstance(v, dict)
    ]
    lines = ([f"[{name}]"] if name else []) + scalars
    for key, sub in data.items():
        if isinstance(sub, dict):
            lines += ["", *_table(sub, f"{name}.{_key(key)}" if name else _key(key))]
    return lines


def dumps_toml(data: dict[str, Any]) -> str:
    """TOML text of ``data`` (tables for nested dicts, inline arrays for lists)."""
    return "\n".join(_table(data, "")).lstrip("\n") + "\n"
