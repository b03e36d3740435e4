"""Turn a ``POST /v1/scan`` request into a scan job: a file upload or JSON ``{"text": ...}``.

Memory stays bounded whatever the clients do. The body is read as a stream and counted, so an
oversized upload is refused (413) as soon as it passes the limit, whatever its Content-Length
says; it must arrive within a time limit (408, and the connection is closed), so a body that
trickles in cannot hold its slot; and it goes to a spool that keeps its first bytes in memory
and the rest in an unnamed temporary file (deleted when the request ends). Only when a worker
is free is the body loaded as one ``bytes`` for the scan (``Upload.job``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from .problems import ProblemError

# Room for multipart boundaries, part headers and option fields around the file itself.
MULTIPART_OVERHEAD = 64 * 1024
FORM_FIELDS = ("format", "avoid", "spoilers", "thorough")
JSON = "json"
FORM = "form"


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """How large a body may be, how much of it stays in memory, and how long it may take."""

    max_bytes: int
    spool_bytes: int
    body_seconds: float


class ScanText(BaseModel):
    """A story sent as JSON."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "text": "Chapter 1\n\nThe boats came home before the storm.\n\n"
                    "Chapter 2\n\nA fight broke out on the pier and a sailor was stabbed to death.",
            "avoid": ["violence:depicted"],
            "spoilers": False,
        }]},
    )

    text: str = Field(description="The story text (plain text, or Markdown/HTML with `format`).")
    name: str | None = Field(None, description="A file name hinting the format, e.g. 'story.md'.")
    format: str | None = Field(None, description="Force the input format (as `forewarn scan --format`).")
    avoid: list[str] = Field(default_factory=list, description="Category ids to avoid; gives a verdict.")
    spoilers: bool = Field(False, description="Include short evidence quotes.")
    thorough: bool = Field(False, description="Let the encoder read every passage even in works over 100,000 words (slower).")


@dataclass(frozen=True, slots=True)
class ScanJob:
    """What one worker needs to run one scan: the source and the keyword options of ``scan``."""

    source: str | bytes
    options: dict[str, object] = field(default_factory=dict)


def upload_form_schema() -> dict:
    """The OpenAPI schema of the multipart form (documented by hand: the route parses it)."""
    return {
        "type": "object",
        "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary", "description": "The story file."},
            "format": {"type": "string", "description": "Force the input format."},
            "avoid": {"type": "string", "description": "Comma-separated category ids to avoid."},
            "spoilers": {"type": "boolean", "description": "Include short evidence quotes."},
            "thorough": {"type": "boolean", "description": "Let the encoder read every passage even in works over 100,000 words (slower)."},
        },
    }


def too_large(limit_bytes: int) -> ProblemError:
    """The 413 problem for a body over the limit."""
    megabytes = limit_bytes / (1024 * 1024)
    return ProblemError(
        413,
        "too-large",
        f"the upload is larger than this server's limit of {megabytes:g} MB; "
        "send a smaller file or start the server with a larger --max-upload-mb",
        body_unread=True,
    )


def too_slow(seconds: float) -> ProblemError:
    """The 408 problem for a body that did not arrive in time; the connection is closed."""
    return ProblemError(
        408,
        "body-timeout",
        f"the upload did not arrive within this server's limit of {seconds:g} s; "
        "send it again on a faster connection or start the server with a larger --body-timeout-seconds",
        headers={"Connection": "close"},
    )


