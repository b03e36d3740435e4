"""Book structure as a reader sees it: titles, authors and chapters of Gutenberg-style texts.

Every fixture is a short text written for these tests that mimics the layout of a real book
(contents lists, title pages, plays, illustration markers, parts), not its words.
"""

from pathlib import Path

import pytest
from pydantic import ValidationError

from forewarn.config import read_toml
from forewarn.readers import read_path, read_text
from forewarn.readers.config import ReadersConfig, readers_config
from forewarn.readers.titlepage import tidy


def titles(work):
    return [c.title for c in work.chapters]


def paragraphs(work):
    return [work.text[p.start : p.end] for p in work.paragraphs]


def chapter_of(work, words):
    """The title of the chapter holding the paragraph that contains ``words``."""
    paragraph = next(p for p in work.paragraphs if words in work.text[p.start : p.end])
    return work.chapters[paragraph.chapter].title


def prose(subject: str, sentences: int = 8) -> str:
    """A paragraph of plain filler sentences about ``subject`` (chapters of a realistic length)."""
    return " ".join(f"The {subject} was there on day {n} as on every other day." for n in range(1, sentences + 1))


STORY = "The lamp burned low while the rain kept on against the shutters of the inn."

GUTENBERG = (
    "The Project Gutenberg eBook of The Night Ferry\n\n"
    "Title: The Night Ferry\n\nAuthor: Ada Quill\n\nLanguage: English\n\n"
    "*** START OF THE PROJECT GUTENBERG EBOOK THE NIGHT FERRY ***\n\n\n\n"
    "                THE NIGHT FERRY\n\n                     _by_\n\n                  Ada Quill\n\n"
    "            [Illustration: a boat at dusk]\n\n\n\n"
    "CONTENTS\n\n\n"
    "CHAPTER I\n                                        Page\n\n"
    "The Harbour Journal                              1\n\n"
    "CHAPTER II\n\nThe Harbour Journal                              14\n\n"
    "CHAPTER III\n\nA Letter from the Island                         26\n\n\n\n"
    "CHAPTER I\n\nTHE HARBOUR JOURNAL\n\n"
    f"{STORY}\n\nThe first mate counted the crates twice.\n\n"
    "CHAPTER II\n\nTHE HARBOUR JOURNAL--_continued_\n\n"
    "[Illustration: The pier at night]\n\nThe second night was calmer than the first.\n\n"
    "CHAPTER III\n\nA LETTER FROM THE ISLAND\n\nDear sister, the crossing went well.\n\n"
    "THE END\n\n\n\nTranscriber's Notes\n\nI I did not want=> I did not want {pg 2}\n\n"
    "*** END OF THE PROJECT GUTENBERG EBOOK THE NIGHT FERRY ***\n\nLicence text.\n"
)


def test_gutenberg_contents_list_is_not_chapters():
    work = read_text(GUTENBERG)
    assert work.source_format == "gutenberg"
    assert work.title == "The Night Ferry" and work.authors == ["Ada Quill"]
    assert titles(work) == [
        "CHAPTER I: THE HARBOUR JOURNAL",
        "CHAPTER II: THE HARBOUR JOURNAL--_continued_",
        "CHAPTER III: A LETTER FROM THE ISLAND",
    ]
    assert paragraphs(work)[0] == STORY
    assert chapter_of(work, "counted the crates") == "CHAPTER I: THE HARBOUR JOURNAL"


def test_illustrations_and_text_after_the_end_are_notes():
    work = read_text(GUTENBERG)
    story = " ".join(paragraphs(work))
    assert "Illustration" not in story and "did not want" not in story
    notes = {n.kind: work.text[n.start : n.end] for n in work.notes}
    assert notes["illustration"].startswith("[Illustration")
    assert any("did not want" in work.text[n.start : n.end] for n in work.notes if n.kind == "back-matter")
    assert paragraphs(work)[-1] == "Dear sister, the crossing went well."


