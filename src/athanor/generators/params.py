"""Constructor parameters of an object, scikit-learn style (for configs and run records)."""

from __future__ import annotations

import inspect


def constructor_params(obj: object) -> dict:
    """`{name: value}` for each `__init__` argument, read from the attribute of that name."""
    names = inspect.signature(type(obj).__init__).parameters
    return {name: getattr(obj, name) for name in names if name != "self"}
