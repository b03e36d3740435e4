"""Shared test helpers: small synthetic works, the command line, and the path to ../shared when it is present."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from forewarn.cli import app
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


CLI_STORY = (
    "Chapter 1\n\nMara walked to the market and bought bread for her brother.\n\n"
    "Chapter 2\n\nThat winter the old man died in his sleep, and the family mourned him.\n"
)
"""A two-chapter story (a death in chapter 2) for command-line tests."""

_RUNNER = CliRunner()


def run_cli(*args: str, input: str | bytes | None = None) -> Result:
    """Run the `forewarn` command in-process with ``args``."""
    return _RUNNER.invoke(app, list(args), input=input)


@pytest.fixture
def no_user_profile(monkeypatch, tmp_path) -> None:
    """Keep the reader's own profile out of a test: an empty config home."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture
def story(tmp_path) -> Path:
    """CLI_STORY written to ``story.txt``."""
    path = tmp_path / "story.txt"
    path.write_text(CLI_STORY, encoding="utf-8")
    return path
