"""A play's chapters are named by act and scene in the terminal ("Act I, Scene 2"), never in the JSON."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from forewarn.cli import app
from forewarn.documents.report import ChapterInfo
from forewarn.render.flow import prose
from forewarn.render.places import act_scene, chapter_names, name_chapters

PLAY = (
    "ACT I\n\nSCENE I. A public place.\n\nEnter two men. They talk at length about the weather and the town.\n\n"
    "SCENE II. A street.\n\nHe punched the guard in the face and kicked him down the stairs.\n\n"
    "ACT II\n\nSCENE I. A room.\n\nShe sits alone by the window and reads a letter.\n"
)


@pytest.mark.parametrize("title, name", [
    ("ACT I, SCENE II. A street", "Act I, Scene 2"),
    ("ACT IV, SCENE XIV. Another part of the field", "Act IV, Scene 14"),
    ("Act 2, Scene 3", "Act 2, Scene 3"),
    ("ACT II", "Act II"),
    ("FIRST ACT", "First Act"),
    ("Chapter 3", None),
    ("THE PROLOGUE", None),
    ("Actors in the rain", None),
    (None, None),
])
def test_act_and_scene_names(title, name):
    assert act_scene(title) == name


def test_verdict_sentences_name_only_named_chapters():
    names = {2: "Act I, Scene 2"}
    assert name_chapters("before chapter 2; from chapter 2 it has", names) == \
        "before Act I, Scene 2; from Act I, Scene 2 it has"
    assert name_chapters("first in chapter 3 (5% through)", names) == "first in chapter 3 (5% through)"


def test_a_prologue_is_named_only_in_a_play():
    def chapters(*titles):
        return [ChapterInfo(index=n, title=t, char_start=n, char_end=n + 1) for n, t in enumerate(titles, 1)]

    assert chapter_names(chapters("THE PROLOGUE", "ACT I, SCENE I. A street", "Chapter 9")) == \
        {1: "Prologue", 2: "Act I, Scene 1"}
    assert chapter_names(chapters("Prologue", "Chapter 1")) == {}


@pytest.fixture
def play(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = tmp_path / "play.txt"
    path.write_text(PLAY, encoding="utf-8")
    return path


@pytest.mark.parametrize("extra", [[], ["--details"]])
def test_a_play_is_shown_by_act_and_scene_and_its_json_keeps_chapter_numbers(play, extra):
    result = CliRunner().invoke(app, ["scan", str(play), "--detector", "cues", "--avoid", "violence", *extra])
    assert result.exit_code == 0, result.output
    assert "Act I, Scene 2" in result.stdout and "ch 2" not in result.stdout
    assert "before Act I, Scene 2; from Act I, Scene 2 it contains violence" in " ".join(result.stdout.split())
    data = json.loads(CliRunner().invoke(
        app, ["scan", str(play), "--detector", "cues", "--avoid", "violence", "--json"]).stdout)
    assert data["work"]["chapters"][1]["title"].startswith("ACT I, SCENE II")
    assert data["findings"][0]["locations"][0]["chapter"] == 2
    assert "chapter 2" in data["verdict"]["summary"] and "Act" not in data["verdict"]["summary"]


@pytest.mark.parametrize("width", range(18, 50, 3))
def test_an_act_and_scene_is_never_split_across_lines(width):
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(prose("Nothing on your list was detected before Act IV, Scene 12; from there it is not."))
    assert any("Act IV, Scene 12;" in line for line in console.file.getvalue().splitlines())
