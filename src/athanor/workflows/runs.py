"""Campaign runs in the store: started once under a name, reopened with their configuration.

Screening and design campaigns both keep their whole configuration with their run, so that a
campaign resumes by name alone; a saved configuration is validated again when read, so keys
added by a later release take their defaults and an old campaign still reopens.
"""

from __future__ import annotations

import json
from typing import TypeVar

import pandas as pd
from pydantic import BaseModel

from athanor.core.config import validate_config
from athanor.core.errors import ConfigError, InputDataError
from athanor.store import Store

M = TypeVar("M", bound=BaseModel)
MAX_LISTED = 5  # changed keys named when a campaign is reopened with another configuration


def _config_json(config: BaseModel) -> str:
    return json.dumps(config.model_dump(mode="json"), sort_keys=True, default=str)


def _latest_run(store: Store, kind: str, name: str) -> pd.Series | None:
    runs = store.runs_frame(kind)
    same = runs[runs["name"] == name]
    return None if same.empty else same.iloc[-1]


def stored_config(store: Store, kind: str, name: str, model: type[M]) -> M:
    """The configuration saved with the run ``name`` of ``kind``.

    Raises:
        InputDataError: no such run (naming the known ones).
        ConfigError: the saved configuration no longer validates.
    """
    row = _latest_run(store, kind, name)
    if row is None:
        known = ", ".join(store.runs_frame(kind)["name"].unique()) or "none"
        others = store.runs_frame()
        other = others.loc[(others["name"] == name) & (others["kind"] != kind), "kind"]
        hint = f"; '{name}' is a {other.iloc[0]} campaign" if len(other) else ""
        raise InputDataError(
            f"no {kind} campaign named '{name}' in this project (known: {known}){hint}"
        )
    return validate_config(model, json.loads(row["config"]))


def find_or_start_run(store: Store, kind: str, config: BaseModel) -> int:
    """The id of the run of ``config.name``, started now (with ``config.seed``) if there is none.

    Raises:
        ConfigError: a run of this name exists with another configuration.
    """
    row = _latest_run(store, kind, config.name)
    if row is None:
        return store.start_run(kind, config.name, config.model_dump(mode="json"), config.seed)
    stored = validate_config(type(config), json.loads(row["config"]))
    if _config_json(stored) != _config_json(config):
        changed = _changed_keys(stored.model_dump(mode="json"), config.model_dump(mode="json"))
        raise ConfigError(
            f"a {kind} campaign named '{config.name}' exists in this project with another "
            f"configuration (changed: {', '.join(changed[:MAX_LISTED])}"
            f"{' ...' if len(changed) > MAX_LISTED else ''}): resume it unchanged, or choose "
            "another name"
        )
    return int(row["id"])


def _changed_keys(stored: object, given: object, prefix: str = "") -> list[str]:
    """Dotted keys whose values differ between two JSON-like configurations (a list that
    differs is one key, e.g. ``objective.components``)."""
    if not (isinstance(stored, dict) and isinstance(given, dict)):
        return [] if stored == given else [prefix or "(whole config)"]
    changed = []
    for key in sorted(set(stored) | set(given)):
        path = f"{prefix}.{key}" if prefix else str(key)
        changed += _changed_keys(stored.get(key), given.get(key), path)
    return changed
