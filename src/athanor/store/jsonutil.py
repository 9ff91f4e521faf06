"""JSON encoding of row values: NaN becomes null, NumPy scalars become Python numbers."""

from __future__ import annotations

import json
import math
from typing import Any


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # NumPy scalar
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(mapping: dict[str, Any] | list | None) -> str:
    """Compact JSON of a flat dict (or list) of row values."""
    if mapping is None:
        return "{}"
    if isinstance(mapping, list):
        return json.dumps([_plain(v) for v in mapping], separators=(",", ":"))
    return json.dumps({k: _plain(v) for k, v in mapping.items()}, separators=(",", ":"))


def loads(text: str | None) -> Any:
    return json.loads(text) if text else {}