def test_title_from_the_start_marker_when_there_is_no_title_line():
    text = (
        "*** START OF THE PROJECT GUTENBERG EBOOK THE SALT ROAD ***\n\n"
        "Chapter 1\n\nThe cart left before dawn.\n\nChapter 2\n\nIt came back after dark.\n"
    )
    assert read_text(text).title == "The Salt Road"


def test_numbered_start_marker_falls_back_to_the_title_page():
    text = (
        "*** START OF THE PROJECT GUTENBERG EBOOK 4321 ***\n\n"
        "The Salt Road\n\nby Tomas Vell\n\n\nContents\n\n\n STONES\n\n ASHES\n\n\n\n"
        "STONES\n\n\nThe cart left before dawn.\n\n\n\nASHES\n\n\nIt came back after dark.\n"
    )
    work = read_text(text)
    assert work.title == "The Salt Road" and work.authors == ["Tomas Vell"]


def test_title_line_keeps_only_the_title():
    text = (
        "Title: Harbour Lights, Complete\n        In Two Volumes\n\nAuthor: Ada Quill\n\n"
        "*** START OF THE PROJECT GUTENBERG EBOOK HARBOUR LIGHTS ***\n\n"
        "CHAPTER I\n\nThe lights came on one by one.\n"
    )
    assert read_text(text).title == "Harbour Lights"


@pytest.mark.parametrize(
    ("page", "title", "author"),
    [
        ("The Glass Orchard;\n\nor, the Patient Gardener\n\nby Mira Holt\n\n", "The Glass Orchard", "Mira Holt"),
        ("        THE GLASS ORCHARD\n\n                BY\n\n           MIRA HOLT\n\n", "The Glass Orchard", "Mira Holt"),
        ("      The Glass Orchard\n             by\n         Mira Holt\n\n", "The Glass Orchard", "Mira Holt"),
        ("          GLASS.\n           and\n         ORCHARD\n\n            by\n        Mira Holt,\n\n", "Glass and Orchard", "Mira Holt"),
        ("cover\n\nThe Glass Orchard\n\nA Quiet Tale\n\nFaithfully presented by\n\nMira Holt\n\n", "The Glass Orchard", "Mira Holt"),
    ],
)
def test_title_page_of_a_headerless_book(page, title, author):
    text = page + "\n\nCHAPTER I.\n\nThe orchard was planted in spring.\n\nCHAPTER II.\n\nIt grew.\n"
    work = read_text(text)
    assert (work.title, work.authors) == (title, [author])
    assert titles(work) == ["CHAPTER I", "CHAPTER II"]


def test_a_sentence_starting_with_by_is_not_a_title_page():
    text = (
        "The rain had stopped at last and the road was clear for a while.\n"
        "By the time we got home it was dark and the house was\n"
        "quiet, and nobody asked where we had been all afternoon.\n"
    )
    work = read_text(text)
    assert work.title is None and work.authors == []


def test_contents_block_then_chapters_with_subtitles():
    text = (
        "The Small Hours\n\nby Ren Obi\n\n\nContents\n\n"
        " CHAPTER I.     The Well\n CHAPTER II.    The Rope\n CHAPTER III.   The Bucket\n\n\n\n"
        "CHAPTER I.\nThe Well\n\nThe well was deep.\n\n"
        "CHAPTER II.\nThe Rope\n\nThe rope was short.\n\n"
        "CHAPTER III.\nThe Bucket\n\nThe bucket leaked.\n"
    )
    work = read_text(text)
    assert titles(work) == ["CHAPTER I: The Well", "CHAPTER II: The Rope", "CHAPTER III: The Bucket"]
    assert paragraphs(work) == ["The well was deep.", "The rope was short.", "The bucket leaked."]


