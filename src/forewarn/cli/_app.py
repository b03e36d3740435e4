"""The Typer application shared by every sub-command module.

Help is tidied in one place: no ``<bool>``/``<list[str]>`` type labels (an option shows its metavar,
a flag nothing) and no ``{ARG}`` braces in usage lines. ``--version`` and Typer's shell completion
(``--install-completion``, ``--show-completion``) live on the root command.
"""

from __future__ import annotations

import re
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..version import __version__
from ._errors import ClickUsageError, usage_failure

PROG_NAME = "forewarn"
_BRACES = re.compile(r"\{([^{}]*)\}")
THOROUGH_HELP = "Let the encoder read every passage even in works over 100,000 words (slower)."  # scan, library and batch


_TYPE_LABELS = {"int": "N", "float": "NUMBER", "path": "PATH", "str": "TEXT"}


def _type_label(param: Any, ctx: Any) -> str:
    """A short label for an option's value from Typer's type name: N, NUMBER, PATH or TEXT."""
    words = str(param.display_type(ctx)).strip("<>").replace("list[", "").rstrip("]").split()
    return _TYPE_LABELS.get(words[0] if words else "str", "TEXT")


def _tidy_params(command: Any, ctx: Any) -> None:
    """Make each parameter's help column show its metavar (options) or nothing (flags, arguments),
    and name arguments in capitals (``PATH``, not ``path``)."""
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            param.metavar = param.metavar or (param.name or "").upper()
            label = None
        else:
            label = None if getattr(param, "is_flag", False) else (param.metavar or _type_label(param, ctx))
        param.display_type_rich = lambda ctx, label=label: label


class CleanCommand(TyperCommand):
    """A Typer command whose help shows no Python type names and no braces."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _tidy_params(self, ctx)
        super().format_help(ctx, formatter)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [_BRACES.sub(r"\1", piece) for piece in super().collect_usage_pieces(ctx)]


class CleanGroup(TyperGroup):
    """The root command, with the same tidy help; Click's usage errors (its own or a sub-command's)
    become one printable line and exit code 2, never a box echoing raw input."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _tidy_params(self, ctx)
        super().format_help(ctx, formatter)

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except ClickUsageError as error:
            raise usage_failure(error) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClickUsageError as error:
            command = " ".join(filter(None, [ctx.command_path, getattr(ctx, "invoked_subcommand", None)]))
            raise usage_failure(error, command) from None


class _App(typer.Typer):
    """A Typer app whose commands default to CleanCommand."""

    def command(self, *args: Any, cls: type[TyperCommand] | None = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or CleanCommand, **kwargs)


app = _App(
    name=PROG_NAME,
    cls=CleanGroup,
    help="Tell a reader what hard content is in a story, where, and how severe, without spoilers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"{PROG_NAME} {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print forewarn's version and exit."),
) -> None:
    """Tell a reader what hard content is in a story, where, and how severe, without spoilers."""


def main() -> None:
    """Entry point of the console script (and of ``python -m forewarn``)."""
    app(prog_name=PROG_NAME)
