"""The message catalogue: every sentence a reader sees, from ``data/messages.toml``.

>>> from forewarn import messages
>>> messages.text("declared.rated", rating="T")
'rated T'
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .config import messages_config
from .config.types import template_fields


@cache
def _catalogue() -> dict[str, str]:
    """Every message of messages.toml by ``table.key``."""
    return {f"{table}.{name}": value
            for table, entries in messages_config().model_dump().items()
            for name, value in entries.items() if isinstance(value, str)}


def template(key: str) -> str:
    """The raw template of ``key`` (``"verdict.not_safe"``, ``"cli.some_key"``); KeyError if there is none."""
    try:
        return _catalogue()[key]
    except KeyError:
        raise KeyError(f"messages.toml has no message {key!r}") from None


def text(key: str, **fields: Any) -> str:
    """The message ``key`` with its ``{fields}`` filled in; every field the message uses must be given."""
    message = template(key)
    missing = template_fields(message) - set(fields)
    if missing:
        raise KeyError(f"message {key!r} needs {', '.join(sorted(missing))}")
    return message.format(**fields)
