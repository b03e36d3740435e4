"""Which ``Host`` headers the server answers: protection against DNS rebinding.

A web page on ``evil.example`` can point its own DNS name at 127.0.0.1 and then read the
answers of a server on loopback as if they were its own. Browsers always send the name they
connected to in ``Host``, so a loopback server that answers only loopback names
(``localhost``, ``127.0.0.1``, ``[::1]``, any port) and the names it was told to allow
cannot be reached that way. A server bound beyond loopback answers any name unless allowed
names are given. Starlette's TrustedHostMiddleware is not used: it cuts ``[::1]:8000`` at the
first colon and answers in plain text rather than problem+json.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from .problems import AnswerThenClose, problem_response

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
ANY_HOST = "*"


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address to bind) is this machine only."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_host_names(bind_host: str, extra: Iterable[str]) -> frozenset[str] | None:
    """The host names to answer, or None for any: loopback names (plus ``extra``) on a
    loopback bind; on another bind, any name unless ``extra`` names some."""
    extra_names = {host_name(name) for name in extra}
    if ANY_HOST in extra_names:
        return None
    if is_loopback(bind_host):
        return frozenset({*LOOPBACK_NAMES, *extra_names})
    if extra_names:
        return frozenset({*LOOPBACK_NAMES, host_name(bind_host), *extra_names})
    return None


def host_name(header: str) -> str:
    """The name in a ``Host`` header, lower-case, without port, brackets or final dot."""
    value = header.strip().lower()
    if value.startswith("["):
        name = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        name = value.partition(":")[0]
    else:
        name = value
    return name.rstrip(".")


class HostCheck:
    """ASGI middleware answering 400 (problem+json) to a request for a host name not allowed,
    before its body is read (the connection is closed once the body has passed, or after
    ``drain_seconds``)."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str] | None, drain_seconds: float) -> None:
        self.app = app
        self.allowed = allowed
        self.drain_seconds = drain_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allowed is None or scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        name = host_name(Headers(scope=scope).get("host", ""))
        if name in self.allowed:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        shown = ", ".join(f"[{n}]" if ":" in n else n for n in sorted(self.allowed))
        response = problem_response(
            400,
            f"this server does not answer to the host name {name!r} (it answers: {shown}); "
            "start it with --allow-host NAME to add one",
            kind="host-not-allowed",
        )
        await AnswerThenClose(response, self.drain_seconds)(scope, receive, send)
