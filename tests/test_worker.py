"""The one worker body scans with the shared engine directly (not through ``forewarn.scan``'s guessing)."""

from __future__ import annotations

import forewarn
from forewarn import worker
from forewarn.engine import shared_engine
from forewarn.worker import Job, ScanOptions, WorkerSetup, prepare, scan_one

STORY = "Chapter 1\n\nHe punched the guard in the face and kicked him down the stairs.\n"


def test_the_worker_scans_with_the_shared_engine_and_never_guesses_a_path(tmp_path, monkeypatch):
    def no_front_door(*args, **kwargs):
        raise AssertionError("the worker went through forewarn.scan")

    monkeypatch.setattr(forewarn, "scan", no_front_door)
    prepare(WorkerSetup(options=ScanOptions(detector_names=("cues",))))
    assert worker._PREPARED.scan.__self__ is shared_engine(("cues",), False)
    from_bytes = scan_one(Job(STORY.encode(), {"name": "story.txt"}))
    assert from_bytes.status == "ok" and ("violence", "depicted") in from_bytes.findings
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    assert scan_one(Job(path)).findings == from_bytes.findings
    as_text = scan_one(Job(STORY))  # a str is a file name, never story text
    assert as_text.status == "failed" and as_text.failure == "input"
