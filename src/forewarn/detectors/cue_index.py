"""Trigger words for cue patterns: a cheap word-level prefilter for the cue detector.

Running hundreds of regular expressions over every passage is slow in Python. Every cue pattern
starts at a word boundary, so the first word of any match comes from a finite set that can be
read off the pattern itself: ``(?:cut|slash)(?:es|ed)? herself`` starts with one of ``cut``,
``cutes``, ``cuted``, ``slash``, ... This module walks the parsed pattern and returns those first
words (or first-word prefixes where the pattern has an open-ended part like ``suicid\\w*``).
A passage only needs the regex when one of its words is a trigger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

try:  # the parser behind ``re``; private, so fall back to "always run" if it ever moves
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:  # pragma: no cover
    _sre = None  # type: ignore[assignment]

_MAX_STATES = 20_000
_WORD_CHAR = re.compile(r"\w")


class _Open(Exception):
    """The pattern cannot be reduced to trigger words (run it everywhere)."""


@dataclass(frozen=True, slots=True)
class Triggers:
    """First words (exact) and first-word prefixes that every match of a pattern starts with."""

    words: frozenset[str]
    prefixes: frozenset[str]


# Function words that start many patterns ("his death", "the war"): the trigger is the first of
# a match's first three words that is not one of these.
_COMMON = frozenset(
    "a an the his her hers him he she i me my mine we us our you your they them their it its this that "
    "these those was were is are be been being had have has do did to of in on at by for with from and or "
    "not no so as up out off all one would could will can shall should might must may go now too am "
    "s re ll m d t ve n don didn doesn isn wasn won can couldn wouldn".split()
)

# A state is (tokens, current, done): finished tokens (a token ending in "\0" is a prefix),
# the word being read, and whether enough has been read.
_State = tuple[tuple[str, ...], str, bool]


def _push(tokens: tuple[str, ...], current: str, budget: int) -> _State:
    """Finish the current word; the state is done once ``budget`` leading words are read."""
    tokens = tokens + (current,) if current else tokens
    return tokens, "", len(tokens) >= budget


_WILD = "wild"  # a run of word characters of unknown content (\\w+, \\d*)


def _step(states: set[_State], text: str | None, budget: int) -> set[_State]:
    """Append one character to every open state (None: any character, _WILD: any word characters)."""
    out: set[_State] = set()
    for tokens, current, done in states:
        if done:
            out.add((tokens, current, done))
        elif text is None:
            out.add((tokens + (current.split("\0")[0] + "\0",), "", True))
        elif text == _WILD:
            out.add((tokens, current if "\0" in current else current + "\0", False))
        elif _WORD_CHAR.match(text):
            out.add((tokens, current if "\0" in current else current + text, False))
        else:
            out.add(_push(tokens, current, budget))
    if len(out) > _MAX_STATES:
        raise _Open
    return out


def _word_class(items: list) -> bool:
    words = (_c.CATEGORY_WORD, _c.CATEGORY_UNI_WORD, _c.CATEGORY_DIGIT, _c.CATEGORY_UNI_DIGIT)
    return all(op is _c.CATEGORY and arg in words for op, arg in items)


def _class_chars(items: list) -> list[str] | None:
    chars: list[str] = []
    for op, arg in items:
        if op is _c.LITERAL:
            chars.append(chr(arg))
        elif op is _c.RANGE and arg[1] - arg[0] < 30:
            chars.extend(chr(c) for c in range(arg[0], arg[1] + 1))
        elif op is _c.CATEGORY and arg in (_c.CATEGORY_SPACE, _c.CATEGORY_UNI_SPACE):
            chars.append(" ")
        else:
            return None
    return chars


def _expand(items, states: set[_State], budget: int) -> set[_State]:
    for op, arg in items:
        if all(done for _, _, done in states):
            return states
        if op is _c.LITERAL:
            states = _step(states, chr(arg), budget)
        elif op is _c.IN:
            chars = _class_chars(arg)
            if chars is None:
                states = _step(states, _WILD if _word_class(arg) else None, budget)
            else:
                states = set().union(*(_step(states, ch, budget) for ch in chars))
        elif op is _c.SUBPATTERN:
            states = _expand(arg[-1], states, budget)
        elif op is _c.BRANCH:
            states = set().union(*(_expand(alt, states, budget) for alt in arg[1]))
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            low, high, sub = arg
            for _ in range(low):
                states = _expand(sub, states, budget)
            if high is _c.MAXREPEAT or high - low > 3:
                word_run = len(sub) == 1 and sub[0][0] is _c.IN and _word_class(sub[0][1])
                states = _step(states, _WILD if word_run else None, budget)
            else:
                collected = set(states)
                for _ in range(high - low):
                    states = _expand(sub, states, budget)
                    collected |= states
                states = collected
        elif op is _c.AT and arg in (_c.AT_BOUNDARY, _c.AT_UNI_BOUNDARY):
            states = {s if s[2] else _push(s[0], s[1], budget) for s in states}  # \b ends a word
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue
        else:
            states = _step(states, None, budget)
        if len(states) > _MAX_STATES:
            raise _Open
    return states


def triggers(pattern: str) -> Triggers | None:
    """Trigger words of a pattern matched at a word start; None when it cannot be reduced.

    Every match contains one of the returned words (or a word starting with one of the
    prefixes) as a whole ``\\w+`` token: its first word, or its second when the first is a
    common function word.
    """
    if _sre is None:
        return None
    try:
        parsed = _sre.parse(pattern)
    except re.error:
        return None
    for budget in (3, 2, 1):  # leading words to read; fewer when a pattern has too many combinations
        try:
            states = _expand(parsed, {((), "", False)}, budget)
            break
        except (_Open, RecursionError):
            continue
    else:
        return None
    words: set[str] = set()
    prefixes: set[str] = set()
    for tokens, current, done in states:
        if not done:
            tokens = _push(tokens, current, budget)[0]
        if not tokens:
            return None
        usable = [t for t in tokens if not t.endswith("\0") or len(t) > 3]
        if not usable or usable[0] != tokens[0]:
            return None
        chosen = next((t for t in usable if t not in _COMMON), usable[0])
        if chosen.endswith("\0"):
            prefixes.add(chosen[:-1])
        else:
            words.add(chosen)
    return Triggers(frozenset(words), frozenset(prefixes))


class TriggerIndex:
    """Maps words to the ids (any hashable) whose trigger words they are."""

    def __init__(self) -> None:
        self._words: dict[str, set] = {}
        self._prefixes: dict[str, set] = {}
        self._lengths: set[int] = set()
        self.always: set = set()
        self._cache: dict[str, frozenset] = {}

    def add(self, key, found: Triggers | None) -> None:
        """Register the trigger words of one pattern under ``key`` (None: always a candidate)."""
        if found is None:
            self.always.add(key)
            return
        for word in found.words:
            self._words.setdefault(word, set()).add(key)
        for prefix in found.prefixes:
            self._prefixes.setdefault(prefix, set()).add(key)
            self._lengths.add(len(prefix))

    def lookup(self, word: str) -> frozenset:
        """Keys triggered by one word (cached)."""
        keys = self._cache.get(word)
        if keys is None:
            found = set(self._words.get(word, ()))
            for length in self._lengths:
                if len(word) >= length:
                    found |= self._prefixes.get(word[:length], set())
            keys = self._cache[word] = frozenset(found)
        return keys
