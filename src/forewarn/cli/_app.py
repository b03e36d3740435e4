"""The Typer application shared by every sub-command module."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="forewarn",
    help="Tell a reader what hard content is in a story, where, and how severe, without spoilers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES = ("scan", "categories", "schema", "score", "serve", "library", "batch", "tag")


def main() -> None:
    """Entry point of the console script."""
    for module in COMMAND_MODULES:
        try:
            importlib.import_module(f"forewarn.cli.{module}")
        except ModuleNotFoundError as error:
            if error.name != f"forewarn.cli.{module}":
                raise
    app()
