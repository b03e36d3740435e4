"""Plain text structure: paragraphs, chapters, scene breaks, FFN notes, Gutenberg, Markdown."""

from pathlib import Path

import pytest

from forewarn.errors import InputError
from forewarn.readers import FORMATS, read_bytes, read_path, read_text


def paragraphs(work):
    return [work.text[p.start : p.end] for p in work.paragraphs]


def titles(work):
    return [c.title for c in work.chapters]


def test_text_is_the_file_and_paragraphs_span_wrapped_lines():
    text = "The lamp was lit\nbefore the storm came.\n\nMara counted the waves.\n"
    work = read_text(text)
    assert work.text == text
    assert paragraphs(work) == ["The lamp was lit\nbefore the storm came.", "Mara counted the waves."]
    assert work.source_format == "text"
    assert work.source_format in FORMATS


def test_one_paragraph_per_line_without_blank_lines():
    work = read_text("First line of the tale.\nSecond line of the tale.\nThird line of the tale.\nFourth.\n")
    assert len(work.paragraphs) == 4


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("Chapter 3", "Chapter 3"),
        ("CHAPTER XI.", "CHAPTER XI"),
        ("Chapter Three: The Ferry", "Chapter Three: The Ferry"),
        ("12. The Ferry", "12. The Ferry"),
        ("XIV", "XIV"),
        ("LETTER IV", "LETTER IV"),
    ],
)
def test_chapter_heading_forms(heading, title):
    text = f"Chapter 1\n\nThe boat left at dawn.\n\n{heading}\n\nThe ferry was late again.\n"
    work = read_text(text)
    assert titles(work) == ["Chapter 1", title]
    assert paragraphs(work) == ["The boat left at dawn.", "The ferry was late again."]
    assert work.paragraphs[1].chapter == 1


def test_nested_divisions_join_into_the_title():
    text = (
        "VOLUME II\n\nBOOK FOURTH--THE HILL\n\nCHAPTER I--A ROAD\n\nThey walked.\n\n"
        "CHAPTER II\n\nThey rested.\n\nPART SEVEN\n\nChapter 31\n\nThey slept.\n"
    )
    assert titles(read_text(text)) == [
        "VOLUME II, BOOK FOURTH, CHAPTER I--A ROAD",
        "VOLUME II, BOOK FOURTH, CHAPTER II",
        "VOLUME II, PART SEVEN, Chapter 31",
    ]


def test_plays_act_and_scene():
    text = "ACT I\n\nSCENE I. A hall.\n\nEnter two friends.\n\nSCENE II. A garden.\n\nThey talk.\n\nACT II\n\nSCENE I. A road.\n\nThey part.\n"
    assert titles(read_text(text)) == ["ACT I, SCENE I. A hall", "ACT I, SCENE II. A garden", "ACT II, SCENE I. A road"]


def test_table_of_contents_makes_no_empty_chapters():
    text = "Contents\n\nChapter 1\n\nChapter 2\n\nChapter 3\n\n\nChapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n\nChapter 3\n\nThree.\n"
    work = read_text(text)
    assert titles(work) == ["Chapter 1", "Chapter 2", "Chapter 3"]
    assert paragraphs(work) == ["One.", "Two.", "Three."]


def test_caps_story_titles_in_a_collection():
    stories = ["THE RED DOOR", "A WINTER ROAD", "THE LAST LETTER"]
    text = "".join(f"\n\n\n{title}\n\nA quiet tale of {title.lower()}.\n" for title in stories)
    work = read_text(text)
    assert titles(work) == stories


def test_a_single_caps_line_is_not_a_heading():
    work = read_text("The sign said\n\n\n\nKEEP OUT\n\nso we stayed home.\n")
    assert titles(work) == [""]
    assert "KEEP OUT" in paragraphs(work)


@pytest.mark.parametrize("marker", ["* * *", "***", "---", "___", "~~~", "o0o", "xXx", "#", "~The Next Day~", "~*~"])
def test_scene_breaks(marker):
    work = read_text(f"The sun rose over the hill.\n\n{marker}\n\nThe sun set behind the sea.\n")
    assert [p.scene for p in work.paragraphs] == [0, 1]
    assert marker not in paragraphs(work)


def test_three_blank_lines_are_a_scene_break():
    work = read_text("Morning came.\n\n\n\nEvening came.\n")
    assert [p.scene for p in work.paragraphs] == [0, 1]


