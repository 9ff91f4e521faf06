"""Strict configuration models and TOML loading.

All configuration classes derive from `StrictModel`: unknown keys are rejected, and the error
names the bad key and the allowed ones (as REINVENT 4 does with pydantic ``extra="forbid"``).
"""

from __future__ import annotations

import inspect
import tomllib
from pathlib import Path
from typing import Annotated, TypeVar, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from athanor.core.errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def _campaign_name(name: str) -> str:
    """A campaign's name also names its report file: not empty, no folder, not hidden."""
    if not name or name.startswith(".") or any(c in name for c in "/\\"):
        raise ValueError(
            f"{name!r} cannot name a campaign: it names its report file, so it must not be "
            "empty, start with '.' or hold '/' or '\\'"
        )
    return name


CampaignName = Annotated[str, AfterValidator(_campaign_name), Field(max_length=120)]


class StrictModel(BaseModel):
    """A pydantic model that forbids unknown keys and is immutable once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _nested_model(annotation: object) -> type[BaseModel] | None:
    """The model inside an annotation: ``M``, ``M | None``, ``list[M]``, ``dict[str, M]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        if (model := _nested_model(argument)) is not None:
            return model
    return None


def _allowed_keys(model: type[BaseModel], location: tuple) -> list[str]:
    """Field names of the (possibly nested) model at `location`; list indices and the keys
    of dict-valued fields are stepped over."""
    current: type[BaseModel] = model
    for part in location[:-1]:
        field = current.model_fields.get(str(part))
        if field is None:  # a list index or a dict key inside the current field
            continue
        nested = _nested_model(field.annotation)
        if nested is None:
            break
        current = nested
    return sorted(current.model_fields)


def describe_validation_error(model: type[BaseModel], error: ValidationError) -> str:
    """One line per problem, naming the key and, for unknown keys, the allowed ones."""
    lines = []
    for problem in error.errors():
        where = ".".join(str(p) for p in problem["loc"]) or "(top level)"
        if problem["type"] == "extra_forbidden":
            allowed = ", ".join(_allowed_keys(model, problem["loc"]))
            lines.append(f"unknown key '{where}' (allowed: {allowed})")
        else:
            lines.append(f"'{where}': {problem['msg']}")
    return "; ".join(lines)


def validate_config(model: type[M], data: dict) -> M:
    """Validate `data` against `model`, raising `ConfigError` with a one-line message."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ConfigError(
            f"invalid {model.__name__}: {describe_validation_error(model, error)}"
        ) from None


def load_toml(path: str | Path, model: type[M]) -> M:
    """Read a TOML file and validate it against `model`."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
    return validate_config(model, data)


def check_parameter_names(owner: str, cls: type, params: dict) -> None:
    """Refuse a parameter that `cls` does not take, listing those it does.

    Raises:
        ConfigError: naming `owner`, the unknown parameter(s) and the known ones.
    """
    signature = [name for name in inspect.signature(cls).parameters if name != "self"]
    unknown = sorted(set(params) - set(signature))
    if unknown:
        raise ConfigError(
            f"{owner} has no parameter(s) {unknown}; its parameters: {', '.join(signature)}"
        )


def check_numbers(owner: str, cls: type, params: dict) -> None:
    """Refuse text (or true/false) given for a parameter of `cls` whose default is a number,
    before it fails deep inside with a message about types.

    Raises:
        ConfigError: naming `owner`, the parameter and the value.
    """
    signature = inspect.signature(cls).parameters
    for key, value in params.items():
        default = signature[key].default if key in signature else None
        number = isinstance(default, int | float) and not isinstance(default, bool)
        if number and isinstance(value, str | bool):
            raise ConfigError(f"{owner}: {key} = {value!r} is not a number")
