"""``forewarn serve``: run the HTTP API and the web page on this machine."""

from __future__ import annotations

import threading
import webbrowser

import typer

from ..errors import UsageError
from ._app import app

# A server bound to every address is reached from this machine at loopback.
WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "::1"}


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to listen on (loopback by default). [env: FOREWARN_HOST]"),
    port: int = typer.Option(None, help="Port to listen on (default 8000; 0 picks a free one). [env: FOREWARN_PORT]"),
    max_upload_mb: float = typer.Option(
        None, help="Largest upload accepted, in MB (default 20). [env: FOREWARN_MAX_UPLOAD_MB]"
    ),
    max_scan_seconds: float = typer.Option(
        None, help="Stop a scan after this many seconds (default 60). [env: FOREWARN_MAX_SCAN_SECONDS]"
    ),
    max_concurrent: int = typer.Option(
        None,
        help="Scans at once, one worker process each (default 2). [env: FOREWARN_MAX_CONCURRENT]",
    ),
    max_uploads: int = typer.Option(
        None,
        help="Requests let in at once (reading, waiting or scanning); more get 503 before their "
        "body is read (default twice --max-concurrent). [env: FOREWARN_MAX_UPLOADS]",
    ),
    body_timeout_seconds: float = typer.Option(
        None,
        help="A request body must arrive within this many seconds, else 408 (default 30). "
        "[env: FOREWARN_BODY_TIMEOUT_SECONDS]",
    ),
    retry_after_seconds: int = typer.Option(
        None, help="Retry-After sent with 503 (default 2). [env: FOREWARN_RETRY_AFTER_SECONDS]"
    ),
    allow_host: list[str] = typer.Option(
        None,
        help="Also answer requests for this host name (repeatable; '*' for any). On loopback only "
        "localhost, 127.0.0.1 and [::1] are answered by default. [env: FOREWARN_ALLOW_HOSTS, comma-separated]",
    ),
    access_log: bool = typer.Option(
        None, "--access-log/--no-access-log", help="Log method, path and status of each request."
    ),
    open_browser: bool = typer.Option(
        False, "--open", help="Open the page in a web browser once the server is ready."
    ),
) -> None:
    """Serve the API and a web page: drop a story in a browser and see what is in it.

    Texts are never stored or logged. "serving on" is printed once connections are accepted.
    """
    from ..server import Settings
    from ..server.hosts import is_loopback
    from ..server.runner import run

    try:
        settings = Settings.from_env(
            host=host,
            port=port,
            max_upload_mb=max_upload_mb,
            max_scan_seconds=max_scan_seconds,
            max_concurrent=max_concurrent,
            max_uploads=max_uploads,
            body_timeout_seconds=body_timeout_seconds,
            retry_after_seconds=retry_after_seconds,
            allow_hosts=tuple(allow_host) if allow_host else None,
            access_log=access_log,
        )
    except UsageError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    if not is_loopback(settings.host):
        typer.echo("forewarn: warning: listening beyond this machine; the server has no authentication", err=True)

    def on_ready(bound_port: int) -> None:
        url = f"http://{_url_host(WILDCARD_HOSTS.get(settings.host, settings.host))}:{bound_port}/"
        typer.echo(f"forewarn: serving on {url} (Ctrl-C to stop)", err=True)
        if open_browser:
            threading.Thread(target=_open, args=(url,), name="forewarn-open", daemon=True).start()

    if not run(settings, on_ready):
        raise typer.Exit(1)


def _open(url: str) -> None:
    if not webbrowser.open(url):
        typer.echo(f"forewarn: could not open a web browser; open {url} yourself", err=True)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
