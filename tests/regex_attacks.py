"""Adversarial inputs for regular expressions (catastrophic backtracking, "ReDoS").

For every repetition in a pattern, :func:`attacks` builds a string that reaches it (following the
branches that lead there), repeats its body thousands of times, then ends the string in ways that
make the rest of the pattern fail or succeed late: the classic attack on nested or adjacent
quantifiers. A few generic long runs (spaces, letters, punctuation) are added for every pattern.
"""

from __future__ import annotations

import re
from re import _constants as c
from re import _parser as sre

# Characters tried when a character class has to be satisfied (first one that fits wins).
_CANDIDATES = "a ex0I.!-*#~:,;'\"()[]_oOX\t\u2014\u201c"
_CATEGORY = {
    c.CATEGORY_DIGIT: re.compile(r"\d"), c.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    c.CATEGORY_SPACE: re.compile(r"\s"), c.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    c.CATEGORY_WORD: re.compile(r"\w"), c.CATEGORY_NOT_WORD: re.compile(r"\W"),
}
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT))
_GENERIC_RUNS = (" ", "\t", "a", "o", "x", "0", "I", "*", "~", "-", "#", ".", "a ", " a", "*o", "Ab ")
_ENDINGS = ("", "\x01", "!", "\n")


def _in_set(char: str, items: list) -> bool:
    negate = bool(items) and items[0][0] is c.NEGATE
    found = False
    for op, value in items[1:] if negate else items:
        if op is c.LITERAL and ord(char) == value:
            found = True
        elif op is c.RANGE and value[0] <= ord(char) <= value[1]:
            found = True
        elif op is c.CATEGORY and _CATEGORY.get(value, re.compile("(?!)")).match(char):
            found = True
    return found != negate


def _char_for(items: list) -> str:
    return next((ch for ch in _CANDIDATES if _in_set(ch, items)), "")


def _witness(items, target: int | None, pump: int) -> tuple[str, bool]:
    """A string matching ``items`` (first branch, fewest repeats); the repeat with id ``target``
    has its body written ``pump`` times. Returns (string, whether the target was reached)."""
    out, reached = [], False
    for op, value in items:
        if op is c.LITERAL:
            out.append(chr(value))
        elif op is c.NOT_LITERAL:
            out.append("a" if value != ord("a") else "b")
        elif op is c.ANY:
            out.append("a")
        elif op is c.IN:
            out.append(_char_for(value))
        elif op is c.BRANCH:
            choices = [_witness(branch, target, pump) for branch in value[1]]
            text, hit = next((choice for choice in choices if choice[1]), choices[0])
            out.append(text)
            reached |= hit
        elif op is c.SUBPATTERN:
            text, hit = _witness(value[-1], target, pump)
            out.append(text)
            reached |= hit
        elif op in _REPEATS:
            low, _high, body = value
            text, hit = _witness(body, target, pump)
            if id(value) == target:
                out.append(text * pump)
                reached = True
            else:
                out.append(text * max(low, 1 if hit else 0))
                reached |= hit
        elif op is getattr(c, "ATOMIC_GROUP", None):
            text, hit = _witness(value, target, pump)
            out.append(text)
            reached |= hit
        # Anchors, lookarounds and back-references add no characters.
    return "".join(out), reached


def _repeats(items) -> list:
    found = []
    for op, value in items:
        if op is c.BRANCH:
            for branch in value[1]:
                found += _repeats(branch)
        elif op is c.SUBPATTERN:
            found += _repeats(value[-1])
        elif op in _REPEATS:
            found.append(value)
            found += _repeats(value[2])
        elif op is getattr(c, "ATOMIC_GROUP", None) or op in (c.ASSERT, c.ASSERT_NOT):
            found += _repeats(value if op is not c.ASSERT and op is not c.ASSERT_NOT else value[1])
    return found


def attacks(pattern: re.Pattern[str], length: int) -> set[str]:
    """Adversarial strings of about ``length`` characters for ``pattern``."""
    parsed = sre.parse(pattern.pattern, pattern.flags)
    strings = {run * (length // len(run)) + end for run in _GENERIC_RUNS for end in _ENDINGS}
    for repeat in _repeats(parsed):
        body, _ = _witness(repeat[2], None, 1)
        if not body:
            continue
        pump = max(2, length // len(body))
        text, reached = _witness(parsed, id(repeat), pump)
        if not reached:
            continue
        cut = text.rfind(body * 2) + 2 * len(body)  # just after the pumped run
        head = text[:cut]
        strings.update(head + end for end in _ENDINGS)
        strings.add(text + "\x01")
        strings.add(text)
    return strings