def media_kind(request: Request, limit_bytes: int) -> str:
    """``JSON`` or ``FORM`` from the headers alone; raise 415, or 413 when Content-Length is
    over the limit (both before a byte of the body is read)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        kind = JSON
    elif media_type == "multipart/form-data":
        kind = FORM
    else:
        raise ProblemError(
            415,
            "unsupported-media-type",
            "send the story as multipart/form-data with a 'file' part, "
            'or as application/json {"text": "..."}',
            body_unread=True,
        )
    declared = request.headers.get("content-length", "")
    overhead = MULTIPART_OVERHEAD if kind == FORM else 0
    if declared.isdigit() and int(declared) > limit_bytes + overhead:
        raise too_large(limit_bytes)
    return kind


@dataclass(slots=True)
class Upload:
    """A request whose body has arrived and waits in its spool for a free worker."""

    kind: str
    body: UploadFile
    options: dict[str, object] = field(default_factory=dict)

    async def job(self) -> ScanJob:
        """The scan job, loading the body into memory; raise 400/413 if it is not valid."""
        await self.body.seek(0)
        data = await self.body.read()
        if self.kind == JSON:
            return _job_from_json(data)
        return ScanJob(data, self.options)

    async def close(self) -> None:
        """Drop the spool (and its temporary file, if it had one)."""
        await self.body.close()


async def receive_upload(request: Request, kind: str, limits: UploadLimits) -> Upload:
    """Read the body of a scan request into a spool within ``limits``; raise ProblemError
    (400/408/413) when it is not a scan request, is too large or too slow."""
    deadline = asyncio.get_running_loop().time() + limits.body_seconds
    if kind == JSON:
        spool = UploadFile(SpooledTemporaryFile(max_size=limits.spool_bytes))
        try:
            async for chunk in _limited(request, limits.max_bytes, deadline, limits.body_seconds):
                await spool.write(chunk)
        except BaseException:
            await spool.close()
            raise
        return Upload(JSON, spool)
    return await _upload_from_form(request, limits, deadline)


async def _limited(
    request: Request, limit_bytes: int, deadline: float, seconds: float
) -> AsyncIterator[bytes]:
    """The request body, refused with 413 as soon as it passes ``limit_bytes`` and with 408
    when it is not complete by ``deadline`` (event-loop time)."""
    total = 0
    chunks = request.stream().__aiter__()
    while True:
        try:
            async with asyncio.timeout_at(deadline):
                chunk = await anext(chunks)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise too_slow(seconds) from None
        total += len(chunk)
        if total > limit_bytes:
            raise too_large(limit_bytes)
        yield chunk


def _job_from_json(body: bytes) -> ScanJob:
    try:
        payload = ScanText.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "body"
        raise ProblemError(
            400, "invalid-request", f"invalid JSON request: {where}: {first['msg']}"
        ) from None
    options: dict[str, object] = {
        "name": payload.name,
        "format": payload.format,
        "avoid": payload.avoid or None,
        "spoilers": payload.spoilers,
        "thorough": payload.thorough,
    }
    # Sent as bytes: a str source that looks like a path would make scan() read a server file.
    return ScanJob(payload.text.encode("utf-8"), options)


class _SpoolingParser(MultiPartParser):
    """Starlette's multipart parser reading a limited, timed body into a bounded spool."""

    def __init__(self, request: Request, limits: UploadLimits, deadline: float) -> None:
        super().__init__(
            request.headers,
            _limited(request, limits.max_bytes + MULTIPART_OVERHEAD, deadline, limits.body_seconds),
            max_files=1,
            max_fields=16,
            max_part_size=64 * 1024,
        )
        self.spool_max_size = limits.spool_bytes


async def _upload_from_form(request: Request, limits: UploadLimits, deadline: float) -> Upload:
    parser = _SpoolingParser(request, limits, deadline)
    try:
        form = await parser.parse()
    except MultiPartException as error:
        raise ProblemError(400, "invalid-request", f"invalid upload: {error.message}") from None
    except BaseException:
        for spool in parser._files_to_close_on_error:  # Starlette closes them only on its own errors
            spool.close()
        raise
    try:
        upload = _checked_file(form, limits.max_bytes)
        avoid = ",".join(str(value) for value in form.getlist("avoid"))
        options: dict[str, object] = {
            "name": upload.filename or None,
            "format": _text_field(form.get("format")),
            "avoid": [part.strip() for part in avoid.split(",") if part.strip()] or None,
            "spoilers": _bool_field("spoilers", form.get("spoilers")),
            "thorough": _bool_field("thorough", form.get("thorough")),
        }
    except BaseException:
        await form.close()
        raise
    return Upload(FORM, upload, options)


def _checked_file(form: FormData, limit_bytes: int) -> UploadFile:
    """The one file part of ``form``; raise 400 for a missing file or unknown fields, 413 when
    the file alone is over the limit."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ProblemError(
            400, "invalid-request", "invalid upload: add the story as a file part named 'file'"
        )
    unknown = sorted(set(form.keys()) - {"file", *FORM_FIELDS})
    if unknown:
        raise ProblemError(
            400,
            "invalid-request",
            f"invalid upload: unknown field '{unknown[0]}' (use: file, {', '.join(FORM_FIELDS)})",
        )
    if (upload.size or 0) > limit_bytes:
        raise too_large(limit_bytes)
    return upload


def _text_field(value: object) -> str | None:
    if isinstance(value, UploadFile):
        raise ProblemError(400, "invalid-request", "invalid upload: only 'file' may be a file")
    return value.strip() or None if isinstance(value, str) else None


def _bool_field(name: str, value: object) -> bool:
    text = (_text_field(value) or "false").lower()
    if text in {"true", "1", "on", "yes"}:
        return True
    if text in {"false", "0", "off", "no"}:
        return False
    raise ProblemError(
        400, "invalid-request", f"invalid upload: {name} must be true or false, not {text!r}"
    )
