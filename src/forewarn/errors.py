"""Errors that reach the user as one clear line (CLI exit code 2, HTTP 4xx problem details)."""

from __future__ import annotations


class ForewarnError(Exception):
    """Base class: the message is one line saying what is wrong and what to do."""


class InputError(ForewarnError):
    """The input cannot be read as a story (empty, binary, corrupt, too large, unsafe, ...)."""


class UsageError(ForewarnError):
    """The request itself is wrong (unknown category, bad option, bad profile file)."""
