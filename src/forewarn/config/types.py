"""Field types shared by the data-file models: taxonomy category ids and message templates."""

from __future__ import annotations

import string
from functools import cache
from typing import Annotated

from pydantic import AfterValidator

from .loader import load_config
from .taxonomy import TaxonomyFile


@cache
def known_category_ids() -> frozenset[str]:
    """The category ids of ``taxonomy.toml``."""
    return frozenset(c.id for c in load_config(TaxonomyFile, "taxonomy.toml").categories)


def _check_category(value: str) -> str:
    if value not in known_category_ids():
        raise ValueError(f"unknown category {value!r} (not in taxonomy.toml)")
    return value


CategoryId = Annotated[str, AfterValidator(_check_category)]
"""A string that must be a category id of ``taxonomy.toml``."""


def template_fields(text: str) -> set[str]:
    """The names of the ``{fields}`` of a ``str.format`` template."""
    try:
        return {field.split(".")[0].split("[")[0]
                for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError as error:
        raise ValueError(f"not a valid template: {error}") from None


def Template(*fields: str) -> object:  # noqa: N802 - used as a type in models
    """A message string whose ``{fields}`` may only be among ``fields`` (checked when the file loads)."""
    allowed = set(fields)

    def check(value: str) -> str:
        unknown = template_fields(value) - allowed
        if unknown:
            names = ", ".join(sorted(allowed)) or "none"
            raise ValueError(f"unknown field(s) {', '.join(sorted(unknown))}; this message may use: {names}")
        return value

    return Annotated[str, AfterValidator(check)]


def _parses(value: str) -> str:
    template_fields(value)
    return value


FreeTemplate = Annotated[str, AfterValidator(_parses)]
"""A message string with any ``{fields}``, as long as ``str.format`` can parse it."""
