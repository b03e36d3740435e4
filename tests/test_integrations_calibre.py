"""Calibre write-back through a stand-in `calibredb` that records and checks its arguments."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import forewarn.cli.tag as tag_cli
from forewarn.batch.library import default_store
from forewarn.batch.store import Store, WorkRecord
from forewarn.cli._app import app
from forewarn.errors import InputError, UsageError
from forewarn.integrations.calibre import Calibredb
from forewarn.integrations.labels import labels_for, merge_labels
from tests.batch_fakes import fake_report, fake_scan, make_calibre_library

# The stand-in: checks the command shape calibre documents, logs each call as JSON, answers `list`.
STAND_IN = r'''
import json, os, sys
args = sys.argv[1:]
log = os.environ["CALIBREDB_LOG"]
with open(log, "a") as handle:
    handle.write(json.dumps(args) + "\n")
assert "--with-library" in args, "calibredb needs --with-library"
library = args[args.index("--with-library") + 1]
assert os.path.isabs(library), "library must be absolute"
command = args[0]
tags = {1: ["Fluff", "forewarn: death (graphic)", "Hurt/Comfort"], 2: []}
if command == "list":
    assert args[1:5] == ["--for-machine", "--fields", "tags", "--search"], args
    book = int(args[5].removeprefix("id:"))
    print(json.dumps([{"id": book, "tags": tags[book]}] if book in tags else []))
elif command == "set_metadata":
    assert args[1] == "--field" and args[2].startswith("tags:") and args[3].isdigit(), args
elif command == "set_custom":
    assert not args[1].startswith("#") and args[2].isdigit(), args
elif command == "fail":
    pass
else:
    sys.stderr.write("calibredb: unknown command\n")
    sys.exit(1)
'''


@pytest.fixture
def calibredb(tmp_path, monkeypatch):
    """Put a stand-in calibredb first on PATH; return the path of its call log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "calibredb"
    program.write_text(f"#!{sys.executable}\n{STAND_IN}")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "calibredb.log"
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("CALIBREDB_LOG", str(log))
    return log


def _calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_merge_keeps_other_tags_and_replaces_old_forewarn_tags():
    merged = merge_labels(["Fluff", "forewarn: death (graphic)", "Angst"], ["forewarn: death (mentioned)", "Fluff"])
    assert merged == ["Fluff", "Angst", "forewarn: death (mentioned)"]


def test_labels_for_a_report():
    assert labels_for(fake_report("storm")) == ["forewarn: death (mentioned)", "forewarn: rated Mature"]


def test_set_tags_reads_then_writes_merged_tags(tmp_path, calibredb):
    library = str(tmp_path)
    merged = Calibredb(library).set_tags(1, ["forewarn: self-harm (graphic)"])
    assert merged == ["Fluff", "Hurt/Comfort", "forewarn: self-harm (graphic)"]
    listing, setting = _calls(calibredb)
    assert listing[:6] == ["list", "--for-machine", "--fields", "tags", "--search", "id:1"]
    assert setting[:4] == ["set_metadata", "--field", "tags:Fluff,Hurt/Comfort,forewarn: self-harm (graphic)", "1"]
    assert setting[-2:] == ["--with-library", library]


def test_set_custom_writes_the_column_without_reading_tags(tmp_path, calibredb):
    Calibredb(str(tmp_path)).set_custom(2, "#forewarn", ["forewarn: rated Mature"])
    assert _calls(calibredb) == [["set_custom", "forewarn", "2", "forewarn: rated Mature", "--with-library", str(tmp_path)]]


def test_unknown_book_and_failing_calibredb_are_input_errors(tmp_path, calibredb):
    with pytest.raises(InputError, match="no book with id 9"):
        Calibredb(str(tmp_path)).tags(9)
    with pytest.raises(InputError, match="calibredb add_format failed: calibredb: unknown command"):
        Calibredb(str(tmp_path))._run("add_format")


def test_missing_calibredb_is_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not found"):
        Calibredb(str(tmp_path), program="no-such-calibredb-here").tags(1)


def test_cli_tags_a_book_from_the_library_store(tmp_path, calibredb, monkeypatch):
    library = make_calibre_library(tmp_path / "lib")
    with Store(default_store(library)) as store:
        store.put(WorkRecord("x.txt", "sha256:x", "fp", "ok", calibre_id=1, report=fake_report("cliff").to_json()))
    monkeypatch.setattr(tag_cli, "scan", lambda *a, **k: pytest.fail("a stored report must not be rescanned"))
    result = CliRunner().invoke(app, ["tag", "--calibre", str(library), "--id", "1"])
    assert result.exit_code == 0, result.output
    assert _calls(calibredb)[1][2] == "tags:Fluff,Hurt/Comfort,forewarn: self-harm (graphic),forewarn: rated Mature"


def test_cli_scans_a_book_not_in_the_store_and_dry_run_writes_nothing(tmp_path, calibredb, monkeypatch):
    library = make_calibre_library(tmp_path / "lib")
    monkeypatch.setattr(tag_cli, "scan", fake_scan)
    result = CliRunner().invoke(app, ["tag", "--calibre", str(library), "--id", "1", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "forewarn: death (mentioned)" in result.output and "Dry run" in result.output
    assert [call[0] for call in _calls(calibredb)] == ["list"]


def test_cli_book_without_readable_format_is_exit_2(tmp_path, calibredb, monkeypatch):
    library = make_calibre_library(tmp_path / "lib")
    monkeypatch.setattr(tag_cli, "scan", fake_scan)
    result = CliRunner().invoke(app, ["tag", "--calibre", str(library), "--id", "3"])
    assert result.exit_code == 2 and "no format forewarn reads" in result.output
    assert _calls(calibredb) == []