PLAY = (
    "THE TRAGEDY OF TWO LANTERNS\n\nby Wil Marsh\n\n\nContents\n\n"
    "THE PROLOGUE.\n\nACT I\nScene I. A quay.\nScene II. A tavern.\n\n"
    "ACT II\nScene I. The quay again.\n\n\n"
    "Dramatis Personæ\n\nORLO, a ferryman.\nBESS, his sister.\nCHORUS.\n\n"
    "SCENE. A harbour town.\n\n\n"
    "THE PROLOGUE\n\n Enter Chorus.\n\nCHORUS.\nTwo lanterns swing above the quay,\nAnd one goes out before the day.\n\n\n"
    "ACT I\n\nSCENE I. A quay.\n\n Enter Orlo and Bess.\n\nORLO.\nThe tide is turning, sister.\n\n"
    "BESS.\nThen let it turn without us.\n\n"
    "SCENE II. A tavern.\n\n Enter Orlo.\n\nORLO.\nA cup of something warm, good host.\n\n\n"
    "ACT II\n\n Enter Chorus.\n\nCHORUS.\nNow the second lantern sways,\nAnd every sailor counts the days\n"
    "Until the ferry brings him home\nAcross the cold and silver foam.\n\n"
    "SCENE I. The quay again.\n\n Enter Bess.\n\nBESS.\nThe boat is back, and so is he.\n"
)


def test_play_has_prologue_acts_and_scenes_not_its_contents_or_cast():
    work = read_text(PLAY)
    assert work.title == "The Tragedy of Two Lanterns" and work.authors == ["Wil Marsh"]
    assert titles(work) == [
        "THE PROLOGUE",
        "ACT I, SCENE I. A quay",
        "ACT I, SCENE II. A tavern",
        "ACT II",
        "ACT II, SCENE I. The quay again",
    ]
    story = " ".join(paragraphs(work))
    assert "ferryman" not in story and "harbour town" not in story
    assert chapter_of(work, "Now the second lantern sways") == "ACT II"


def test_acts_without_scenes_are_the_chapters():
    text = (
        "A Paper House\n\nby Lena Stav\n\nContents\n\n ACT I.\n ACT II.\n DRAMATIS PERSONAE\n\n"
        "Anna, a clerk.\nPeter, her brother.\n\n\n"
        "ACT I\n\n(A plain room. Winter.)\n\nANNA. Close the door, it is cold.\n\n"
        "ACT II\n\n(The same room. Spring.)\n\nPETER. Open the window, it is warm.\n"
    )
    work = read_text(text)
    assert titles(work) == ["ACT I", "ACT II"]
    assert "Anna, a clerk." not in paragraphs(work)


def test_roman_numeral_chapters_after_an_untitled_opening():
    numerals = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI"]
    contents = "\n".join(f" {n}" for n in numerals)
    body = "".join(f"\n\n\n{n}\n\nThe tale goes on, section {n}.\n" for n in numerals)
    text = f"The Quiet Stair\n\nby Hal Brenn\n\n\nContents\n\n THE QUIET STAIR\n{contents}\n\n\n" + (
        prose("fire", 20) + "\n" + body
    )
    work = read_text(text)
    assert titles(work) == [""] + numerals
    assert chapter_of(work, "section X.") == "X"  # "X" after "IX" is a chapter, not an xXx scene break


def test_a_lone_x_between_paragraphs_is_still_a_scene_break():
    work = read_text("Chapter 1\n\nThe sun rose.\n\nX\n\nThe sun set.\n")
    assert titles(work) == ["Chapter 1"]
    assert [p.scene for p in work.paragraphs] == [0, 1]


def test_numbered_list_inside_worded_chapters_is_story():
    chapters = "".join(
        f"CHAPTER {n}. The {word}.\n\nThe crew talked about the {word} at length.\n\n"
        for n, word in [(1, "Net"), (2, "Oar")]
    )
    text = chapters + (
        "CHAPTER 3. The Rules.\n\nThe rules were two.\n\n"
        "I. A boat tied to the pier belongs to the pier.\n\n"
        "II. A loose boat is anybody's boat.\n\nSo they said.\n"
    )
    work = read_text(text)
    assert titles(work) == ["CHAPTER 1. The Net", "CHAPTER 2. The Oar", "CHAPTER 3. The Rules"]
    assert "II. A loose boat is anybody's boat." in paragraphs(work)


