"""The ``forewarn`` command. Each sub-command lives in its own module and registers on ``app``."""

from __future__ import annotations

from . import batch, categories, library, profile, scan, schema, score, serve, tag  # noqa: F401  (importing registers the commands)
from ._app import app, main

__all__ = ["app", "main"]
