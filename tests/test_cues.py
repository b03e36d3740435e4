"""Tests for the cue detector: the categories it still covers fire on a plain positive, every category stays
silent on a near miss. Rules the labelled corpus showed to be noisy were removed
(benchmarks/corpus/cue_audit.py); the learned detector covers those categories (tests/test_detection.py)."""

from __future__ import annotations

import pytest

from forewarn.detectors.base import Detector, Passage
from forewarn.detectors.cue_rules import cue_book
from forewarn.detectors.cues import CueDetector
from forewarn.documents.work import WorkBuilder
from forewarn.stages.segment import segment
from forewarn.taxonomy import category_ids

THRESHOLD = 0.5


def _work(text: str):
    builder = WorkBuilder("text")
    for paragraph in text.split("\n\n"):
        builder.add_paragraph(paragraph)
    return builder.build()


def _evidence(text: str):
    work = _work(text)
    return work, CueDetector().detect(segment(work))


def _found(text: str) -> dict[str, str]:
    """Category -> severity hint, for categories scoring at least the default threshold."""
    _, evidence = _evidence(text)
    found: dict[str, str] = {}
    for item in evidence:
        if item.score >= THRESHOLD:
            found[item.category] = item.severity
    return found


# One short synthetic positive per category (strong-language needs frequent profanity). The cue detector
# still fires on those of CUE_POSITIVES; the default detectors must find those of LEARNED_POSITIVES.
POSITIVES = {
    "violence": "He punched the guard in the face and kicked him down the stairs.",
    "death": "Her grandfather died in his sleep that winter.",
    "child-death": "The little boy died of fever before morning.",
    "war": "The war dragged on, and the battlefield was covered with smoke and artillery fire.",
    "kidnapping": "Two men kidnapped the girl and held her for ransom.",
    "blood-gore": "Blood poured from the deep gash in his arm.",
    "animal-cruelty": "The farmer beat the old horse with a stick until it fell.",
    "self-harm": "That night she locked the bathroom door and cut herself again.",
    "suicide": "He killed himself in the spring.",
    "eating-disorder": "She had been anorexic since she was fifteen.",
    "addiction": "Her father was an alcoholic who drank himself to death.",
    "mental-illness": "He had a panic attack in the middle of the hallway.",
    "body-image": "She hated her body and called herself a fat pig.",
    "abuse": "Her husband hit her whenever he came home angry.",
    "child-abuse": "His stepfather beat him with a belt when he was a little boy.",
    "sexual-assault": "She was raped at a party the year before.",
    "incest": "The story is about an incestuous relationship.",
    "sexual-content": "They had sex in the back of the car.",
    "underage": "The book describes child pornography.",
    "racism": "The crowd shouted racial slurs at the family.",
    "homophobia": "He was the victim of a homophobic attack.",
    "transphobia": "Her classmates kept misgendering her on purpose.",
    "misogyny": "His misogyny showed in every remark.",
    "ableism": "They called him a retard and laughed.",
    "classism": "His mother said the girl was white trash.",
    "religious-hate": "The town was full of antisemitism.",
    "pregnancy": "She was pregnant with her second child.",
    "childbirth": "She went into labour at midnight and gave birth at dawn.",
    "miscarriage": "She had a miscarriage in the spring.",
    "abortion": "She decided to have an abortion.",
    "medical": "The surgeon began the operation on his leg.",
    "infidelity": "He had been cheating on his wife for a year.",
    "strong-language": "Fuck this. Fuck that shit. What the fuck is this shit? Shit, fuck, fuck.",
}