def test_numeral_titles_with_abbreviations():
    text = "I. THE RIVER\n\nThe river ran.\n\nII. MR. OTTER\n\nThe otter swam.\n\nIII. THE ROAD\n\nThe road wound.\n"
    assert titles(read_text(text)) == ["I. THE RIVER", "II. MR. OTTER", "III. THE ROAD"]


def test_book_one_parts_enclose_their_chapters():
    text = (
        "          The Glass House\n\n                BY\n\n           NORA VALE\n\n\n\n"
        "BOOK ONE\n\n\nChapter 1\n\nThe house stood on the hill.\n\nChapter 2\n\nIts windows faced the sea.\n\n\n"
        "BOOK TWO\n\n\nChapter 1\n\nWinter came early that year.\n"
    )
    work = read_text(text)
    assert work.title == "The Glass House" and work.authors == ["Nora Vale"]
    assert titles(work) == ["BOOK ONE, Chapter 1", "BOOK ONE, Chapter 2", "BOOK TWO, Chapter 1"]


def test_phase_subtitle_after_several_blank_lines():
    text = (
        "Phase the First:\n\n\n\n\nThe Maiden\n\n\nI\n\nShe walked to the fair.\n\nII\n\nShe walked home.\n\n"
        "Phase the Second:\n\n\n\n\nThe Return\n\n\nIII\n\nShe came back.\n"
    )
    work = read_text(text)
    assert titles(work) == ["Phase the First, I", "Phase the First, II", "Phase the Second, III"]
    assert "The Maiden" not in paragraphs(work)


def test_a_division_title_page_is_no_chapter():
    text = (
        f"\n\n\nTHE FERRY.\n\n\n\nCHAPTER I\n\n{prose('ferry')}\n\nCHAPTER II\n\n{prose('harbour')}\n\n\n\n"
        "THE MILLER'S SON.\n\nCopyright, 1900, by A Small Press.\n\n\n\n"
        f"CHAPTER I\n\n{prose('mill')}\n\nCHAPTER II\n\n{prose('son')}\n\n\n\n"
        "THE LAMP.\n\nThe lamp was lit at dusk.\n"
    )
    work = read_text(text)
    assert titles(work) == [
        "THE FERRY, CHAPTER I",
        "THE FERRY, CHAPTER II",
        "THE MILLER'S SON, CHAPTER I",
        "THE MILLER'S SON, CHAPTER II",
        "THE LAMP",
    ]
    assert "Copyright, 1900, by A Small Press." not in paragraphs(work)


def test_preface_is_front_matter():
    preface = "This short note explains how the tale came to be printed. " * 20
    text = f"Explanatory Note to the First Edition\n\n{preface}\n\nCHAPTER I\n\nThe tale begins.\n"
    work = read_text(text)
    assert titles(work) == ["CHAPTER I"] and paragraphs(work) == ["The tale begins."]


@pytest.mark.parametrize(
    ("raw", "tidied"),
    [("MOBY-DICK;", "Moby-Dick"), ("THE TRAGEDY OF ROMEO AND JULIET", "The Tragedy of Romeo and Juliet"),
     ("_Virginia Woolf_", "Virginia Woolf"), ("Jane Austen,", "Jane Austen"), ("Tess of the d’Urbervilles", "Tess of the d’Urbervilles")],
)
def test_tidy_names(raw, tidied):
    assert tidy(raw) == tidied


def test_readers_toml_rejects_unknown_keys():
    data = read_toml("readers.toml")
    ReadersConfig.model_validate(data)
    data["text"]["heading_max_char"] = 80
    with pytest.raises(ValidationError, match="heading_max_char"):
        ReadersConfig.model_validate(data)


def test_readers_toml_rejects_a_bad_heading_kind():
    data = read_toml("readers.toml")
    data["text"]["headings"][0]["kind"] = "chapterr"
    with pytest.raises(ValidationError):
        ReadersConfig.model_validate(data)
    assert readers_config().text.headings[0].kind == "volume"


