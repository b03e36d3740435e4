"""The learned detector: offline loading, the thresholds file, scores and evidence."""

from __future__ import annotations

import socket
import subprocess
import sys

import numpy as np
import pytest

from forewarn.detectors import learned
from forewarn.detectors.base import Passage
from forewarn.config import ConfigError, LearnedFile, validate_config
from forewarn.taxonomy import SEVERITIES, category_ids


@pytest.fixture(scope="session")
def detector() -> learned.LearnedDetector:
    return learned.shared_detector()


def _passages(*texts: str) -> list[Passage]:
    return [Passage(i, t, 0, len(t), 0, 0, i, i, 0.5) for i, t in enumerate(texts)]


def test_model_loads_with_network_disabled(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = learned.Encoder()
    vectors = encoder.encode(["The rain fell on the quiet village."])
    assert vectors.shape == (1, encoder.dimension)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-3)


def test_runtime_never_imports_torch_or_transformers():
    code = (
        "import sys; from forewarn.detectors.learned import LearnedDetector;"
        "LearnedDetector().probabilities(['a short line']);"
        "bad=[m for m in ('torch','transformers','sentence_transformers','sklearn') if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_model_files_ship_inside_the_package():
    for name in (learned.ENCODER_FILE, learned.TOKENIZER_FILE, learned.HEADS_FILE, learned.WORDS_FILE):
        assert (learned.models_dir() / name).is_file()


def test_every_category_has_a_probability_threshold():
    settings = learned.load_settings()
    assert set(settings.thresholds) == set(category_ids())
    assert all(0.0 < value < 1.0 for value in settings.thresholds.values())


@pytest.mark.parametrize("thresholds, message", [
    ({**{c: 0.5 for c in category_ids()}, "not-a-category": 0.5}, "not-a-category"),
    ({c: 0.5 for c in category_ids() if c != "suicide"}, "suicide"),
])
def test_thresholds_file_with_unknown_or_missing_category_is_refused(thresholds, message):
    fake = {"max_tokens": 256, "batch_size": 8, "full_read_words": 1000, "report_floor": 0.3,
            "first_stage": 0.5, "thresholds": thresholds}
    with pytest.raises(ConfigError, match=f"learned.toml: .*{message}"):
        validate_config(LearnedFile, fake, "learned.toml")


def test_write_thresholds_replaces_the_first_stage_and_the_table_only(tmp_path):
    path = tmp_path / "learned.toml"
    path.write_text("max_tokens = 256\nfirst_stage = 0.5\n\n[thresholds]\nwar = 0.1\n", encoding="utf-8")
    learned.write_thresholds(path, 0.125, {"war": 0.25, "death": 0.5}, "note")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("max_tokens = 256\nfirst_stage = 0.1250\n")
    assert "war = 0.2500" in text and "death = 0.5000" in text and "war = 0.1\n" not in text


def test_heads_cover_every_category(detector):
    assert detector.categories == category_ids()
    assert detector.heads.weights.shape[0] == len(category_ids())
    assert detector.heads.hidden_weights.shape[1] == detector.encoder.dimension


def test_heads_refuse_a_severity_head_of_the_wrong_shape(detector):
    arrays = {name: getattr(detector.heads, name) for name in
              ("hidden_weights", "hidden_bias", "weights", "bias", "severity_bias")}
    arrays["severity_weights"] = np.zeros((3, 5), dtype=np.float32)
    with pytest.raises(ValueError, match="severity"):
        learned.Heads(category_ids(), arrays)


def test_version_is_derived_from_the_model_files(detector, tmp_path, monkeypatch):
    import shutil

    for name in (learned.ENCODER_FILE, learned.TOKENIZER_FILE, learned.HEADS_FILE, learned.WORDS_FILE):
        shutil.copy(learned.models_dir() / name, tmp_path / name)
    shipped = learned.files_version(learned.model_files())
    assert learned.files_version(learned.model_files(tmp_path)) == shipped
    with (tmp_path / learned.HEADS_FILE).open("ab") as handle:
        handle.write(b"retrained")
    assert learned.files_version(learned.model_files(tmp_path)) != shipped
    assert detector.version.startswith(shipped)
    assert learned.shared_detector(thorough=True).version.endswith("-thorough")


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_score_scale_puts_the_threshold_at_one_half(threshold):
    assert learned.to_score(threshold, threshold) == pytest.approx(0.5)
    assert learned.to_score(0.0, threshold) == 0.0
    assert learned.to_score(1.0, threshold) == pytest.approx(1.0)
    assert learned.to_score(threshold - 0.1, threshold) < 0.5 < learned.to_score(threshold + 0.05, threshold)


def test_encoding_does_not_depend_on_batch_company(detector):
    text = "The soldiers marched out of the burning town."
    alone = detector.encoder.encode([text])[0]
    together = detector.encoder.encode([text, "A much longer neighbour sentence " * 10])[0]
    assert float(alone @ together) > 0.97


def test_war_passage_scores_war_higher_than_a_tea_party(detector):
    probs = detector.probabilities([
        "The army shelled the city for days; soldiers stormed the walls and the battle raged on.",
        "They had tea and cake on the lawn and talked about the new curtains.",
    ])
    war = detector.categories.index("war")
    assert probs[0, war] > probs[1, war]


def test_detect_returns_evidence_named_after_the_detector(detector):
    passages = _passages(
        "The army shelled the city for days; soldiers stormed the walls and the battle raged on.",
        "They had tea and cake on the lawn and talked about the new curtains.",
    )
    evidence = detector.detect(passages)
    assert all(e.detector == "learned" and e.passage in (0, 1) for e in evidence)
    assert all(e.severity in SEVERITIES for e in evidence)
    assert any(e.category == "war" and e.passage == 0 and e.score >= 0.5 for e in evidence)
    assert all(e.score >= detector.settings.report_floor for e in evidence)


def test_long_works_go_through_the_first_stage_unless_thorough(detector, monkeypatch):
    from dataclasses import replace

    passages = _passages("The army shelled the city.", "They had tea and cake.", "The battle raged.")
    gate = np.array([0.9, 0.1, 0.6])
    monkeypatch.setattr(detector, "settings", replace(detector.settings, full_read_words=5, first_stage=0.5))
    assert detector.to_read(passages, gate) == [0, 2]
    thorough = learned.LearnedDetector(encoder=detector.encoder, heads=detector.heads,
                                       words=detector.words, thorough=True)
    monkeypatch.setattr(thorough, "settings", detector.settings)
    assert thorough.to_read(passages, gate) == [0, 1, 2]
    monkeypatch.setattr(detector, "settings", replace(detector.settings, full_read_words=10_000))
    assert detector.to_read(passages, gate) == [0, 1, 2]


def test_word_features_are_lower_cased_words_and_word_pairs():
    from forewarn.detectors.words import terms

    assert terms("She cut, she CUT a line.") == {"she": 2, "cut": 2, "line": 1, "she cut": 2, "cut she": 1,
                                                 "cut line": 1}


def test_word_model_scores_known_terms_and_its_gate():
    from forewarn.detectors.words import WordModel

    model = WordModel(["razor", "tea"], idf=np.array([1.0, 1.0]), weights=np.array([[8.0, -8.0]]),
                      bias=np.array([0.0]), gate_weights=np.array([0.0, 0.0]), gate_bias=3.0)
    probabilities, gate = model.scores(["the razor", "the tea", "nothing known"])
    assert probabilities[0, 0] > 0.99 and probabilities[1, 0] < 0.01
    assert probabilities[2, 0] == pytest.approx(0.5)
    assert gate == pytest.approx([1 / (1 + np.exp(-3.0))] * 3, rel=1e-5)
    with pytest.raises(ValueError, match="do not match"):
        WordModel(["razor"], idf=np.array([1.0, 1.0]), weights=np.array([[1.0]]), bias=np.array([0.0]),
                  gate_weights=np.array([0.0]), gate_bias=0.0)


def test_empty_input_gives_no_evidence(detector):
    assert detector.detect([]) == []
    assert detector.encoder.encode([]).shape == (0, detector.encoder.dimension)


def test_worker_pools_share_the_cores(monkeypatch):
    from forewarn.detectors import learned

    monkeypatch.setattr(learned.os, "cpu_count", lambda: 8)
    monkeypatch.delenv(learned.THREADS_VARIABLE, raising=False)
    assert learned.encoder_threads() == 4
    learned.share_cores(8)
    assert learned.encoder_threads() == 1
    learned.share_cores(2)  # the first share (or the user's own setting) stays
    assert learned.encoder_threads() == 1
    monkeypatch.setenv(learned.THREADS_VARIABLE, "nonsense")
    assert learned.encoder_threads() == 4
