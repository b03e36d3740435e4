"""Turn a ``POST /v1/scan`` request into a scan job: a file upload or JSON ``{"text": ...}``.

The body is read as a stream and counted, so an oversized upload is refused (413) as soon as
it passes the limit, whatever its Content-Length says. Nothing is written to disk: uploads
are kept in memory (the multipart parser's spool never rolls over) and dropped after the scan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request

from .problems import ProblemError

# Room for multipart boundaries, part headers and option fields around the file itself.
MULTIPART_OVERHEAD = 64 * 1024
FORM_FIELDS = ("format", "avoid", "spoilers", "thorough")


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
    )


async def read_scan_request(request: Request, limit_bytes: int) -> ScanJob:
    """Read and check a scan request; raise ProblemError (400/413/415) when it is not one."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "application/json" or media_type.endswith("+json"):
        body = b"".join([chunk async for chunk in _limited(request, limit_bytes)])
        return _job_from_json(body)
    if media_type == "multipart/form-data":
        return await _job_from_form(request, limit_bytes)
    raise ProblemError(
        415,
        "unsupported-media-type",
        "send the story as multipart/form-data with a 'file' part, "
        'or as application/json {"text": "..."}',
    )


async def _limited(request: Request, limit_bytes: int) -> AsyncIterator[bytes]:
    """The request body, refused with 413 as soon as it passes ``limit_bytes``."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit_bytes:
        raise too_large(limit_bytes)
    total = 0
    async for chunk in request.stream():
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


class _InMemoryParser(MultiPartParser):
    """Starlette's multipart parser with a spool that never rolls over to a temporary file."""

    def __init__(self, request: Request, limit_bytes: int) -> None:
        super().__init__(
            request.headers,
            _limited(request, limit_bytes + MULTIPART_OVERHEAD),
            max_files=1,
            max_fields=16,
            max_part_size=64 * 1024,
        )
        self.spool_max_size = limit_bytes + MULTIPART_OVERHEAD + 1


async def _job_from_form(request: Request, limit_bytes: int) -> ScanJob:
    try:
        form = await _InMemoryParser(request, limit_bytes).parse()
    except MultiPartException as error:
        raise ProblemError(400, "invalid-request", f"invalid upload: {error.message}") from None
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
    data = await upload.read()
    await upload.close()
    if len(data) > limit_bytes:
        raise too_large(limit_bytes)
    avoid = ",".join(str(value) for value in form.getlist("avoid"))
    options: dict[str, object] = {
        "name": upload.filename or None,
        "format": _text_field(form.get("format")),
        "avoid": [part.strip() for part in avoid.split(",") if part.strip()] or None,
        "spoilers": _bool_field("spoilers", form.get("spoilers")),
        "thorough": _bool_field("thorough", form.get("thorough")),
    }
    return ScanJob(data, options)


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
