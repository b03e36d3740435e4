"""Every regular expression in the data files runs in bounded time on adversarial input (ReDoS).

Patterns are collected from the data files themselves (every string in ``readers.toml`` that
compiles, with ``{number}`` filled in, and every compiled pattern of the cue book), so a new
pattern is covered without touching this test. Each pattern gets the strings of
:mod:`tests.regex_attacks`; a pattern still running after ``ALARM_SECONDS`` fails (the alarm
interrupts the regex engine), which is a hang, not a speed measurement.
"""

from __future__ import annotations

import re
import signal

import pytest

from forewarn.config import data_file, read_toml
from forewarn.detectors.cue_rules import _compile, _lexicons
from forewarn.readers.config import settings

from .regex_attacks import attacks

ALARM_SECONDS = 5
# Reader patterns see whole lines of any length; cue patterns start only at word starts.
READER_LENGTH = 20_000
CUE_LENGTH = 8_000

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGALRM"), reason="needs SIGALRM")


def _strings(table: object, where: str):
    if isinstance(table, dict):
        for key, value in table.items():
            yield from _strings(value, f"{where}.{key}")
    elif isinstance(table, list):
        for i, value in enumerate(table):
            yield from _strings(value, f"{where}[{i}]")
    elif isinstance(table, str):
        yield where, table


def reader_patterns() -> dict[str, re.Pattern[str]]:
    """Every string of readers.toml that compiles as a regex (case-insensitive and multi-line, the
    widest way the readers use them)."""
    number = settings()["text"]["numbers"]["number"]
    found = {}
    for where, source in _strings(settings(), "readers.toml"):
        try:
            found[where] = re.compile(source.replace("{number}", number), re.I | re.M)
        except re.error:
            continue
    return found


def cue_patterns() -> dict[str, re.Pattern[str]]:
    """Every pattern string of the cue files, compiled as the cue engine compiles a rule (``{lexicon}``
    references expanded, wrapped in word boundaries; lexicon entries are tested inside the patterns
    using them)."""
    lexicons = _lexicons(read_toml("cues/lexicons.toml")["lexicons"])
    found = {}
    for path in sorted(data_file("cues").glob("*.toml")):
        if path.stem == "lexicons":
            continue
        for where, source in _strings(read_toml(f"cues/{path.name}"), path.name):
            if where.endswith((".id", ".label")):
                continue
            try:
                found[where] = _compile(source, lexicons, where)
            except ValueError:  # not a pattern
                continue
    return found


class Hang(Exception):
    """A pattern ran past the alarm."""


def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise Hang


def _assert_bounded(pattern: re.Pattern[str], where: str, length: int = READER_LENGTH) -> None:
    strings = sorted(attacks(pattern, length))
    previous = signal.signal(signal.SIGALRM, _alarm)
    current = ""
    try:
        signal.alarm(ALARM_SECONDS)
        for current in strings:
            pattern.search(current)
    except Hang:
        pytest.fail(f"{where}: {pattern.pattern[:120]!r} still running after {ALARM_SECONDS} s on {current[:40]!r}...")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


READERS = reader_patterns()
CUES = cue_patterns()


def test_patterns_were_collected() -> None:
    assert len(READERS) > 20 and any("scene_breaks" in where for where in READERS)
    assert len(CUES) > 100


@pytest.mark.parametrize("where", sorted(READERS))
def test_reader_pattern_is_bounded(where: str) -> None:
    _assert_bounded(READERS[where], where)


@pytest.mark.parametrize("where", sorted(CUES))
def test_cue_pattern_is_bounded(where: str) -> None:
    _assert_bounded(CUES[where], where, CUE_LENGTH)


def test_the_alarm_catches_a_known_blow_up() -> None:
    with pytest.raises(pytest.fail.Exception):
        _assert_bounded(re.compile(r"^(a+)+$"), "nested")


_FILLER = "The night was quiet and the house was still.\n\n" * 20
HOSTILE_LINES = {
    "markdown heading": ("story.md", "# a" + " " * 5_000 + "b"),
    "text heading": ("story.txt", "# One\n\nText.\n\n# a" + " " * 5_000 + "b"),
    "warning line": ("story.txt", "TW: a" + " " * 5_000 + "b"),
    "scene break": ("story.txt", "o" * 50_000 + "!"),
    "tilde break": ("story.txt", "~" + " " * 50_000 + "!"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_LINES))
def test_hostile_lines_are_read_in_bounded_time(kind: str) -> None:
    from forewarn.readers import read_bytes

    name, line = HOSTILE_LINES[kind]
    data = (_FILLER + line + "\n\n" + _FILLER).encode()
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        signal.alarm(ALARM_SECONDS * 2)
        work = read_bytes(data, name=name)
    except Hang:
        pytest.fail(f"reading a file with a hostile {kind} line did not finish")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert work.paragraphs
