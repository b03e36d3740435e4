"""Which detectors a scan uses: by default, or chosen by name."""

from __future__ import annotations

from collections.abc import Callable

from .base import Detector


def _cues() -> Detector:
    from .cues import CueDetector

    return CueDetector()


def _learned(thorough: bool = False) -> Detector:
    from .learned import shared_detector

    return shared_detector(thorough=thorough)


_FACTORIES: dict[str, Callable[[], Detector]] = {
    "learned": _learned,
    "thorough": lambda: _learned(thorough=True),
    "cues": _cues,
}


def detector_names() -> list[str]:
    """Names accepted by ``detectors_by_name``."""
    return list(_FACTORIES)


def detectors_by_name(names: list[str]) -> list[Detector]:
    """Build detectors from their names; raise ValueError for an unknown name."""
    unknown = [n for n in names if n not in _FACTORIES]
    if unknown:
        raise ValueError(f"unknown detector {', '.join(unknown)}; choose from {', '.join(_FACTORIES)}")
    return [_FACTORIES[n]() for n in names]


def default_detectors(thorough: bool = False) -> list[Detector]:
    """The detectors ``forewarn scan`` uses: the learned model on every passage (a first stage picks
    the passages of works over ``full_read_words``; ``thorough`` reads them all) and the cue rules
    for explicit naming and quotable spans."""
    return detectors_by_name(["thorough" if thorough else "learned", "cues"])


def preload() -> None:
    """Load the models the default detectors may need now rather than on first use.

    For long-running workers (the server): the first request is not slowed down and memory is
    flat from the start.
    """
    from .learned import shared_detector

    shared_detector().encoder  # noqa: B018 - the property loads the ONNX session
