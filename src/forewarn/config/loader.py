"""Read a TOML file shipped in ``forewarn/data`` into a validated, frozen pydantic model."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class ConfigError(ValueError):
    """A shipped data file does not match its model; the message names the file and the key."""


class DataModel(BaseModel):
    """Base of every data-file model: unknown keys are refused, values cannot be changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def data_file(name: str) -> Path:
    """The path of a data file shipped in ``forewarn/data`` (``"cues/abuse.toml"`` for a cue file)."""
    return Path(str(resources.files("forewarn").joinpath("data", name)))


def read_toml(name: str) -> dict[str, Any]:
    """The raw TOML of a data file (prefer ``load_config``, which validates it)."""
    with data_file(name).open("rb") as handle:
        return tomllib.load(handle)


def _where(location: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in location if part != "[key]"]
    return ".".join(parts) or "(top level)"


def validate_config(model: type[Model], data: dict[str, Any], name: str) -> Model:
    """Validate ``data`` read from the file ``name``; raise ConfigError naming the file and each bad key."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors())
        raise ConfigError(f"{name}: {problems}") from None


@cache
def load_config(model: type[Model], name: str) -> Model:
    """The data file ``name`` (relative to ``forewarn/data``) validated by ``model``; read once per process."""
    try:
        data = read_toml(name)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{name}: not valid TOML ({error})") from None
    return validate_config(model, data, name)