# One near miss per category: figurative, negated, other subject or old neutral sense.
NEAR_MISSES = {
    "violence": "She struck him as a kind man.",
    "death": "I'm dying to know what happens next.",
    "child-death": "She had a miscarriage in the spring.",
    "war": "A war of words broke out between the two teachers.",
    "kidnapping": "He kidnapped my sandwich for a joke.",
    "blood-gore": "It was in her blood to be curious.",
    "animal-cruelty": "I'm as sick as a dog today.",
    "self-harm": "She cut herself a slice of bread.",
    "suicide": "Wearing that would be social suicide.",
    "eating-disorder": "I'm starving, let's get lunch.",
    "addiction": "I'm totally addicted to coffee.",
    "mental-illness": "She was crazy about him.",
    "body-image": "Fat chance of that happening.",
    "abuse": "He abused the privilege of his position.",
    "child-abuse": "He beat his son at chess.",
    "sexual-assault": "It was a ravishing dress.",
    "incest": "She kissed her brother on the cheek and waved goodbye.",
    "sexual-content": "There was a long, pregnant pause.",
    "underage": "She was a minor character in the play.",
    "racism": "She wore a white dress and black shoes.",
    "homophobia": "How queer it was to find the door open.",
    "transphobia": "The translation was transported to the transit office.",
    "misogyny": "The two women talked about the weather.",
    "ableism": "The rain retarded the progress of the builders.",
    "classism": "The cat lay beneath the table.",
    "religious-hate": "They went to the synagogue on Saturday.",
    "pregnancy": "There was a long, pregnant pause.",
    "childbirth": "It was a labour of love.",
    "miscarriage": "It was a miscarriage of justice.",
    "abortion": "They had to abort the mission.",
    "medical": "The police operation was a success.",
    "infidelity": "He cheated at cards.",
    "strong-language": "Damn, that was close.",
}


# Categories whose positive relied only on rules the corpus showed to be noisy (removed).
PRUNED = {"child-death", "animal-cruelty", "self-harm", "eating-disorder", "addiction", "mental-illness",
          "body-image", "child-abuse", "underage", "ableism", "classism", "religious-hate", "childbirth"}
CUE_POSITIVES = sorted(set(POSITIVES) - PRUNED)


def test_cue_categories_are_taxonomy_ids_and_each_has_rules() -> None:
    ids = [category.id for category in cue_book().categories]
    assert set(ids) <= set(category_ids()) and len(ids) == len(set(ids))
    assert all(category.rules for category in cue_book().categories)
    assert {"suicide", "violence", "sexual-content", "strong-language"} <= set(ids)


def test_implements_detector_protocol() -> None:
    detector = CueDetector()
    assert isinstance(detector, Detector)
    assert detector.name == "cues" and detector.version


@pytest.mark.parametrize("category", CUE_POSITIVES)
def test_positive_fires(category: str) -> None:
    assert category in _found(POSITIVES[category])


@pytest.mark.parametrize("category", sorted(NEAR_MISSES))
def test_near_miss_stays_silent(category: str) -> None:
    assert category not in _found(NEAR_MISSES[category])


def test_tests_cover_all_categories() -> None:
    assert set(POSITIVES) == set(NEAR_MISSES) == set(category_ids())


def test_negation_cancels_cue() -> None:
    assert "suicide" not in _found("He didn't kill himself that night.")
    assert "death" not in _found("No one died that day.")
    assert "death" not in _found("He wasn't dead after all.")
    assert "suicide" in _found("He killed himself that night.")


def test_figurative_use_is_ignored() -> None:
    found = _found("I could kill for a coffee. I'm dying to know. My heart shattered. She was bored to death.")
    assert not found


def test_died_by_suicide_is_suicide_not_self_harm() -> None:
    found = _found("Her brother died by suicide last year.")
    assert "suicide" in found
    assert "self-harm" not in found


def test_self_harm_passage_gives_no_suicide_or_death() -> None:
    text = (
        "She pulled her sleeve down over the fresh cuts. She had cut herself again last night, "
        "pressing the razor into her arm until it stung. Nobody noticed the scars on her wrists."
    )
    _, evidence = _evidence(text)
    categories = {item.category for item in evidence}
    assert "self-harm" in categories
    assert not categories & {"suicide", "death"}


def test_dog_dying_is_animal_cruelty_not_death() -> None:
    found = _found("The dog died in the night.")
    assert "animal-cruelty" in found
    assert "death" not in found