BOOKS = Path(__file__).resolve().parents[2] / "shared" / "data" / "books" / "texts"


@pytest.mark.skipif(not BOOKS.is_dir(), reason="../shared/data/books not present")
@pytest.mark.parametrize(
    ("pgid", "title", "author", "count", "first"),
    [
        ("345", "Dracula", "Bram Stoker", 27, "CHAPTER I: JONATHAN HARKER'S JOURNAL"),
        ("1513", "The Tragedy of Romeo and Juliet", "William Shakespeare", 26, "THE PROLOGUE"),
        ("84", "Frankenstein", "Mary Wollstonecraft (Godwin) Shelley", 28, "Letter 1"),
    ],
)
def test_real_books(pgid, title, author, count, first):
    work = read_path(BOOKS / f"{pgid}.txt")
    assert (work.title, work.authors, len(work.chapters)) == (title, [author], count)
    assert work.chapters[0].title.startswith(first)


def test_fanfic_text_title_page_gives_title_and_author():
    work = read_text("Lanterns at Low Tide\n\nby QuietGull\n\nChapter 1\n\nThe tide went out.\n\nChapter 2\n\nIt came in.\n")
    assert (work.title, work.authors) == ("Lanterns at Low Tide", ["QuietGull"])
    assert titles(work) == ["Chapter 1", "Chapter 2"]


ILLUSTRATED = (
    "                [Illustration:\n\n                 A SMALL PRESS\n                  PUBLISHER\n\n"
    "                12 LANTERN LANE\n                       ]\n\n\n\n"
    "                   LANTERN.\n                     and\n                   LEDGER\n\n"
    "                     by\n                 Ada Quill,\n\n"
    "         [Illustration: 1901\n\n         [_Copyright 1901 by A Small Press._]]\n\n\n\n"
    "[Illustration: ·LANTERN AND LEDGER·\n\n\n\n\nChapter I.]\n\n\n"
    f"{prose('lantern')}\n\n"
    "CHAPTER II.\n\n\n[Illustration]\n\n\n"
    f"{prose('ledger')}\n\n"
    "                         [Illustration:\n\n                              THE\n                              END\n"
    "                               ]\n\n\n\nList of errata\n\nI. ledgr -> ledger\n"
)


def test_illustrated_edition_heading_drawn_into_an_illustration():
    work = read_text(ILLUSTRATED)
    assert (work.title, work.authors) == ("Lantern and Ledger", ["Ada Quill"])
    assert titles(work) == ["Chapter I", "CHAPTER II"]
    assert paragraphs(work) == [prose("lantern"), prose("ledger")]
    kinds = [n.kind for n in work.notes]
    assert "illustration" in kinds and "back-matter" in kinds


def test_first_act_headings():
    text = (
        "FIRST ACT\n\nSCENE\n\nA small parlour.\n\nMARA. Is the kettle on?\n\n"
        "SECOND ACT\n\nSCENE\n\nA garden.\n\nJON. The roses are early.\n"
    )
    assert [t.split(":")[0] for t in titles(read_text(text))] == ["FIRST ACT", "SECOND ACT"]
    assert titles(read_text("The first act was long.\n\nFirst act\n\nIt ended.\n")) == [""]


def test_collection_of_numbered_stories_with_numbered_parts():
    text = (
        "Three Cases\n\nby Ada Quill\n\n\nContents\n\n"
        "   I.     The Lantern Case\n   II.    The Ledger Case\n   III.   The Last Case\n\n\n"
        f"I. THE LANTERN CASE\n\n\nI.\n\n\n{prose('lantern')}\n\nII.\n\n\n{prose('wick')}\n\n\n\n"
        f"II. THE LEDGER CASE\n\n\n{prose('ledger')}\n\n\n\n"
        f"III. THE LAST CASE\n\n\n{prose('case')}\n"
    )
    assert titles(read_text(text)) == [
        "I. THE LANTERN CASE, I",
        "I. THE LANTERN CASE, II",
        "II. THE LEDGER CASE",
        "III. THE LAST CASE",
    ]
