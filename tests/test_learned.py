"""The learned detector: offline loading, the thresholds file, scores and evidence."""

from __future__ import annotations

import socket
import subprocess
import sys

import numpy as np
import pytest

from forewarn.detectors import learned
from forewarn.detectors.base import Passage
from forewarn.taxonomy import category_ids


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
        "bad=[m for m in ('torch','transformers','sentence_transformers') if m in sys.modules];"
        "print(','.join(bad))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_model_files_ship_inside_the_package():
    for name in (learned.ENCODER_FILE, learned.TOKENIZER_FILE, learned.HEADS_FILE):
        assert (learned.models_dir() / name).is_file()


def test_thresholds_file_names_only_known_categories_with_probabilities():
    settings = learned.load_settings()
    assert set(settings.thresholds) <= set(category_ids())
    assert all(0.0 < value < 1.0 for value in settings.thresholds.values())
    assert 0.0 < settings.default_threshold < 1.0
    assert settings.threshold("no-such-category") == settings.default_threshold


def test_passage_thresholds_cover_the_categories_with_labelled_fiction_and_fall_back_to_scan_ones():
    settings = learned.load_settings()
    assert {"violence", "war", "death", "kidnapping", "misogyny", "homophobia", "racism", "ableism"} <= set(
        settings.passage_thresholds
    )
    assert all(0.0 < value < 1.0 for value in settings.passage_thresholds.values())
    # A passage judged alone never needs more than a scan over thousands of passages does.
    assert all(value <= settings.threshold(c) for c, value in settings.passage_thresholds.items())
    assert "self-harm" not in settings.passage_thresholds
    assert settings.passage_threshold("self-harm") == settings.threshold("self-harm")


@pytest.mark.parametrize("table", ["thresholds", "passage_thresholds"])
def test_thresholds_file_with_unknown_category_is_refused(monkeypatch, table):
    fake = {"max_tokens": 256, "batch_size": 8, "default_threshold": 0.7, "report_floor": 0.3,
            table: {"not-a-category": 0.5}}
    monkeypatch.setattr(learned, "load_data_toml", lambda name: fake)
    learned.load_settings.cache_clear()
    try:
        with pytest.raises(ValueError, match="not-a-category"):
            learned.load_settings()
    finally:
        learned.load_settings.cache_clear()


def test_heads_cover_every_category(detector):
    assert detector.categories == category_ids()
    assert detector.heads.weights.shape == (len(category_ids()), detector.encoder.dimension)


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
    assert all(e.detector == "minilm" and e.passage in (0, 1) for e in evidence)
    assert any(e.category == "war" and e.passage == 0 and e.score >= 0.5 for e in evidence)
    assert all(e.score >= detector.settings.report_floor for e in evidence)


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
