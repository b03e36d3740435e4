"""The HTTP API and the web page of ``forewarn serve``.

Routes: ``GET /`` (the page), ``/static/*``, ``POST /v1/scan``, ``GET /v1/categories``,
``GET /healthz`` and the OpenAPI document at ``/openapi.json``. Texts are never stored or
logged: a request body lives in a spool (memory, then an unnamed temporary file) until its
scan ends, and only method, path and status reach the access log. How many requests are let
in, and when a body is loaded, is decided by ``admission``; which ``Host`` names are
answered, by ``hosts``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..documents.report import Report
from ..taxonomy import SEVERITIES, categories, groups
from .admission import Admission, SlotsFull
from .hosts import HostCheck, allowed_host_names
from .intake import ScanJob, ScanText, UploadLimits, media_kind, receive_upload, upload_form_schema
from .pool import PoolBusy, ScanFailed, ScanPool, ScanTimedOut
from .problems import ProblemError, install_problem_handlers, problem_responses
from .settings import Settings

log = logging.getLogger("forewarn.server")

STATIC_DIR = Path(__file__).parent / "static"
DEFAULT_SCANNER = "forewarn.pipeline:scan"

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


class GroupOut(BaseModel):
    """A taxonomy group."""

    id: str
    name: str


class CategoryOut(BaseModel):
    """A content category."""

    id: str
    group: str
    name: str
    definition: str


class CategoriesOut(BaseModel):
    """The taxonomy: severities, groups and categories, in order."""

    severities: list[str]
    groups: list[GroupOut]
    categories: list[CategoryOut]


class HealthOut(BaseModel):
    """The server is up; its scan workers (and how many are free) and its upload slots
    (and how many requests hold one)."""

    status: str
    version: str
    workers: int
    idle_workers: int
    upload_slots: int
    uploads: int


class SecurityHeaders:
    """ASGI middleware adding a strict Content-Security-Policy and friends to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _forewarn_version() -> str:
    try:
        return version("forewarn")
    except PackageNotFoundError:
        return "unknown"


def create_app(settings: Settings | None = None, *, scanner: str = DEFAULT_SCANNER) -> FastAPI:
    """The ASGI app; ``scanner`` names the scan function (``"module:function"``) the workers run."""
    settings = settings or Settings()
    pool = ScanPool(
        settings.max_concurrent, scanner, settings.max_scan_seconds, settings.worker_start_seconds
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="forewarn",
        version=_forewarn_version(),
        summary="What hard content is in a story, where, and how severe, without spoilers.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    admission = Admission(settings.upload_slots, settings.max_concurrent)
    limits = UploadLimits(
        settings.max_upload_bytes, settings.spool_memory_bytes, settings.body_timeout_seconds
    )
    app.state.pool = pool
    app.state.settings = settings
    app.add_middleware(
        HostCheck,
        allowed=allowed_host_names(settings.host, settings.allow_hosts),
        drain_seconds=settings.body_timeout_seconds,
    )
    app.add_middleware(SecurityHeaders)
    install_problem_handlers(app, settings.body_timeout_seconds)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    def busy(reason: str, *, unread: bool = False) -> ProblemError:
        seconds = settings.retry_after_seconds
        return ProblemError(
            503,
            "busy",
            f"{reason}; try again in {seconds} s",
            headers={"Retry-After": str(seconds)},
            body_unread=unread,
        )

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/healthz", response_model=HealthOut, tags=["meta"])
    async def healthz() -> HealthOut:
        """Liveness: answers while the server runs, with its free scan workers."""
        return HealthOut(
            status="ok",
            version=app.version,
            workers=pool.size,
            idle_workers=pool.idle,
            upload_slots=admission.upload_slots,
            uploads=admission.admitted,
        )

    @app.get("/v1/categories", response_model=CategoriesOut, tags=["scan"])
    async def list_categories() -> CategoriesOut:
        """The content categories forewarn reports, with their groups and severities."""
        return CategoriesOut(
            severities=list(SEVERITIES),
            groups=[GroupOut(id=g.id, name=g.name) for g in groups()],
            categories=[
                CategoryOut(id=c.id, group=c.group, name=c.name, definition=c.definition)
                for c in categories().values()
            ],
        )

    @app.post(
        "/v1/scan",
        tags=["scan"],
        response_model=None,
        responses={
            200: {"model": Report, "description": "The report, as `forewarn scan --json`."},
            **problem_responses(400, 408, 413, 415, 422, 500, 503, 504),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {"schema": upload_form_schema()},
                    "application/json": {"schema": ScanText.model_json_schema()},
                },
            }
        },
    )
    async def scan(request: Request) -> Response:
        """Scan a story: a file upload (any format `forewarn scan` reads) or JSON text.

        Answers 503 with Retry-After when every upload slot is taken (before reading the
        body), 408 when the body does not arrive in time, and 504 when the scan runs past the
        server's time limit.
        """
        kind = media_kind(request, settings.max_upload_bytes)
        try:
            async with admission.upload():
                upload = await receive_upload(request, kind, limits)
                try:
                    async with admission.scan():
                        report_json = await run_scan(await upload.job())
                finally:
                    await upload.close()
        except SlotsFull:
            raise busy(f"all {settings.upload_slots} upload slots are taken", unread=True) from None
        return Response(
            report_json, media_type="application/json", headers={"Cache-Control": "no-store"}
        )

    async def run_scan(job: ScanJob) -> str:
        try:
            return await pool.scan(job)
        except PoolBusy:
            raise busy("no scan worker is ready (one is restarting)") from None
        except ScanTimedOut:
            raise ProblemError(
                504,
                "scan-timeout",
                f"the scan took longer than this server's limit of {settings.max_scan_seconds:g} s; "
                "send a shorter text or start the server with a larger --max-scan-seconds",
            ) from None
        except ScanFailed as error:
            log.error("scan failed: %s", error)
            raise ProblemError(
                500,
                "internal-error",
                "forewarn hit an internal error while scanning; please report it",
            ) from None

    return app