def test_miscarriage_is_not_child_death() -> None:
    found = _found("She lost the baby at four months; the miscarriage left her empty.")
    assert "miscarriage" in found
    assert "child-death" not in found


def test_severity_mentioned_depicted_graphic() -> None:
    assert _found("Her mother had died years ago.")["death"] == "mentioned"
    assert _found("He punched the guard in the face and kicked him down the stairs.")["violence"] == "depicted"
    graphic = ("He punched the guard again and again, and blood gushed from the wound as his skull cracked; "
               "he kicked him until the bone showed.")
    assert _found(graphic)["violence"] == "graphic"


def test_spans_point_at_cue_in_work_text() -> None:
    work, evidence = _evidence("A quiet start.\n\nLater that year her uncle died in the war.")
    death = next(item for item in evidence if item.category == "death")
    assert [work.text[c.start : c.end] for c in death.cues] == ["died"]
    assert death.detector == "cues"
    assert death.explanation


def test_hard_wrapped_lines_match_multi_word_cues() -> None:
    assert "suicide" in _found("In the end he took his own\nlife in the spring.")


def test_strong_language_needs_frequent_profanity() -> None:
    filler = " ".join(["The road ran on past the fields."] * 400)
    assert "strong-language" not in _found(filler + " Fuck.")
    assert "strong-language" in _found(POSITIVES["strong-language"])


def test_scores_are_probabilities_and_passage_indices_valid() -> None:
    text = "\n\n".join(POSITIVES.values())
    work = _work(text)
    passages = segment(work)
    for item in CueDetector().detect(passages):
        assert 0.0 <= item.score <= 1.0
        assert 0 <= item.passage < len(passages)
        assert item.severity in ("mentioned", "depicted", "graphic")


def test_empty_input_gives_no_evidence() -> None:
    assert CueDetector().detect([]) == []
    blank = Passage(0, "", 0, 0, 0, 0, 0, 0, 0.0)
    assert CueDetector().detect([blank]) == []


# Fan-fiction figures of speech and threats that are not a death, a killing or violence.
FIC_FIGURATIVE = [
    "You're going to be the death of me with all this complaining.",
    "If you tell anyone I fell asleep in lecture, you're a dead man.",
    "If you die, I'll kill you, Alex said, and Jamie laughed.",
    "My mom is going to kill me when she sees the grade.",
    "The exam was going to be murder, but at least we had a plan.",
    "Say that again and I'll murder you. I'm going to kill you in your sleep.",
    "The old oak in the yard finally died in the storm.",
    "The storm killed the power at nine, so we lit candles.",
]


@pytest.mark.parametrize("sentence", FIC_FIGURATIVE)
def test_fic_figures_and_threats_are_not_death_or_violence(sentence: str) -> None:
    found = _found(sentence)
    assert "death" not in found and "violence" not in found


def test_real_killing_still_counts_next_to_a_threat() -> None:
    assert "violence" in _found("\"I'll kill you,\" he snarled, and then he stabbed the guard twice.")
    assert "violence" in _found("He killed her in the kitchen and ran.")


def test_scars_alone_are_not_blood_or_gore() -> None:
    evidence = _evidence("She pushed up her sleeve; the old scars on her forearm showed, pale lines.")[1]
    assert not [e for e in evidence if e.category == "blood-gore"]


def test_implicit_suicide_methods_give_evidence() -> None:
    assert "suicide" in _found("He opened the window and flung himself violently down onto the area railings.")
    _, gas = _evidence("He stuffed his coat along the crack under the door. He turned the gas on again, "
                       "but applied no match, and lay down.")
    assert any(e.category == "suicide" and e.score >= 0.4 for e in gas)
    _, poison = _evidence("On the table stood a glass of poison. She took the glass and drank off the remainder.")
    assert any(e.category == "suicide" and e.score >= 0.25 for e in poison)
    assert "suicide" in _found("He resolved to put an end to himself that night.")


def test_jumping_in_to_save_someone_is_not_suicide() -> None:
    _, evidence = _evidence("She threw herself into the river to save the drowning boy.")
    assert not [e for e in evidence if e.category == "suicide"]


