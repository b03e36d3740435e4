"""What the default detectors find in short texts the team wrote (the issue's examples among them).

Model behaviour, not thresholds: each text is clear to any reader. A change to the models or the
corpus that loses one of these is a regression a reader would notice.
"""

from __future__ import annotations

import pytest

import forewarn


def _found(text: str) -> set[str]:
    return {finding.category for finding in forewarn.scan(text, name="example.txt").findings}


@pytest.mark.parametrize("text, category", [
    ("She sat on the bed and cut her wrist with a razor.", "self-harm"),
    ("She dragged the razor across her wrist.", "self-harm"),
    ("The little boy died of fever before morning.", "child-death"),
    ("He killed himself in the spring.", "suicide"),
    ("They had sex in the back of the car.", "sexual-content"),
    ("He had been cheating on his wife for a year.", "infidelity"),
    ("She was pregnant with her second child.", "pregnancy"),
])
def test_clear_content_is_found(text: str, category: str) -> None:
    assert category in _found(text)


def test_an_everyday_scene_has_no_findings() -> None:
    assert _found("They had tea and cake on the lawn and talked about the new curtains.") == set()
