from dataclasses import replace

from forewarn.detectors.base import CueSpan, Evidence, Explanation
from forewarn.stages.assess import AssessSettings, assess, quote
from forewarn.stages.segment import segment

from .conftest import build_work

SETTINGS = AssessSettings(
    default_threshold=0.5, thresholds={"strong-language": 0.8}, merge_gap_paragraphs=1,
    prolonged_passages=3, prolonged_categories=frozenset({"violence"}), quote_chars=40,
    single_passage_score=0.8, min_passages=2, short_work_passages=2,
)


def _work():
    return build_work([[f"Paragraph {i} of the first chapter." for i in range(10)],
                       [f"Paragraph {i} of the second chapter." for i in range(10)]])


def _passage_of_paragraph(passages, paragraph):
    return next(p for p in passages if p.paragraph_start <= paragraph <= p.paragraph_end)


def test_below_threshold_evidence_is_not_a_finding():
    work = _work()
    passages = segment(work)
    evidence = [Evidence("death", 0.49, 0, "t", "depicted"), Evidence("strong-language", 0.7, 0, "t")]
    assert assess(work, passages, evidence, settings=SETTINGS) == []


def test_a_work_needs_one_strong_passage_or_several_moderate_ones():
    work = _work()
    passages = segment(work)
    one_moderate = [Evidence("death", 0.7, 0, "t", "depicted")]
    assert assess(work, passages, one_moderate, settings=SETTINGS) == []
    one_strong = [Evidence("death", 0.85, 0, "t", "depicted")]
    assert [f.category for f in assess(work, passages, one_strong, settings=SETTINGS)] == ["death"]
    two_moderate = one_moderate + [Evidence("death", 0.6, 1, "t", "mentioned")]
    assert [f.category for f in assess(work, passages, two_moderate, settings=SETTINGS)] == ["death"]
    same_passage_twice = one_moderate + [Evidence("death", 0.6, 0, "u", "mentioned")]
    assert assess(work, passages, same_passage_twice, settings=SETTINGS) == []


def test_in_a_short_work_one_passage_at_threshold_is_enough():
    work = _work()
    passages = segment(work)
    one_moderate = [Evidence("death", 0.7, 0, "t", "depicted")]
    short = replace(SETTINGS, short_work_passages=len(passages) + 1)
    assert [f.category for f in assess(work, passages, one_moderate, settings=short)] == ["death"]


def test_neighbouring_passages_merge_and_far_ones_do_not():
    work = _work()
    passages = segment(work)
    assert len(passages) >= 2
    first = passages[0]
    second_chapter = next(p for p in passages if p.chapter == 1)
    evidence = [Evidence("death", 0.9, first.index, "a", "mentioned"),
                Evidence("death", 0.6, second_chapter.index, "b", "depicted")]
    [finding] = assess(work, passages, evidence, settings=SETTINGS)
    assert finding.category == "death"
    assert finding.severity == "depicted"
    assert [loc.chapter for loc in finding.locations] == [1, 2]
    assert finding.locations[1].detectors == ["b"]
    assert 0.9 < finding.confidence < 1


def test_prolonged_depicted_violence_becomes_graphic():
    work = build_work([[f"They fought on in the yard, round {i}, and again, and again." for i in range(40)]])
    passages = segment(work)
    evidence = [Evidence("violence", 0.8, p.index, "t", "depicted") for p in passages[:3]]
    [finding] = assess(work, passages, evidence, settings=SETTINGS)
    assert len(finding.locations) == 1
    assert finding.severity == "graphic"


def test_quotes_only_with_spoilers_and_explanations_only_with_explain():
    work = _work()
    passages = segment(work)
    cue = work.text.index("Paragraph 3 of the first")
    evidence = [Evidence("death", 0.9, _passage_of_paragraph(passages, 3).index, "t", "depicted",
                         (CueSpan(cue, cue + 9, "x"),), (Explanation("t", "because", 0.9, ((cue, cue + 9),)),))]
    [plain] = assess(work, passages, evidence, settings=SETTINGS)
    assert plain.locations[0].quote is None and plain.locations[0].explanation is None
    [spoiled] = assess(work, passages, evidence, spoilers=True, explain=True, settings=SETTINGS)
    assert spoiled.locations[0].quote == "Paragraph 3 of the first chapter."
    assert spoiled.locations[0].explanation == "because"
    [reason] = spoiled.locations[0].reasons
    assert (reason.detector, reason.rule, reason.score, reason.spans) == ("t", "because", 0.9, [(cue, cue + 9)])
    assert plain.locations[0].reasons is None and "reasons" not in plain.locations[0].model_dump_json()


def test_quote_is_shortened():
    text = "Short one. " + "A very long sentence " * 10 + "ends here."
    quoted = quote(text, (11, len(text)), 40)
    assert len(quoted) == 40 and quoted.endswith("…")


def test_quote_is_the_passage_sentence_and_spans_hard_wrapped_lines_but_not_paragraphs():
    work = build_work([["Title", "The old man walked\nslowly home. Then he slept."]])
    [passage] = segment(work)
    sentence = passage.sentence_at(work.text.index("slowly"))
    assert quote(work.text, sentence, 100) == "The old man walked slowly home."