# Version 1.2 rules: (category, positive that fires, near miss that stays silent).
RULES_1_2 = [
    ("abuse", "Her husband came home drunk. He grabbed her by the hair and dragged her across the kitchen.",
     "Her husband came home late. They argued about money, then he apologised and made her tea."),
    ("infidelity", "She had been deceiving her husband for months with a man from work.",
     "He was cheating at cards again, and his girlfriend laughed at his terrible poker face."),
    ("kidnapping", "The men seized the girl in the street and carried her off in a sack.",
     "A short illness carried her off after a long winter."),
    ("kidnapping", "For three weeks he kept her prisoner in the cellar.",
     "I'm kidnapping your phone, she said, and ran off laughing with it."),
    ("war", "The cavalry charged, and the regiment fell under the cannon and the bayonets of the enemy.",
     "The council meeting was a war of words, and the mayor fired back at every attack on the budget."),
    ("war", "The infantry opened fire, and the enemy columns were cut down by the artillery.",
     "In history class they read about the cavalry and the cannon at Waterloo, and half the class fell asleep."),
    ("sexual-assault", "She said no twice, but he would not stop and forced her to undress.",
     "He pinned her down and tickled her until she begged for mercy, both of them laughing."),
    ("animal-cruelty", "The cat struck the wall, breaking its spine, and dragged itself along the gutter.",
     "Her first riding lesson was on a patient grey mare, and she brushed the horse down afterwards."),
    ("animal-cruelty", "The boy was hanging a litter of puppies from the banister.",
     "The boy was playing with a litter of puppies on the rug."),
    ("addiction", "Ever since the funeral he had taken to drink, and he drank himself into a stupor every night.",
     "They had two drinks at the party and switched to lemonade."),
    ("eating-disorder", "She hadn't eaten in three days, on purpose, because the scale said she was too fat.",
     "He hadn't eaten in three days because he was lost in the mountains."),
    ("self-harm", "He had been sh-free for two months, but the urge to cut was back.",
     "Sh, it's okay, she whispered, and the urge to laugh passed."),
    ("sexual-content", "He slid two fingers inside her and she arched against the sheets.",
     "They held hands, kissed, cuddled on the sofa and slept in the same bed."),
]


@pytest.mark.parametrize(("category", "positive", "near_miss"), RULES_1_2)
def test_rules_1_2_fire_and_stay_silent(category: str, positive: str, near_miss: str) -> None:
    assert category in _found(positive)
    assert category not in _found(near_miss)


def test_burning_oneself_with_a_lighter_is_self_harm_not_suicide() -> None:
    found = _found("He burned himself with a lighter, hating himself for it.")
    assert "self-harm" in found
    assert "suicide" not in found and "death" not in found


def test_hypothetical_killing_and_an_intensifying_herself_are_not_violence_or_suicide() -> None:
    found = _found("She said it would only kill me if I didn't learn. She could have even killed me herself.")
    assert "violence" not in found
    assert "suicide" not in found
    assert "suicide" in _found("That winter he shot himself in the barn.")


@pytest.mark.parametrize("text", [
    "I-If you kill me in front of my lord you're a dead man.",
    "You'll be executed, if he doesn't just kill you where you stand.",
    "He really must be dying, she thought, but the healer only smiled.",
    "We'll need to cut this doublet off to see the wound.",
    "She stared at his still face while he slept.",
])
def test_threats_guesses_and_everyday_cutting_are_not_death_or_self_harm(text: str) -> None:
    found = _found(text)
    assert not {"death", "self-harm", "suicide"} & set(found), found
    assert found.get("violence") != "depicted"


@pytest.mark.parametrize("text, category", [
    ("Careful, Jacob told him, laughing a bit himself.", "self-harm"),
    ("He waited at the flat like a lonely dog while Sherlock was shooting holes in the wall.", "animal-cruelty"),
    ("Sherlock's arms are so thin, they fit easily in John's hands.", "body-image"),
    ("Well, there goes Plan B.", "abortion"),
])
def test_everyday_phrases_are_not_findings(text: str, category: str) -> None:
    assert category not in _found(text)


