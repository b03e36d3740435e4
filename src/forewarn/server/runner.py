"""Run the app under uvicorn and say when it is ready.

uvicorn runs the app's startup (which starts the scan workers, seconds with the models)
before it opens its sockets; ``ReadyServer`` calls back only after both, so "serving on" is
printed when a connection would be accepted.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import socket
import sys
from collections.abc import Callable

import uvicorn

from .app import create_app
from .settings import Settings

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter number
BODY_SIZED_BYTES = 1024 * 1024

ACCESS_LOG_FORMAT = '%(asctime)s %(levelprefix)s %(client_addr)s "%(request_line)s" %(status_code)s'


class ReadyServer(uvicorn.Server):
    """A uvicorn server that calls ``on_ready(port)`` once its sockets accept connections."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[int], None]) -> None:
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's startup (app startup, then bind), then the callback with the bound port."""
        await super().startup(sockets)
        if self.started and not self.should_exit:
            self.on_ready(self.servers[0].sockets[0].getsockname()[1])


def return_large_buffers_to_the_system() -> None:
    """Have glibc give every buffer of 1 MB or more straight back to the system when freed.

    By default glibc raises its mmap threshold up to 32 MB after the first large buffer is
    freed, so later request bodies (up to 20 MB, loaded in several threads) are carved from
    heaps that stay at their high-water mark: the server's memory would grow with each
    burst instead of coming back down. A no-op where the C library is not glibc.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, BODY_SIZED_BYTES)
    except (OSError, AttributeError):
        return


def run(settings: Settings, on_ready: Callable[[int], None]) -> bool:
    """Serve until stopped (Ctrl-C); False when the server could not start."""
    return_large_buffers_to_the_system()
    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=settings.access_log,
        log_config=log_config(),
        server_header=False,
    )
    server = ReadyServer(config, on_ready)
    server.run()
    return server.started


def log_config() -> dict:
    """uvicorn's logging, with a shorter access line and the server's own one-line messages."""
    config = uvicorn.config.LOGGING_CONFIG | {}
    config["formatters"] = dict(config["formatters"])
    config["formatters"]["access"] = dict(config["formatters"]["access"], fmt=ACCESS_LOG_FORMAT)
    config["loggers"] = dict(config["loggers"])
    config["loggers"]["forewarn"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
