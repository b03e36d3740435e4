from forewarn.documents.sentences import sentence_spans
from forewarn.stages.segment import MAX_WORDS, segment

from .conftest import build_work


def test_sentence_spans_split_on_end_punctuation():
    text = 'She left. "Why?" he asked! Then nothing'
    spans = [text[a:b] for a, b in sentence_spans(text)]
    assert spans == ["She left.", '"Why?"', "he asked!", "Then nothing"]


def test_passages_never_cross_scene_or_chapter_breaks():
    long_paragraph = " ".join(["The rain kept falling on the quiet town."] * 12)
    work = build_work([[long_paragraph, "***", "A new morning came."], ["Chapter two begins here."]])
    passages = segment(work)
    for passage in passages:
        first = work.paragraphs[passage.paragraph_start]
        last = work.paragraphs[passage.paragraph_end]
        assert (first.chapter, first.scene) == (last.chapter, last.scene)
        assert work.text[passage.start:passage.end] == passage.text
    assert {p.chapter for p in passages} == {0, 1}


def test_passages_are_bounded_even_without_punctuation():
    work = build_work([[" ".join(["word"] * 1000)]])
    passages = segment(work)
    assert all(len(p.text.split()) <= MAX_WORDS for p in passages)
    assert sum(len(p.text.split()) for p in passages) == 1000


def test_positions_increase_from_start_to_end():
    work = build_work([[f"Sentence number {i} is here." for i in range(200)]])
    positions = [p.position for p in segment(work)]
    assert positions == sorted(positions)
    assert positions[0] < 0.1 and positions[-1] > 0.9
