"""Shared test helpers: small synthetic works and the path to ../shared when it is present."""

from __future__ import annotations

from pathlib import Path

import pytest

from forewarn.documents.work import Work, WorkBuilder

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data beside the repository; skips the test when it is absent."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is not present")
    return data


def build_work(chapters: list[list[str]], *, title: str = "A Test Story") -> Work:
    """A Work with one chapter per list of paragraphs ('***' starts a new scene)."""
    builder = WorkBuilder("text")
    builder.title = title
    for number, paragraphs in enumerate(chapters, start=1):
        builder.start_chapter(f"Chapter {number}")
        for paragraph in paragraphs:
            if paragraph == "***":
                builder.scene_break()
            else:
                builder.add_paragraph(paragraph)
    return builder.build()
