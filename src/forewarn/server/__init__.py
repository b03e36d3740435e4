"""``forewarn serve``: the HTTP API and the web page."""

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
