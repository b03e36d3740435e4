from forewarn.documents.report import Declared, Finding, Location
from forewarn.stages.characters import main_characters
from forewarn.stages.ratings import suggest, under_warnings
from forewarn.stages.segment import segment

from .conftest import build_work

WORK = build_work([["Mara and Tom walked home. Mara laughed at Tom. Tom smiled at Mara."] * 4,
                   ["That winter Tom died in the hospital, and Mara stayed by the window."],
                   ["The old neighbour died that spring. Mara and Tom sent flowers."]])
MAIN = main_characters(WORK, segment(WORK))


def _finding(category, severity, chapter=1, start=0, end=10):
    return Finding(category=category, group="g", name=category.replace("-", " ").title(), severity=severity,
                   confidence=0.9, locations=[Location(chapter=chapter, scene=1, paragraph_start=0, paragraph_end=0,
                                                       char_start=start, char_end=end, position=0.5,
                                                       severity=severity)])


def test_nothing_found_is_general_and_k():
    suggested = suggest([], WORK, MAIN)
    assert (suggested.ao3_rating, suggested.ffn_rating) == ("General Audiences", "K")
    assert suggested.ao3_warnings == ["No Archive Warnings Apply"]


def test_explicit_sex_is_explicit_and_m():
    suggested = suggest([_finding("sexual-content", "graphic")], WORK, MAIN)
    assert (suggested.ao3_rating, suggested.ffn_rating) == ("Explicit", "M")


def test_depicted_self_harm_is_mature_and_graphic_violence_warns():
    suggested = suggest([_finding("self-harm", "depicted"), _finding("violence", "graphic")], WORK, MAIN)
    assert suggested.ao3_rating == "Mature"
    assert suggested.ao3_warnings == ["Graphic Depictions Of Violence"]


def test_strong_language_is_teen():
    assert suggest([_finding("strong-language", "mentioned")], WORK, MAIN).ffn_rating == "T"


def test_major_character_death_needs_a_main_character_tied_to_the_death():
    chapter_two, chapter_three = WORK.chapters[1], WORK.chapters[2]
    named = _finding("death", "depicted", 2, chapter_two.start, chapter_two.end)
    assert "Major Character Death" in suggest([named], WORK, MAIN).ao3_warnings
    someone_else = _finding("death", "depicted", 3, chapter_three.start, chapter_three.end)
    assert "Major Character Death" not in suggest([someone_else], WORK, MAIN).ao3_warnings


def test_under_warning_for_rating_and_undeclared_category():
    findings = [_finding("self-harm", "graphic", 3)]
    suggested = suggest(findings, WORK, MAIN)
    notes = under_warnings(findings, suggested, Declared(rating="T", warnings=["No Archive Warnings Apply"]))
    text = " ".join(n.note for n in notes)
    assert "rated T" in text and "Mature" in text
    assert "Graphic Depictions Of Violence" in text
    assert all(n.category == "self-harm" for n in notes)


def test_no_under_warning_when_author_warned_or_declared_nothing():
    findings = [_finding("self-harm", "depicted")]
    suggested = suggest(findings, WORK, MAIN)
    assert under_warnings(findings, suggested, Declared()) == []
    warned = Declared(rating="Mature", warnings=["No Archive Warnings Apply"], tags=["Self-Harm"])
    assert under_warnings(findings, suggested, warned) == []


def test_chose_not_to_warn_is_named_politely():
    findings = [_finding("suicide", "depicted", 5)]
    suggested = suggest(findings, WORK, MAIN)
    notes = under_warnings(findings, suggested, Declared(rating="Mature", chose_not_to_warn=True))
    assert len(notes) == 1
    assert notes[0].note.startswith("The author chose not to use archive warnings")
    assert notes[0].kind == "category"


def test_main_characters_are_counted_over_the_passage_sentences_not_sentence_starts():
    work = build_work([["Rain fell. Rain fell again. Then Mara saw Tom, and Tom saw Mara. Mara waved at Tom."] * 3])
    assert main_characters(work, segment(work)) == {"Mara", "Tom"}
