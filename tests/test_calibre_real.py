"""`forewarn tag --calibre` against the real `calibredb` (skipped when Calibre is not installed).

Makes a real library (`calibredb add`), stores a library run where forewarn keeps it, tags every
book, checks that `calibredb check_library` finds nothing of forewarn's inside the library, and
undoes. The scan itself is the fast fake of the batch tests; what is under test is Calibre's side.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

import forewarn.cli.tag as tag_cli
from forewarn.batch.calibre import calibre_store, library_items, read_library
from forewarn.batch.library import run_library
from forewarn.batch.scanner import ScanOptions
from forewarn.batch.store import Store
from forewarn.cli._app import app
from tests.batch_fakes import FAKE_FINGERPRINT, fake_scan

CALIBREDB = shutil.which("calibredb")
pytestmark = pytest.mark.skipif(CALIBREDB is None, reason="calibredb not installed (apt-get install calibre)")


def _calibredb(library, *arguments: str) -> str:
    done = subprocess.run([CALIBREDB, *arguments, "--with-library", str(library)],
                          capture_output=True, text=True, timeout=180, check=True)
    return done.stdout


def _tags(library) -> dict[int, list[str]]:
    books = json.loads(_calibredb(library, "list", "--for-machine", "--fields", "tags"))
    return {b["id"]: sorted(b["tags"]) for b in books}


@pytest.fixture
def library(tmp_path, monkeypatch):
    """A real Calibre library: a text story (tagged Fluff and an old-style forewarn tag) and an empty book."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("CALIBRE_CONFIG_DIRECTORY", str(tmp_path / "calibre-config"))
    root = tmp_path / "Calibre Library"
    story = tmp_path / "cliff.txt"
    story.write_text("Cliff Walk\n\nThey walked up to the cliff and looked at the sea.\n", encoding="utf-8")
    _calibredb(root, "add", str(story))
    _calibredb(root, "add", "--empty", "--title", "No Formats")
    _calibredb(root, "set_metadata", "--field", "tags:Fluff,forewarn: death (graphic)", "1")
    return root


def test_tag_all_check_library_and_undo_with_real_calibredb(library, monkeypatch):
    items, _ = library_items(library, read_library(library))
    with Store(calibre_store(library)) as store:
        run_library(items, store, root=str(library), fingerprint=FAKE_FINGERPRINT, options=ScanOptions(), scan=fake_scan)
    monkeypatch.setattr(tag_cli, "scan", lambda *a, **k: pytest.fail("the stored report must be used"))

    result = CliRunner().invoke(app, ["tag", "--calibre", str(library), "--all"])
    assert result.exit_code == 0, result.output
    assert "1 book tagged" in result.output and "1 without a format forewarn reads" in result.output
    assert _tags(library) == {1: sorted(["Fluff", "CW: Self-harm (graphic)", "CW: Rated Mature"]), 2: []}

    report = _calibredb(library, "check_library")
    assert ".forewarn" not in report
    assert [line for line in report.splitlines() if line.startswith(" ")] == [], report  # no problem listed

    dry = CliRunner().invoke(app, ["tag", "--calibre", str(library), "--search", "tags:\"=Fluff\"", "--undo", "--dry-run"])
    assert dry.exit_code == 0 and "1 book to untag" in dry.output
    assert "CW: Rated Mature" in _tags(library)[1]

    undone = CliRunner().invoke(app, ["tag", "--calibre", str(library), "--search", "tags:\"=Fluff\"", "--undo"])
    assert undone.exit_code == 0, undone.output
    assert _tags(library) == {1: ["Fluff"], 2: []}
