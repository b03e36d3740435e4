"""One suite every registered detector passes (like scikit-learn's ``estimator_checks``).

A new detector added to ``detectors/registry.py`` is checked here without writing a test for it:
scores in 0..1, categories from the taxonomy, passage indices and spans inside the passages given,
empty input gives empty output, the same input gives the same evidence, and its version changes
when one byte of a file it loads changes.
"""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import pytest

from forewarn.detectors.base import Detector, Suppression, accepts
from forewarn.detectors.registry import detector_names, detectors_by_name
from forewarn.stages.segment import segment
from forewarn.taxonomy import SEVERITIES, category_ids

from .conftest import build_work

CHAPTERS = [
    [
        "He punched the guard in the face and kicked him down the stairs, and the guard lay still.",
        "Her mother had died years ago. She still kept the letters in a box under the bed.",
        "He didn't kill himself that night. In the morning he made toast and walked to the river.",
    ],
    [
        "They planted beans in the garden and talked about the weather until the rain came.",
        "The knife went in and he screamed; the blood ran over the floor while they held him down.",
    ],
]


@cache
def _detector(name: str) -> Detector:
    [detector] = detectors_by_name([name])
    return detector


@cache
def _passages():
    work = build_work(CHAPTERS)
    return work, tuple(segment(work))


NAMES = detector_names()


@pytest.mark.parametrize("name", NAMES)
def test_implements_the_interface(name):
    detector = _detector(name)
    assert isinstance(detector, Detector)
    assert detector.name and isinstance(detector.version, str) and detector.version
    assert list(getattr(detector, "files", [])), "list the data and model files in `files` (for the fingerprint)"


@pytest.mark.parametrize("name", NAMES)
def test_empty_input_gives_empty_output(name):
    assert _detector(name).detect([]) == []


@pytest.mark.parametrize("name", NAMES)
def test_evidence_is_valid(name):
    work, passages = _passages()
    evidence = _detector(name).detect(passages)
    assert evidence, "the check text should make every detector say something"
    by_index = {p.index: p for p in passages}
    known = set(category_ids())
    for item in evidence:
        assert 0.0 <= item.score <= 1.0
        assert item.category in known
        assert item.passage in by_index
        assert item.detector == _detector(name).name
        assert item.severity is None or item.severity in SEVERITIES
        passage = by_index[item.passage]
        for cue in item.cues:
            assert passage.start <= cue.start < cue.end <= passage.end
        for reason in item.explanation:
            assert reason.detector == item.detector and reason.rule and 0.0 <= reason.score <= 1.0
            for start, end in reason.spans:
                assert passage.start <= start < end <= passage.end


@pytest.mark.parametrize("name", NAMES)
def test_deterministic(name):
    _, passages = _passages()
    detector = _detector(name)
    assert detector.detect(passages) == detector.detect(passages)


@pytest.mark.parametrize("name", NAMES)
def test_optional_hooks_keep_the_evidence_the_same(name):
    _, passages = _passages()
    detector = _detector(name)
    options: dict = {}
    calls: list[tuple[int, int]] = []
    suppressed: list[Suppression] = []
    if accepts(detector, "progress"):
        options["progress"] = lambda done, total: calls.append((done, total))
    if accepts(detector, "suppressed"):
        options["suppressed"] = suppressed
    assert detector.detect(passages, **options) == detector.detect(passages)
    if "progress" in options:
        assert calls and calls[-1][1] == len(passages)
        assert all(0 <= done <= total for done, total in calls)
    for item in suppressed:
        assert item.category in category_ids() and item.start < item.end


@pytest.mark.parametrize("name", NAMES)
def test_version_changes_when_one_of_its_files_changes(name, tmp_path, monkeypatch):
    detector = _detector(name)
    copies = []
    for i, path in enumerate(detector.files):
        copies.append(tmp_path / f"{i}-{path.name}")
        shutil.copyfile(path, copies[-1])
    monkeypatch.setattr(type(detector), "files", property(lambda self: list(copies)))
    versions = {detector.version}
    for copy in copies:
        _flip_last_byte(copy)
        versions.add(detector.version)
    assert len(versions) == len(copies) + 1


def _flip_last_byte(path: Path) -> None:
    """Change one byte, and move the modification time on (a coarse file-system clock could leave it
    equal to the copy's, and versions are cached per file state)."""
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    stat = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
