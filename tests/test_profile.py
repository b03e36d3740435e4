import pytest

from forewarn.documents.report import (ChapterInfo, Declared, Finding, Location, Report, Source, Suggested,
                             WorkInfo)
from forewarn.errors import UsageError
from forewarn.stages.profile import Profile, load_profile, parse_avoid, verdict


def _report(hits):
    chapters = [ChapterInfo(index=i, title=f"Chapter {i}", char_start=i * 100, char_end=i * 100 + 99)
                for i in range(1, 6)]
    findings = [
        Finding(category=cat, group="x", name=cat.title(), severity=sev, confidence=0.9,
                locations=[Location(chapter=ch, scene=1, paragraph_start=0, paragraph_end=0, char_start=ch * 100,
                                    char_end=ch * 100 + 10, position=ch / 6, severity=sev)])
        for cat, sev, ch in hits
    ]
    return Report(forewarn_version="0", source=Source(format="text"),
                  work=WorkInfo(words=1000, chapters=chapters), declared=Declared(), findings=findings,
                  suggested=Suggested(ao3_rating="General Audiences", ffn_rating="K", ao3_warnings=[]),
                  limits="limits")


def test_parse_avoid_defaults_to_any_mention():
    assert parse_avoid("self-harm, suicide:depicted").avoid == {"self-harm": "mentioned", "suicide": "depicted"}


@pytest.mark.parametrize("text", ["kittens", "suicide:extreme"])
def test_parse_avoid_rejects_unknown_values(text):
    with pytest.raises(UsageError):
        parse_avoid(text)


def test_verdict_nothing_detected_never_says_safe():
    result = verdict(_report([("death", "depicted", 2)]), parse_avoid("suicide"))
    assert result.status == "nothing-detected"
    assert "safe" not in result.summary.lower().replace("promise of safety", "")


def test_verdict_safe_until_first_hit_chapter():
    result = verdict(_report([("suicide", "depicted", 4), ("self-harm", "mentioned", 5)]),
                     parse_avoid("suicide,self-harm"))
    assert result.status == "safe-until"
    assert result.safe_until_chapter == 4
    assert [h.category for h in result.hits] == ["suicide", "self-harm"]


def test_verdict_not_safe_when_in_first_chapter():
    result = verdict(_report([("suicide", "depicted", 1)]), parse_avoid("suicide"))
    assert result.status == "not-safe"


def test_minimum_severity_filters_mentions():
    result = verdict(_report([("suicide", "mentioned", 1)]), parse_avoid("suicide:depicted"))
    assert result.status == "nothing-detected"


def test_profile_file(tmp_path):
    path = tmp_path / "profile.toml"
    path.write_text('[avoid]\nself-harm = "mentioned"\nsuicide = "graphic"\n', encoding="utf-8")
    assert load_profile(path).avoid == {"self-harm": "mentioned", "suicide": "graphic"}
    path.write_text("[avoid\n", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid TOML"):
        load_profile(path)
    with pytest.raises(UsageError, match="not found"):
        load_profile(tmp_path / "missing.toml")


def test_merge_keeps_the_stricter_minimum():
    merged = Profile({"suicide": "graphic"}).merged(parse_avoid("suicide:depicted,abuse"))
    assert merged.avoid == {"suicide": "depicted", "abuse": "mentioned"}
