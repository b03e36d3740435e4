"""Tests for the trigger-word prefilter of the cue detector."""

from __future__ import annotations

import re

from forewarn.detectors.cue_index import TriggerIndex, triggers


def test_first_words_of_alternations_and_optional_parts() -> None:
    found = triggers(r"(?:cut|slash)(?:ed)? (?:her|him)self")
    assert found is not None
    assert found.words == {"cut", "cuted", "slash", "slashed"}


def test_common_first_word_is_skipped_for_the_next_one() -> None:
    found = triggers(r"(?:his|the) (?:sudden )?death")
    assert found is not None
    assert found.words == {"sudden", "death"}


def test_open_ended_word_becomes_a_prefix() -> None:
    found = triggers(r"suicid\w*")
    assert found is not None and found.prefixes == {"suicid"} and not found.words


def test_unreducible_pattern_runs_everywhere() -> None:
    assert triggers(r".{0,5}x") is None
    index = TriggerIndex()
    index.add("anywhere", None)
    assert "anywhere" in index.always


def test_every_match_contains_a_trigger_word() -> None:
    pattern = r"(?:was|were) (?:\w+ly )?(?:killed|shot)|suicid\w*|self[- ]?harm(?:ing)?"
    found = triggers(pattern)
    assert found is not None
    index = TriggerIndex()
    index.add("rule", found)
    for text in ["he was brutally killed", "they were shot", "suicidal", "self-harming", "selfharm"]:
        match = re.search(rf"(?<![\w-])(?:{pattern})", text)
        assert match is not None
        words = re.findall(r"\w+", match.group(0))
        assert any("rule" in index.lookup(word) for word in words), text
