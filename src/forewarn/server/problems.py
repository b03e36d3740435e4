"""Errors as RFC 9457 problem details (``application/problem+json``).

``detail`` carries the same one-line message the CLI prints for the same error, so a tool
can show it to a reader as it is. It stays one line whatever the input: control characters
in anything it echoes (a file name with a newline, an escape sequence) are written as escapes
(``render.safe.printable``).
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ..errors import InputError, UsageError
from ..render.safe import printable

log = logging.getLogger("forewarn.server")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "urn:forewarn:problem:"

class Problem(BaseModel):
    """A problem details object (RFC 9457); extra members may follow."""

    model_config = ConfigDict(extra="allow")

    type: str = Field("about:blank", description="A URI naming the kind of problem.")
    title: str = Field(description="Short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What is wrong and what to do, in one line (the CLI's wording).")


class ProblemError(Exception):
    """Raised by the API to answer with a problem; ``kind`` becomes ``urn:forewarn:problem:<kind>``.

    ``body_unread``: raised before the request body was read (or all of it); the answer is
    sent at once and the connection closed once the body has passed (see ``AnswerThenClose``).
    """

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        body_unread: bool = False,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.headers = headers or {}
        self.body_unread = body_unread


class AnswerThenClose:
    """Send ``response`` at once, before the request body is read; then drop the body as it
    arrives (never stored) until it ends or ``seconds`` pass, and close the connection.

    Closing at once would make the kernel reset the connection while the client is still
    sending its body, and most clients (httpx, browsers) would lose the answer; keeping the
    connection open instead would let a client that trickles its body hold it for good.
    A client that asked ``Expect: 100-continue`` sends no body: the connection closes at once.
    """

    def __init__(self, response: Response, seconds: float) -> None:
        self.response = response
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.response.headers["connection"] = "close"
        await send({"type": "http.response.start", "status": self.response.status_code,
                    "headers": self.response.raw_headers})
        await send({"type": "http.response.body", "body": self.response.body, "more_body": True})
        if Headers(scope=scope).get("expect", "").lower() != "100-continue":
            try:
                async with asyncio.timeout(self.seconds):
                    while (await receive()).get("more_body", False):
                        pass
            except TimeoutError:
                pass
        await send({"type": "http.response.body", "body": b"", "more_body": False})


def problem_response(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A problem+json response; without ``kind`` the type is ``about:blank``."""
    body = Problem(
        type=PROBLEM_BASE + kind if kind else "about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=printable(detail, one_line=True),
    )
    return JSONResponse(
        body.model_dump(),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def problem_responses(*statuses: int) -> dict[int | str, dict]:
    """OpenAPI ``responses`` entries declaring problem+json bodies for ``statuses``."""
    schema = Problem.model_json_schema()
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
        }
        for status in statuses
    }


def _problem_handler(drain_seconds: float):
    async def on_problem(_: Request, error: Exception) -> JSONResponse | AnswerThenClose:
        assert isinstance(error, ProblemError)
        response = problem_response(error.status, error.detail, kind=error.kind, headers=error.headers)
        return AnswerThenClose(response, drain_seconds) if error.body_unread else response

    return on_problem


async def _on_input_error(_: Request, error: Exception) -> JSONResponse:
    return problem_response(422, str(error), kind="input-error")


async def _on_usage_error(_: Request, error: Exception) -> JSONResponse:
    return problem_response(400, str(error), kind="usage-error")


async def _on_http_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    detail = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    return problem_response(error.status_code, detail, headers=error.headers)


async def _on_validation_error(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0] if error.errors() else {}
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
    detail = f"invalid request: {where or 'body'}: {first.get('msg', 'not valid')}"
    return problem_response(400, detail, kind="invalid-request")


async def _on_client_gone(_: Request, error: Exception) -> Response:
    log.info("a client disconnected before its upload was complete; nothing was scanned")
    return Response(status_code=400)  # never delivered: the client is gone


async def _on_unexpected(_: Request, error: Exception) -> JSONResponse:
    return problem_response(
        500,
        "forewarn hit an internal error; please report it with the steps that led here",
        kind="internal-error",
    )


def install_problem_handlers(app: FastAPI, drain_seconds: float) -> None:
    """Answer every error the app raises with problem+json; a problem raised before the body
    was read waits at most ``drain_seconds`` for that body before closing the connection."""
    app.add_exception_handler(ProblemError, _problem_handler(drain_seconds))
    app.add_exception_handler(InputError, _on_input_error)
    app.add_exception_handler(UsageError, _on_usage_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(ClientDisconnect, _on_client_gone)
    app.add_exception_handler(Exception, _on_unexpected)
