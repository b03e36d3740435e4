"""HTML: AO3 downloads (synthetic, following FORMATS.md), generic pages, unsafe or empty pages."""

from pathlib import Path

import pytest

from forewarn.errors import InputError
from forewarn.readers import read_bytes, read_path, read_text

AO3 = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>The Quiet Harbour</title></head><body>
<div id="preface">
  <p class="message"><b>The Quiet Harbour</b><br/>Posted originally on the Archive of Our Own.</p>
  <div class="meta"><dl class="tags">
    <dt>Rating:</dt><dd><a href="#">Teen And Up Audiences</a></dd>
    <dt>Archive Warnings:</dt><dd><a href="#">Creator Chose Not To Use Archive Warnings</a>, <a href="#">Major Character Death</a></dd>
    <dt>Fandom:</dt><dd><a href="#">Original Work</a></dd>
    <dt>Relationship:</dt><dd><a href="#">Ana/Ben</a></dd>
    <dt>Characters:</dt><dd><a href="#">Ana</a>, <a href="#">Ben</a></dd>
    <dt>Additional Tags:</dt><dd><a href="#">Hurt/Comfort</a>, <a href="#">Grief</a></dd>
    <dt>Stats:</dt><dd>Published: 2020-01-01 Words: 50 Chapters: 2/2</dd>
  </dl>
  <h1>The Quiet Harbour</h1>
  <div class="byline">by <a rel="author" href="#">harbourwriter</a></div>
  <p>Summary</p><blockquote class="userstuff"><p>Two friends wait for a boat.</p></blockquote>
  <p>Notes</p><blockquote class="userstuff"><p>Thanks to my beta.</p></blockquote>
  </div>
</div>
<div id="chapters" class="userstuff">
  <div class="meta group"><h2 class="heading">Chapter 1: Fog</h2>
    <p>Chapter Notes</p><blockquote class="userstuff"><p>A short one.</p></blockquote></div>
  <!--chapter content-->
  <div class="userstuff"><p><strong>A/N:</strong> Please review!</p><p>The fog came in early.</p><hr/><p>Ben lit the lamp.</p></div>
  <!--/chapter content-->
  <div class="meta" id="endnotes1"><p>Chapter End Notes</p><blockquote class="userstuff"><p>More soon.</p></blockquote></div>
  <div class="meta group"><h2 class="heading">Chapter 2: Boat</h2></div>
  <div class="userstuff"><p>The boat arrived at noon.</p><script>alert(1)</script></div>
</div>
<div id="afterword"><div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>The end, thank you.</p></blockquote></div>
<p class="message">Please drop by the Archive and comment to let the creator know if you enjoyed their work!</p></div>
</body></html>"""


def story(work):
    return [work.text[p.start : p.end] for p in work.paragraphs]


def note_texts(work, kind=None):
    return [work.text[n.start : n.end] for n in work.notes if kind is None or n.kind == kind]


def test_ao3_html_metadata_chapters_and_notes():
    work = read_bytes(AO3.encode(), name="harbour.html")
    assert work.source_format == "ao3-html"
    assert work.title == "The Quiet Harbour" and work.authors == ["harbourwriter"]
    d = work.declared
    assert d.rating == "Teen And Up Audiences"
    assert d.warnings == ["Creator Chose Not To Use Archive Warnings", "Major Character Death"]
    assert d.chose_not_to_warn
    assert d.fandoms == ["Original Work"] and d.relationships == ["Ana/Ben"] and d.characters == ["Ana", "Ben"]
    assert d.tags == ["Hurt/Comfort", "Grief"]
    assert d.summary == "Two friends wait for a boat."
    assert [c.title for c in work.chapters] == ["Chapter 1: Fog", "Chapter 2: Boat"]
    assert story(work) == ["The fog came in early.", "Ben lit the lamp.", "The boat arrived at noon."]
    assert [p.scene for p in work.paragraphs] == [0, 1, 0]
    notes = note_texts(work)
    for expected in ("Two friends wait for a boat.", "Thanks to my beta.", "A short one.", "A/N: Please review!", "More soon.", "The end, thank you."):
        assert expected in notes
    assert not any("alert" in t for t in notes + story(work))
    assert not any("drop by the Archive" in t for t in notes + story(work))


def test_offsets_match_text():
    work = read_bytes(AO3.encode())
    for c in work.chapters:
        assert 0 <= c.start <= c.end <= len(work.text)
    assert all(work.text[p.start : p.end].strip() == work.text[p.start : p.end] for p in work.paragraphs)


def test_generic_html():
    page = "<html><head><title>Lanterns</title><style>p{}</style></head><body><h1>Part One</h1><p>The lanterns glowed.</p><p>* * *</p><p>Night fell.</p><h2>Part Two</h2><p>Morning.<br><br>Birds sang.</p></body></html>"
    work = read_bytes(page.encode())
    assert work.source_format == "html"
    assert work.title == "Lanterns"
    assert [c.title for c in work.chapters] == ["Part One", "Part Two"]
    assert story(work) == ["The lanterns glowed.", "Night fell.", "Morning.", "Birds sang."]
    assert [p.scene for p in work.paragraphs] == [0, 1, 0, 0]


def test_read_text_detects_html_markup():
    assert read_text("<!DOCTYPE html><html><body><p>A small story.</p></body></html>").source_format == "html"


def test_script_only_html_has_no_story():
    page = "<html><body>" + "<script>var x = 1;</script>" * 50 + "</body></html>"
    with pytest.raises(InputError, match="no story text found"):
        read_bytes(page.encode())


def test_entity_declarations_are_refused():
    page = '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><html><body><p>&xxe;</p></body></html>'
    with pytest.raises(InputError, match="entities"):
        read_bytes(page.encode())


FORMATS_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "formats"


@pytest.mark.skipif(not FORMATS_DIR.is_dir(), reason="../shared/data/formats not present")
def test_real_ao3_html_downloads():
    work = read_path(FORMATS_DIR / "htmlTest.html")
    assert work.source_format == "ao3-html"
    assert work.declared.rating == "Teen And Up Audiences"
    assert "Graphic Depictions Of Violence" in work.declared.warnings
    series = read_path(FORMATS_DIR / "workInSeries.html")
    assert series.declared.chose_not_to_warn
    assert len(series.chapters) == 8
    incomplete = read_path(FORMATS_DIR / "incompleteWork.html")
    assert len(incomplete.chapters) == 3
    notes = [incomplete.text[n.start : n.end] for n in incomplete.notes]
    assert any(n.startswith("A/N:") for n in notes) and any(n.startswith("Disclaimer:") for n in notes)
    assert not any(incomplete.text[p.start : p.end].startswith(("A/N:", "Disclaimer:")) for p in incomplete.paragraphs)
