"""``forewarn serve``: run the HTTP API and the web page on this machine."""

from __future__ import annotations

import typer

from ..errors import UsageError
from ._app import app

LOOPBACK = ("127.0.0.1", "localhost", "::1")
ACCESS_LOG_FORMAT = '%(asctime)s %(levelprefix)s %(client_addr)s "%(request_line)s" %(status_code)s'


@app.command()
def serve(
    host: str = typer.Option(None, help="Address to listen on (loopback by default). [env: FOREWARN_HOST]"),
    port: int = typer.Option(None, help="Port to listen on (default 8000). [env: FOREWARN_PORT]"),
    max_upload_mb: float = typer.Option(
        None, help="Largest upload accepted, in MB (default 20). [env: FOREWARN_MAX_UPLOAD_MB]"
    ),
    max_scan_seconds: float = typer.Option(
        None, help="Stop a scan after this many seconds (default 60). [env: FOREWARN_MAX_SCAN_SECONDS]"
    ),
    max_concurrent: int = typer.Option(
        None,
        help="Scans at once, one worker process each; more get 503 (default 2). "
        "[env: FOREWARN_MAX_CONCURRENT]",
    ),
    retry_after_seconds: int = typer.Option(
        None, help="Retry-After sent with 503 (default 2). [env: FOREWARN_RETRY_AFTER_SECONDS]"
    ),
    access_log: bool = typer.Option(
        None, "--access-log/--no-access-log", help="Log method, path and status of each request."
    ),
) -> None:
    """Serve the API and a web page: drop a story in a browser and see what is in it.

    Texts are never stored or logged.
    """
    import uvicorn

    from ..server import Settings, create_app

    try:
        settings = Settings.from_env(
            host=host,
            port=port,
            max_upload_mb=max_upload_mb,
            max_scan_seconds=max_scan_seconds,
            max_concurrent=max_concurrent,
            retry_after_seconds=retry_after_seconds,
            access_log=access_log,
        )
    except UsageError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    log_config = uvicorn.config.LOGGING_CONFIG | {}
    log_config["formatters"] = dict(log_config["formatters"])
    log_config["formatters"]["access"] = dict(log_config["formatters"]["access"], fmt=ACCESS_LOG_FORMAT)
    if settings.host not in LOOPBACK:
        typer.echo("forewarn: warning: listening beyond this machine; the server has no authentication", err=True)
    typer.echo(f"forewarn: serving on http://{_url_host(settings.host)}:{settings.port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        access_log=settings.access_log,
        log_config=log_config,
        server_header=False,
    )


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
