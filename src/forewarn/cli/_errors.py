"""One-line errors and exit codes shared by the sub-commands (0 done, 1 --fail-on hit, 2 bad input or usage)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import typer

try:  # Typer 0.2x carries its own copy of Click; older ones use Click itself
    from typer._click.exceptions import UsageError as ClickUsageError
except ImportError:  # pragma: no cover - depends on the installed Typer
    from click import UsageError as ClickUsageError

from ..errors import ForewarnError
from ..render.safe import printable

EXIT_OK = 0
EXIT_FOUND = 1
EXIT_BAD_INPUT = 2

T = TypeVar("T")


def fail(message: str) -> None:
    """Print one error line on stderr (file names and text in it made printable, never two lines)."""
    print(f"forewarn: error: {printable(message, one_line=True)}", file=sys.stderr)


def attempt(action: Callable[[], T], what: str) -> T | None:
    """Run ``action``; on any error print one line about ``what`` and return None (never a traceback)."""
    try:
        return action()
    except ForewarnError as error:
        fail(str(error))
    except MemoryError:
        fail(f"{what} is too large to read in the memory available; split it or use a smaller file")
    except RecursionError:
        fail(f"{what} is nested too deeply to read; it may be malformed or hostile")
    except Exception as error:  # noqa: BLE001 - the CLI promises one line, never a traceback
        fail(f"could not read {what} ({type(error).__name__}: {error}); please report this with the file's format")
    return None


@contextmanager
def usage_errors() -> Iterator[None]:
    """Turn a ForewarnError raised while parsing options into exit code 2."""
    try:
        yield
    except ForewarnError as error:
        fail(str(error))
        raise typer.Exit(EXIT_BAD_INPUT) from None


def usage_failure(error: ClickUsageError, command: str = "forewarn") -> Exception:
    """Click's own usage error ("No such option: ...", a bad value) as one printable line on stderr;
    returns the exit (code 2) to raise. What the user typed may hold control characters. The bare
    command's help (``no_args_is_help``) is returned unchanged. ``command`` names the command whose
    help to point to when Click did not say."""
    if type(error).__name__ == "NoArgsIsHelpError":
        return error
    where = error.ctx.command_path if error.ctx is not None else command
    fail(f"{error.format_message()} (see '{where} --help')")
    return typer.Exit(EXIT_BAD_INPUT)
