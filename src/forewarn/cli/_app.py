"""The Typer application shared by every sub-command module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="forewarn",
    help="Tell a reader what hard content is in a story, where, and how severe, without spoilers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Entry point of the console script."""
    app()
