"""forewarn.scan end to end through the Python API."""

from __future__ import annotations

import pytest

import forewarn
from forewarn.errors import InputError, UsageError

SELF_HARM = (
    "Chapter 1\n\nRated T for self-harm.\n\nJo sat on the bathroom floor. She pressed the razor blade to her "
    "forearm and cut, and watched the thin line of blood.\n\nChapter 2\n\nIn the morning Jo made toast and "
    "walked to school with her brother.\n"
)
CALM = "Chapter 1\n\nThey planted beans in the garden and talked about the weather.\n"


def test_text_bytes_and_path_give_the_same_findings(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(SELF_HARM, encoding="utf-8")
    reports = [forewarn.scan(SELF_HARM), forewarn.scan(SELF_HARM.encode(), name="story.txt"), forewarn.scan(path)]
    assert {tuple(f.category for f in r.findings) for r in reports} == {tuple(f.category for f in reports[0].findings)}
    assert reports[2].source.path == str(path)


def test_self_harm_gets_a_support_line_and_no_death():
    report = forewarn.scan(SELF_HARM)
    found = {f.category for f in report.findings}
    assert "self-harm" in found
    assert not found & {"suicide", "death"}
    assert report.support is not None and "findahelpline.com" in report.support.url


def test_calm_story_has_no_support_line_and_says_nothing_detected_not_safe():
    report = forewarn.scan(CALM, avoid="self-harm")
    assert report.findings == [] and report.support is None
    assert report.verdict.status == "nothing-detected"
    assert report.limits


def test_declared_rating_below_findings_is_an_under_warning():
    report = forewarn.scan(SELF_HARM)
    assert report.declared.rating == "T"
    assert "self-harm" in report.declared.warnings
    assert any(n.kind == "rating" for n in report.under_warning)


def test_offsets_point_into_the_crlf_normalised_file(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SELF_HARM.replace("\n", "\r\n").encode("utf-8"))
    report = forewarn.scan(path)
    normalised = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    location = report.finding("self-harm").locations[0]
    assert "razor" in normalised[location.char_start:location.char_end]
    chapter = report.work.chapters[location.chapter - 1]
    assert chapter.char_start <= location.char_start < chapter.char_end


def test_bad_options_and_bad_input_raise_one_line_errors(tmp_path):
    with pytest.raises(UsageError):
        forewarn.scan(CALM, avoid="unicorns")
    with pytest.raises(UsageError):
        forewarn.scan(CALM, detectors=["no-such-detector"])
    with pytest.raises(InputError) as error:
        forewarn.scan(tmp_path / "missing.txt")
    assert "\n" not in str(error.value)