def test_naming_a_category_is_a_mention_not_a_depiction() -> None:
    assert _found("The headline read: Gay Men, Molest Here?").get("sexual-assault") in (None, "mentioned")
    assert _found("The police were investigating the three linked suicides.").get("suicide") == "mentioned"


def _categories(text: str) -> set[str]:
    """Every category with any cue evidence at all, however weak."""
    return {e.category for e in _evidence(text)[1]}


# Everyday modern (fan-fiction) phrases once flagged, each with the category it was wrongly in.
EVERYDAY_FIC = [
    ("Rey had murdered that exam, and she was celebrating with a latte.", "violence"),
    ("She stabbed the brownie with a plastic fork and moaned.", "violence"),
    ("Mom stabbed her steak with great dignity.", "violence"),
    ("Mom stabbed her steak with great dignity.", "blood-gore"),
    ("Ben laughed, a strangled laugh that turned into a cough.", "violence"),
    ("Hit me up if you want another one.", "violence"),
    ("Her heart was beating like a drum.", "violence"),
    ("Strong legs. Steady hands. A beating heart.", "violence"),
    ("Rey was dying of laughter by the time he recovered.", "death"),
    ("Priya executed her famous plan: one question each, rapid fire.", "death"),
    ("The plot twist killed me.", "violence"),
    ("This heat is killing me.", "violence"),
    ("The teacher handed back the exams and I bombed mine.", "war"),
    ("Stop torturing me with these spoilers!", "violence"),
    ("He tortured himself with the question all night.", "violence"),
    ("The tent fought her every step of the way.", "violence"),
    ("She hit her head on the cupboard door and swore.", "violence"),
    ("My brother tackled me onto the couch and we wrestled like kids.", "violence"),
    ("The kids were beating each other with pool noodles.", "child-abuse"),
    ("The kids were beating each other with pool noodles.", "violence"),
    ("The baby was kicking all night and Lena couldn't sleep.", "child-abuse"),
    ("He buried his face in her neck and breathed her in.", "death"),
    ("His teammates buried him in a pile on the grass.", "death"),
    ("She wrote her number in purple ink that bled into the paper.", "blood-gore"),
    ("Amara drew blood for a routine test and put a plaster on his arm.", "blood-gore"),
    ("Marcus was OCD about his color-coded notes.", "mental-illness"),
    ("I'm so addicted to this show, I watched six episodes last night.", "addiction"),
    ("The sun was high over the training yard.", "addiction"),
    ("The stakes were high and the crowd was loud.", "addiction"),
    ("He smashed the vase against the floor in frustration.", "addiction"),
    ("We wasted no time getting to the beach.", "addiction"),
    ("The drunk text he sent at 2am was mortifying.", "addiction"),
]


@pytest.mark.parametrize(("text", "category"), EVERYDAY_FIC)
def test_everyday_fic_phrases_give_no_evidence(text: str, category: str) -> None:
    assert category not in _categories(text)


@pytest.mark.parametrize(("text", "category"), [
    ("He stabbed her with a kitchen knife.", "violence"),
    ("They buried her husband on a grey Tuesday.", "death"),
    ("We got completely wasted at the party and he threw up in the cab.", "addiction"),
])
def test_literal_uses_next_to_the_figures_still_count(text: str, category: str) -> None:
    assert category in _categories(text)


def test_hospital_setting_words_alone_are_not_graphic() -> None:
    text = ("Nurse Amara checked the patient's IV. The ward was quiet. Mr. Okafor was recovering from knee "
            "surgery in the hospital, the doctor said, and the nurse brought his medication.")
    assert _found(text).get("medical") == "depicted"


def test_underage_needs_an_age_not_just_a_child_or_a_thrusting_gable() -> None:
    text = ("A sinister block of building thrust forward its gable on the street. "
            "A child ran past, and the man trampled calmly over her.")
    assert "underage" not in _found(text)
    assert "underage" not in _found("He had a minor injury and was naked in the shower.")
