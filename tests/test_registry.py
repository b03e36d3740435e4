"""Which detectors a scan uses."""

from __future__ import annotations

import pytest

from forewarn.detectors.registry import default_detectors, detector_names, detectors_by_name


def test_the_learned_detector_leads_and_the_cue_rules_follow():
    assert [d.name for d in default_detectors()] == ["learned", "cues"]
    thorough = default_detectors(thorough=True)
    assert [d.name for d in thorough] == ["learned", "cues"] and thorough[0].thorough


def test_detectors_are_selectable_by_name_and_unknown_names_are_refused():
    assert {"learned", "thorough", "cues"} == set(detector_names())
    assert [d.name for d in detectors_by_name(["cues"])] == ["cues"]
    with pytest.raises(ValueError, match="cascade"):
        detectors_by_name(["cascade"])
