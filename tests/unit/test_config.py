"""Strict configuration: unknown keys name the allowed ones, as one line."""

from __future__ import annotations

import pytest

from athanor.core.config import StrictModel, load_toml, validate_config
from athanor.core.errors import ConfigError


class Inner(StrictModel):
    depth: int = 3


class Outer(StrictModel):
    name: str
    model: Inner = Inner()
    optional: Inner | None = None
    layers: list[Inner] = []
    named: dict[str, Inner] = {}


def test_unknown_key_names_the_allowed_ones():
    with pytest.raises(ConfigError, match=r"unknown key 'model.dpth' \(allowed: depth\)"):
        validate_config(Outer, {"name": "x", "model": {"dpth": 4}})


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ({"optional": {"dpth": 4}}, "optional.dpth"),
        ({"layers": [{"depth": 2}, {"dpth": 4}]}, "layers.1.dpth"),
        ({"named": {"first": {"dpth": 4}}}, "named.first.dpth"),
    ],
)
def test_unknown_key_in_an_optional_list_or_dict_table_names_that_tables_keys(table, where):
    with pytest.raises(ConfigError, match=rf"unknown key '{where}' \(allowed: depth\)"):
        validate_config(Outer, {"name": "x", **table})


def test_wrong_type_names_the_key():
    with pytest.raises(ConfigError, match=r"'model\.depth'"):
        validate_config(Outer, {"name": "x", "model": {"depth": "deep"}})


def test_load_toml(tmp_path):
    path = tmp_path / "run.toml"
    path.write_text('name = "screen"\n[model]\ndepth = 5\n')
    assert load_toml(path, Outer).model.depth == 5
    with pytest.raises(ConfigError, match="not found"):
        load_toml(tmp_path / "missing.toml", Outer)
    path.write_text("name = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_toml(path, Outer)