def test_ffn_notes_are_not_story_and_declare_rating_and_warnings():
    text = (
        "A/N: Thanks for reading! Please review.\n\n"
        "Disclaimer: I don't own these characters.\n\n"
        "Rated T for violence.\n\n"
        "TW: self-harm, grief; loss\n\n"
        "Chapter 1\n\nThe rain fell on the old town.\n\nShe waited by the door.\n\n"
        "End A/N: see you next time\n"
    )
    work = read_text(text)
    assert work.source_format == "ffn-text"
    assert paragraphs(work) == ["The rain fell on the old town.", "She waited by the door."]
    kinds = [n.kind for n in work.notes]
    assert kinds.count("author-note") == 3 and "disclaimer" in kinds and "rating" in kinds
    assert work.declared.rating == "T"
    assert work.declared.warnings == ["violence", "self-harm", "grief", "loss"]  # "Rated T for violence." declares it
    assert not work.declared.chose_not_to_warn


def test_chose_not_to_warn():
    work = read_text("Author's Note: I chose not to warn for this one.\n\nThe story starts here.\n")
    assert work.declared.chose_not_to_warn


def test_gutenberg_header_and_licence_are_notes():
    text = (
        "The Project Gutenberg eBook of A Small Tale\n\nTitle: A Small Tale\n\nAuthor: Nobody Known\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK A SMALL TALE ***\n\n"
        "A SMALL TALE\n\nCONTENTS\n\nCHAPTER I\nCHAPTER II\n\n\n"
        "CHAPTER I\n\nThe miller had a cat.\n\nCHAPTER II\n\nThe cat had a hat.\n\n"
        "*** END OF THE PROJECT GUTENBERG EBOOK A SMALL TALE ***\n\nLicence text here.\n"
    )
    work = read_text(text)
    assert work.source_format == "gutenberg"
    assert work.title == "A Small Tale" and work.authors == ["Nobody Known"]
    assert paragraphs(work) == ["The miller had a cat.", "The cat had a hat."]
    assert titles(work) == ["CHAPTER I", "CHAPTER II"]
    kinds = {n.kind for n in work.notes}
    assert {"front-matter", "licence"} <= kinds
    licence = [n for n in work.notes if n.kind == "licence"][0]
    assert "Licence text" in work.text[licence.start : licence.end]


def test_markdown_keeps_syntax_in_text_and_uses_hash_headings():
    text = "# The Lighthouse\n\n## Chapter One\n\nShe *ran* to the **door**.\n\n***\n\nIt was _late_.\n\n## Chapter Two\n\nDawn.\n"
    work = read_bytes(text.encode(), name="story.md")
    assert work.source_format == "markdown"
    assert work.text == text
    assert work.title == "The Lighthouse"
    assert titles(work) == ["Chapter One", "Chapter Two"]
    assert paragraphs(work)[0] == "She *ran* to the **door**."
    assert [p.scene for p in work.paragraphs] == [0, 1, 0]


def test_markdown_detected_without_extension():
    text = "# Part One\n\nShe *ran* and *ran* and **ran**.\n\n# Part Two\n\nHe _walked_.\n"
    assert read_text(text).source_format == "markdown"


def test_chapters_cover_their_paragraphs():
    work = read_text("Chapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n\nThree.\n")
    for p in work.paragraphs:
        chapter = work.chapters[p.chapter]
        assert chapter.start <= p.start < p.end <= chapter.end


def test_substantial_text_before_first_heading_is_chapter_zero():
    prologue = "It began long ago. " * 40
    work = read_text(f"{prologue}\n\nChapter 1\n\nThen it went on.\n")
    assert titles(work) == ["", "Chapter 1"]


def test_short_title_lines_before_first_heading_are_front_matter():
    work = read_text("My Little Story\n\nby Someone\n\nChapter 1\n\nThen it went on.\n")
    assert titles(work) == ["Chapter 1"]
    assert paragraphs(work) == ["Then it went on."]


def test_only_notes_is_no_story():
    with pytest.raises(InputError, match="no story text"):
        read_text("A/N: coming soon, please review!\n")


BOOKS = Path(__file__).resolve().parents[2] / "shared" / "data" / "books" / "texts"


@pytest.mark.skipif(not BOOKS.is_dir(), reason="../shared/data/books not present")
def test_real_gutenberg_book_chapters():
    work = read_path(BOOKS / "1513.txt")
    assert work.source_format in ("gutenberg", "text")
    assert any(c.title.upper().startswith("ACT III, SCENE I") for c in work.chapters)
    assert work.story_words() > 20_000
