"""Click's own usage errors (unknown options, bad values) are one printable line and exit code 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from forewarn.cli import app


@pytest.mark.parametrize("args, shown", [
    (["scan", "--bad\x1b]0;pwned\x07", "story.txt"], "No such option: --bad\\x1b]0;pwned\\x07"),
    (["scan", "--evil\u202etxt", "story.txt"], "--evil\\u202etxt"),
    (["--bogus\x1b[2J"], "No such option: --bogus\\x1b[2J"),
    (["library", "--jobs", "two\x1b[8m", "."], "--jobs"),
    (["no-such-command\x9b2J"], "no-such-command\\x9b2J"),
    (["scan", "--avoid"], "requires an argument. (see 'forewarn scan --help')"),
])
def test_usage_errors_are_one_escaped_line_and_exit_2(args, shown):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("forewarn: error: ") and shown in lines[0]
    assert not any(c in result.stderr for c in "\x1b\x07\x9b\u202e")


def test_the_bare_command_still_shows_its_help():
    result = CliRunner().invoke(app, [])
    assert "Usage:" in result.output and "forewarn: error" not in result.output
