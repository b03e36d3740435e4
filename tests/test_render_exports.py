"""The standalone HTML card and the AO3 tags text, and `forewarn scan --to/-o`."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

import forewarn.cli.scan as scan_cli
from forewarn.cli._app import app
from forewarn.documents.report import ChapterInfo, Declared, Finding, Location, Report, Source, Suggested, WorkInfo
from forewarn.errors import UsageError
from forewarn.render.ao3_tags import ao3_tags_text
from forewarn.render.html_card import html_card, html_cards
from forewarn.render.outputs import choose_output, render_reports
from forewarn.taxonomy import categories
from tests.batch_fakes import fake_scan

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def _report(quote: str | None = None, title: str = "Harbour Wall") -> Report:
    """Two chapters; self-harm depicted in chapter 2, death mentioned in chapter 1."""
    chapters = [ChapterInfo(index=1, title="Chapter 1", char_start=0, char_end=100),
                ChapterInfo(index=2, title="Chapter 2", char_start=100, char_end=200)]

    def finding(category: str, severity: str, chapter: int, position: float) -> Finding:
        info = categories()[category]
        start = int(position * 200)
        location = Location(chapter=chapter, paragraph_start=0, paragraph_end=0, char_start=start, char_end=start + 20,
                            position=position, severity=severity, quote=quote)
        return Finding(category=category, group=info.group, name=info.name, severity=severity, confidence=0.8,
                       locations=[location])

    return Report(
        forewarn_version="0.1.0", source=Source(path="harbour.txt", format="text"),
        work=WorkInfo(title=title, authors=["Ann Author"], words=80, chapters=chapters),
        declared=Declared(warnings=["Rape/Non-Con"]),
        findings=[finding("death", "mentioned", 1, 0.2), finding("self-harm", "depicted", 2, 0.7)],
        suggested=Suggested(ao3_rating="Mature", ffn_rating="M", ao3_warnings=["No Archive Warnings Apply"]),
        limits="forewarn can miss things.",
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(document: str) -> _Tags:
    parser = _Tags()
    parser.feed(document)
    parser.close()
    return parser


def test_html_card_is_self_contained_with_one_strip_and_a_legend():
    document = html_card(_report())
    parsed = _parse(document)
    names = [tag for tag, _ in parsed.tags]
    assert "script" not in names and "link" not in names and "img" not in names
    assert not any(value and value.startswith(("http:", "https:", "//")) for _, attrs in parsed.tags
                   for key, value in attrs.items() if key in ("src", "href"))
    assert names.count("style") == 1
    strips = [attrs for tag, attrs in parsed.tags if "strip" in (attrs.get("class") or "").split()]
    assert len([s for s in strips if "strip-small" not in s["class"]]) == 1  # the whole-story strip
    text = " ".join(parsed.text)
    assert "What the marks mean" in document and all(w in text for w in ("mentioned", "depicted", "graphic", "chapter start"))
    assert [attrs["id"] for tag, attrs in parsed.tags if tag == "details"] == ["finding-death", "finding-self-harm"]
    assert "Warning card: Harbour Wall" in text and "by Ann Author" in text


def test_html_card_is_spoiler_safe_and_escapes_story_data():
    assert "quote" not in html_card(_report()).split("</style>")[1]  # no quotes without --spoilers
    document = html_card(_report(quote=HOSTILE, title=HOSTILE))
    parsed = _parse(document)
    assert "script" not in [tag for tag, _ in parsed.tags]
    assert "img" not in [tag for tag, _ in parsed.tags]
    assert HOSTILE in "".join(parsed.text)  # shown as text
    spoilers = [attrs for tag, attrs in parsed.tags if tag == "details" and attrs.get("class") == "spoiler"]
    assert len(spoilers) == 2 and all("open" not in attrs for attrs in spoilers)


def test_several_reports_make_one_document():
    document = html_cards([_report(title="One"), _report(title="Two")])
    assert document.count("<!doctype html>") == 1
    assert "Warning card: One" in document and "Warning card: Two" in document


def test_ao3_tags_list_every_category_with_rating_and_warnings():
    text = ao3_tags_text(_report())
    lines = dict(line.split(": ", 1) for line in text.splitlines() if line.startswith(("Rating", "Archive", "Additional")))
    assert lines["Rating"] == "Mature"
    assert lines["Archive Warnings"] == "No Archive Warnings Apply"
    assert lines["Additional Tags"] == "CW: Self-harm (depicted), CW: Death (mentioned)"
    assert "Declared by the author, not found by forewarn: Rape/Non-Con" in text


def test_ao3_tags_are_not_capped_and_hold_no_commas():
    report = _report()
    info = categories()
    many = [Finding(category=c, group=info[c].group, name=info[c].name, severity="mentioned", confidence=0.5,
                    locations=report.findings[0].locations) for c in list(info)[:9]]
    text = ao3_tags_text(report.model_copy(update={"findings": many}))
    tags = text.splitlines()[2].removeprefix("Additional Tags: ").split(", ")
    assert len(tags) == 9 and all(tag.startswith("CW: ") for tag in tags)


def test_ao3_output_escapes_control_characters_from_the_story():
    report = _report()
    hostile = report.model_copy(update={
        "source": Source(path="quiet\x1b]52;c;aGk=\x07.txt", format="text"),
        "declared": Declared(warnings=["Rape/Non-Con\x1b[2J"])})
    several = render_reports([hostile, report], "ao3", several=True)
    one = render_reports([hostile], "ao3", several=False)
    for text in (several, one):
        assert "\x1b" not in text and "\x07" not in text
    assert "quiet\\x1b]52;c;aGk=\\x07.txt" in several
    assert "Rape/Non-Con\\x1b[2J" in one


def test_choose_output_keeps_json_working_and_refuses_unknown_kinds():
    assert choose_output(None, False) == "text"
    assert choose_output(None, True) == "json"
    assert choose_output("HTML", False) == "html"
    with pytest.raises(UsageError, match="not one of"):
        choose_output("pdf", False)
    with pytest.raises(UsageError, match="two outputs"):
        choose_output("ao3", True)


@pytest.fixture
def story(tmp_path, monkeypatch):
    monkeypatch.setattr(scan_cli, "scan", lambda source, **options: fake_scan(source))
    path = tmp_path / "cliff.txt"
    path.write_text("Cliff\n\nThey walked up to the cliff.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["html", "ao3", "json", "text"])
def test_scan_writes_each_kind_to_a_file(story, tmp_path, kind):
    target = tmp_path / f"out.{kind}"
    result = CliRunner().invoke(app, ["scan", str(story), "--to", kind, "-o", str(target), "--no-profile"])
    assert result.exit_code == 0, result.output
    written = target.read_text(encoding="utf-8")
    assert "Self-harm" in written or "self-harm" in written
    if kind == "json":
        assert [f["category"] for f in json.loads(written)["findings"]] == ["self-harm"]
    if kind == "text":
        assert all(line == line.rstrip() for line in written.splitlines())
        assert "\x1b[" not in written


def test_scan_json_flag_still_prints_json(story):
    result = CliRunner().invoke(app, ["scan", str(story), "--json", "--no-profile"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["source"]["format"] == "text"


def test_scan_bad_output_kind_and_unwritable_file_are_exit_2(story, tmp_path):
    result = CliRunner().invoke(app, ["scan", str(story), "--to", "pdf", "--no-profile"])
    assert result.exit_code == 2 and "not one of" in result.output
    result = CliRunner().invoke(app, ["scan", str(story), "--to", "ao3", "-o", str(tmp_path / "no" / "x.txt"), "--no-profile"])
    assert result.exit_code == 2 and "cannot write" in result.output
