"""Limits and options of ``forewarn serve``, set by CLI flags or ``FOREWARN_*`` environment variables.

Read and validated by pydantic-settings: every field ``name`` comes from ``FOREWARN_<NAME>``
(e.g. ``FOREWARN_MAX_CONCURRENT=4``); values passed in code (the CLI's flags) win over the
environment. A value that does not validate becomes one ``UsageError`` line.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from ..errors import UsageError

ENV_PREFIX = "FOREWARN_"


class Settings(BaseSettings):
    """How the server listens and what it allows; every limit is configurable.

    ``max_concurrent`` scans run at once, each in its own worker process. At most
    ``upload_slots`` requests are admitted at a time (reading their body, waiting for a worker or
    being scanned); one more is answered at once with 503 and ``Retry-After:
    retry_after_seconds``, before its body is read. A body must arrive within
    ``body_timeout_seconds`` (else 408); the first ``spool_memory_mb`` of each upload is kept in
    memory, the rest in an unnamed temporary file deleted with the request. A scan that runs
    past ``max_scan_seconds`` is stopped (its worker is killed and replaced) and answered with
    504. With a loopback ``host``, only loopback host names (and ``allow_hosts``) are answered.
    """

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="forbid")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    max_upload_mb: float = Field(20.0, gt=0)
    max_scan_seconds: float = Field(60.0, gt=0)
    max_concurrent: int = Field(2, ge=1)
    max_uploads: int | None = Field(None, ge=1)
    body_timeout_seconds: float = Field(30.0, gt=0)
    spool_memory_mb: float = Field(1.0, ge=0)
    retry_after_seconds: int = Field(2, ge=0)
    worker_start_seconds: float = Field(120.0, gt=0)
    access_log: bool = True
    allow_hosts: Annotated[tuple[str, ...], NoDecode] = ()

    @field_validator("allow_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        """``FOREWARN_ALLOW_HOSTS`` is a comma-separated list."""
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @property
    def max_upload_bytes(self) -> int:
        """The largest request body accepted, in bytes."""
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def spool_memory_bytes(self) -> int:
        """How much of one upload is kept in memory before the rest goes to a temporary file."""
        return int(self.spool_memory_mb * 1024 * 1024)

    @property
    def upload_slots(self) -> int:
        """Requests admitted at once: ``max_uploads``, or twice ``max_concurrent`` by default."""
        return self.max_uploads or 2 * self.max_concurrent

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Settings from ``FOREWARN_<NAME>`` variables, then ``overrides`` (None values are
        ignored); raise UsageError (one line) when a value is not valid."""
        given = {name: value for name, value in overrides.items() if value is not None}
        try:
            return cls(**given)
        except ValidationError as error:
            raise UsageError(_one_line(error, given)) from None


def _one_line(error: ValidationError, given: dict[str, object]) -> str:
    """The first validation problem, naming the flag value or the environment variable."""
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "settings"
    value = first.get("input")
    if name in given:
        where = f"invalid server setting {name}={value!r}"
    else:
        where = f"invalid value {value!r} in {ENV_PREFIX}{name.upper()}"
    return f"{where}: {first['msg']}".replace("\n", " ")
