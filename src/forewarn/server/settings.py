"""Limits and options of ``forewarn serve``, set by CLI flags or ``FOREWARN_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from ..errors import UsageError

ENV_PREFIX = "FOREWARN_"


@dataclass(frozen=True, slots=True)
class Settings:
    """How the server listens and what it allows; every limit is configurable.

    ``max_concurrent`` scans run at once, each in its own worker process; a request that finds
    every worker busy is answered at once with 503 and ``Retry-After: retry_after_seconds``.
    A scan that runs past ``max_scan_seconds`` is stopped (its worker is killed and replaced)
    and answered with 504.
    """

    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_mb: float = 20.0
    max_scan_seconds: float = 60.0
    max_concurrent: int = 2
    retry_after_seconds: int = 2
    worker_start_seconds: float = 120.0
    access_log: bool = True

    def __post_init__(self) -> None:
        checks = {
            "port": 0 <= self.port <= 65535,
            "max_upload_mb": self.max_upload_mb > 0,
            "max_scan_seconds": self.max_scan_seconds > 0,
            "max_concurrent": self.max_concurrent >= 1,
            "retry_after_seconds": self.retry_after_seconds >= 0,
            "worker_start_seconds": self.worker_start_seconds > 0,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            raise UsageError(
                f"invalid server setting {bad[0]}={getattr(self, bad[0])!r}: "
                "use a positive number (port 0-65535)"
            )

    @property
    def max_upload_bytes(self) -> int:
        """The largest request body accepted, in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``FOREWARN_<NAME>`` variables (e.g. ``FOREWARN_MAX_CONCURRENT=4``),
        then ``overrides`` (values that are None are ignored)."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = environ.get(ENV_PREFIX + field.name.upper())
            if raw is not None:
                values[field.name] = _parse(field.name, field.type, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


def _parse(name: str, kind: object, raw: str) -> object:
    """Convert one environment value to the field's type, or raise UsageError."""
    try:
        if kind == "bool":
            if raw.strip().lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.strip().lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        return raw
    except ValueError:
        raise UsageError(
            f"invalid value {raw!r} in {ENV_PREFIX}{name.upper()}: expected a {kind}"
        ) from None
