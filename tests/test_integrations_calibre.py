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
from forewarn.batch.calibre import calibre_store, data_dir
from forewarn.batch.store import Store, WorkRecord
from forewarn.cli._app import app
from forewarn.documents.report import Finding
from forewarn.errors import InputError, UsageError
from forewarn.integrations.calibre import Calibredb
from forewarn.integrations.labels import is_forewarn_label, labels_for, merge_labels
from forewarn.taxonomy import categories
from tests.batch_fakes import fake_report, fake_scan, make_calibre_library

# The stand-in: checks the command shape calibre documents, logs each call as JSON, keeps each book's
# tags in a JSON file (CALIBREDB_STATE) and answers `list` for no search, "id:N or id:M" and 'tags:"=TAG"'.
STAND_IN = r'''
import json, os, re, sys
args = sys.argv[1:]
log = os.environ["CALIBREDB_LOG"]
with open(log, "a") as handle:
    handle.write(json.dumps(args) + "\n")
assert "--with-library" in args, "calibredb needs --with-library"
library = args[args.index("--with-library") + 1]
assert os.path.isabs(library), "library must be absolute"
state = os.environ["CALIBREDB_STATE"]
with open(state) as handle:
    tags = {int(k): v for k, v in json.load(handle).items()}
command = args[0]
if command == "list":
    assert args[1:4] == ["--for-machine", "--fields", "tags"], args
    chosen = sorted(tags)
    if args[4] == "--search":
        query = args[5]
        if query.startswith('tags:"='):
            chosen = [b for b in chosen if query[7:-1] in tags[b]]
        else:
            assert re.fullmatch(r"id:\d+( or id:\d+)*", query), query
            wanted = {int(n) for n in re.findall(r"\d+", query)}
            chosen = [b for b in chosen if b in wanted]
    print(json.dumps([{"id": b, "tags": tags[b]} for b in chosen]))
elif command == "set_metadata":
    assert args[1] == "--field" and args[2].startswith("tags:") and args[3].isdigit(), args
    value = args[2].removeprefix("tags:")
    tags[int(args[3])] = value.split(",") if value else []
    with open(state, "w") as handle:
        json.dump(tags, handle)
elif command == "set_custom":
    assert not args[1].startswith("#") and args[2].isdigit(), args
else:
    sys.stderr.write("calibredb: unknown command\n")
    sys.exit(1)
'''

START_TAGS = {1: ["Fluff", "forewarn: death (graphic)", "Hurt/Comfort"], 2: [], 3: ["CW: my own note"]}


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """forewarn's user data dir (where Calibre stores live) inside the test's folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    return tmp_path / "data-home"


@pytest.fixture
def calibredb(tmp_path, monkeypatch):
    """Put a stand-in calibredb first on PATH; return the path of its call log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "calibredb"
    program.write_text(f"#!{sys.executable}\n{STAND_IN}")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "calibredb.log"
    state = tmp_path / "calibredb-state.json"
    state.write_text(json.dumps(START_TAGS))
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("CALIBREDB_LOG", str(log))
    monkeypatch.setenv("CALIBREDB_STATE", str(state))
    return log


def _calls(log: Path) -> list[list[str]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def _tags(log: Path) -> dict[int, list[str]]:
    return {int(k): v for k, v in json.loads((log.parent / "calibredb-state.json").read_text()).items()}


def _many_findings_report(count: int):
    report = fake_report("storm")
    info = categories()
    location = report.findings[0].locations[0]
    severities = ["mentioned", "depicted", "graphic"]
    findings = [Finding(category=c, group=info[c].group, name=info[c].name, severity=severities[i % 3],
                        confidence=0.5, locations=[location]) for i, c in enumerate(list(info)[:count])]
    return report.model_copy(update={"findings": findings})


def test_labels_are_readable_names_with_the_rating_last():
    assert labels_for(fake_report("storm cliff")) == [
        "CW: Self-harm (graphic)", "CW: Death (mentioned)", "CW: Rated Mature"]
    assert labels_for(fake_report("storm"), prefix="TW: ") == ["TW: Death (mentioned)", "TW: Rated Mature"]


def test_labels_are_capped_most_severe_first():
    labels = labels_for(_many_findings_report(11))
    assert len(labels) == 6
    assert labels[-2:] == ["CW: +7 more", "CW: Rated Mature"]
    assert all(label.endswith("(graphic)") for label in labels[:3])  # 3 of the 11 are graphic
    assert labels[3].endswith("(depicted)")
    assert len(labels_for(_many_findings_report(5))) == 6  # five named and the rating: no "+N more"


def test_forewarn_labels_are_recognised_old_and_new_but_not_a_readers_own():
    assert is_forewarn_label("CW: Blood and gore (depicted)")
    assert is_forewarn_label("CW: +3 more") and is_forewarn_label("CW: Rated Explicit")
    assert is_forewarn_label("forewarn: blood-gore (depicted)")  # written by older versions
    assert not is_forewarn_label("CW: my own note")
    assert not is_forewarn_label("CW: Blood and gore (depicted)", prefix="TW: ")
    assert is_forewarn_label("Odd tag", written=["Odd tag"])


def test_merge_keeps_other_tags_and_replaces_old_forewarn_tags():
    merged = merge_labels(["Fluff", "forewarn: death (graphic)", "CW: Violence (depicted)", "Angst"],
                          ["CW: Death (mentioned)", "Fluff"])
    assert merged == ["Fluff", "Angst", "CW: Death (mentioned)"]


def test_set_tags_reads_then_writes_merged_tags(tmp_path, calibredb):
    library = str(tmp_path)
    merged = Calibredb(library).set_tags(1, ["CW: Self-harm (graphic)"])
    assert merged == ["Fluff", "Hurt/Comfort", "CW: Self-harm (graphic)"]
    listing, setting = _calls(calibredb)
    assert listing[:6] == ["list", "--for-machine", "--fields", "tags", "--search", "id:1"]
    assert setting[:4] == ["set_metadata", "--field", "tags:Fluff,Hurt/Comfort,CW: Self-harm (graphic)", "1"]
    assert setting[-2:] == ["--with-library", library]


def test_set_custom_writes_the_column_without_reading_tags(tmp_path, calibredb):
    Calibredb(str(tmp_path)).set_custom(2, "#forewarn", ["CW: Rated Mature"])
    assert _calls(calibredb) == [["set_custom", "forewarn", "2", "CW: Rated Mature", "--with-library", str(tmp_path)]]


def test_unknown_book_and_failing_calibredb_are_input_errors(tmp_path, calibredb):
    with pytest.raises(InputError, match="no book with id 9"):
        Calibredb(str(tmp_path)).tags(9)
    with pytest.raises(InputError, match="calibredb add_format failed: calibredb: unknown command"):
        Calibredb(str(tmp_path))._run("add_format")


def test_missing_calibredb_is_usage_error(tmp_path):
    with pytest.raises(UsageError, match="not found"):
        Calibredb(str(tmp_path), program="no-such-calibredb-here").tags(1)


def _tag(*arguments: str):
    return CliRunner().invoke(app, ["tag", *arguments])


def test_cli_tags_a_book_from_the_library_store(tmp_path, calibredb, monkeypatch):
    library = make_calibre_library(tmp_path / "lib")
    with Store(calibre_store(library)) as store:
        store.put(WorkRecord("x.txt", "sha256:x", "fp", "ok", calibre_id=1, report=fake_report("cliff").to_json()))
    monkeypatch.setattr(tag_cli, "scan", lambda *a, **k: pytest.fail("a stored report must not be rescanned"))
    result = _tag("--calibre", str(library), "--id", "1")
    assert result.exit_code == 0, result.output
    assert _tags(calibredb)[1] == ["Fluff", "Hurt/Comfort", "CW: Self-harm (graphic)", "CW: Rated Mature"]
    assert "Summary: 1 book tagged, 0 already up to date, 0 failed." in result.output
    assert not (library / ".forewarn").exists()


def test_cli_all_books_with_summary_and_skips_books_without_a_format(tmp_path, calibredb, monkeypatch):
    library = make_calibre_library(tmp_path / "lib")
    monkeypatch.setattr(tag_cli, "scan", fake_scan)
    result = _tag("--calibre", str(library), "--all")
    assert result.exit_code == 0, result.output
    tags = _tags(calibredb)
    assert tags[1] == ["Fluff", "Hurt/Comfort", "CW: Death (mentioned)", "CW: Rated Mature"]
    assert tags[2] == ["CW: Self-harm (graphic)", "CW: Rated Mature"]
    assert tags[3] == ["CW: my own note"]
    assert "2 books tagged, 0 already up to date, 1 without a format forewarn reads (skipped), 0 failed" in result.output
    assert [c[0] for c in _calls(calibredb)].count("list") == 1  # one read for the whole library
    again = _tag("--calibre", str(library), "--all")
    assert "0 books tagged, 2 already up to date" in again.output


def test_cli_search_uses_calibres_query_and_dry_run_writes_nothing(tmp_path, calibredb, monkeypatch, data_home):
    library = make_calibre_library(tmp_path / "lib")
    monkeypatch.setattr(tag_cli, "scan", fake_scan)
    result = _tag("--calibre", str(library), "--search", 'tags:"=Fluff"', "--dry-run")
    assert result.exit_code == 0, result.output
    assert _calls(calibredb)[0][4:6] == ["--search", 'tags:"=Fluff"']
    assert [c[0] for c in _calls(calibredb)] == ["list"]
    assert "book 1: + CW: Death (mentioned), CW: Rated Mature; - forewarn: death (graphic)" in result.output
    assert "Summary: 1 book to tag" in result.output
    assert "Dry run: nothing was written." in result.output
    assert _tags(calibredb) == {k: v for k, v in START_TAGS.items()}
    assert not any(data_home.rglob("tags-written.json"))


def test_cli_undo_removes_exactly_what_forewarn_wrote(tmp_path, calibredb, monkeypatch):
    library = make_calibre_library(tmp_path / "lib")
    monkeypatch.setattr(tag_cli, "scan", fake_scan)
    assert _tag("--calibre", str(library), "--all", "--prefix", "TW: ").exit_code == 0
    assert _tags(calibredb)[2] == ["TW: Self-harm (graphic)", "TW: Rated Mature"]
    result = _tag("--calibre", str(library), "--all", "--undo")  # default prefix: the record still knows "TW: "
    assert result.exit_code == 0, result.output
    assert _tags(calibredb) == {1: ["Fluff", "Hurt/Comfort"], 2: [], 3: ["CW: my own note"]}
    assert "2 books untagged" in result.output


def test_cli_undo_removes_old_style_tags_without_a_record(tmp_path, calibredb):
    library = make_calibre_library(tmp_path / "lib")
    result = _tag("--calibre", str(library), "--id", "1", "--undo")
    assert result.exit_code == 0, result.output
    assert _tags(calibredb)[1] == ["Fluff", "Hurt/Comfort"]


def test_cli_book_without_readable_format_is_exit_2_when_asked_by_id(tmp_path, calibredb, monkeypatch):
    library = make_calibre_library(tmp_path / "lib")
    monkeypatch.setattr(tag_cli, "scan", fake_scan)
    result = _tag("--calibre", str(library), "--id", "3")
    assert result.exit_code == 2 and "no format forewarn reads" in result.output
    assert [c[0] for c in _calls(calibredb)] == ["list"]


@pytest.mark.parametrize("arguments, message", [
    (["--all", "--id", "1"], "one of --id N"),
    ([], "one of --id N"),
    (["--id", "7"], "no book with id 7"),
    (["--all", "--prefix", " "], "--prefix must not be empty"),
])
def test_cli_selection_mistakes_are_exit_2(tmp_path, calibredb, arguments, message):
    library = make_calibre_library(tmp_path / "lib")
    result = _tag("--calibre", str(library), *arguments)
    assert result.exit_code == 2 and message in result.output


def test_calibre_store_lives_outside_the_library_keyed_by_its_path(tmp_path, data_home):
    one = make_calibre_library(tmp_path / "one")
    two = make_calibre_library(tmp_path / "two")
    assert calibre_store(one) != calibre_store(two)
    assert calibre_store(one).is_relative_to(data_home)
    assert not (one / ".forewarn").exists()
    assert str(one.resolve()) in (data_dir(one) / "library.txt").read_text()


def test_an_old_store_inside_the_library_is_moved_out(tmp_path):
    library = make_calibre_library(tmp_path / "lib")
    old = library / ".forewarn" / "results.sqlite"
    with Store(old) as store:
        store.put(WorkRecord("x.txt", "sha256:x", "fp", "ok", calibre_id=1, report=fake_report("cliff").to_json()))
    notes: list[str] = []
    target = calibre_store(library, notify=notes.append)
    assert not (library / ".forewarn").exists()
    assert notes and "moved" in notes[0]
    with Store(target) as store:
        assert store.find_calibre(1) is not None


def test_cli_shows_a_progress_bar_on_a_terminal(tmp_path, calibredb, monkeypatch):
    library = make_calibre_library(tmp_path / "lib")
    monkeypatch.setattr(tag_cli, "scan", fake_scan)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich: treat stderr as a terminal
    result = _tag("--calibre", str(library), "--all", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Tagging" in result.stderr and "Summary" not in result.stderr
    monkeypatch.delenv("FORCE_COLOR")  # the test runner's stderr is no terminal: no bar
    quiet = _tag("--calibre", str(library), "--all", "--dry-run")
    assert "Tagging" not in quiet.stderr


def test_cli_prints_calibre_tags_escaped_and_without_markup(tmp_path, calibredb):
    library = make_calibre_library(tmp_path / "lib")
    state = tmp_path / "calibredb-state.json"
    state.write_text(json.dumps({1: ["Fluff", "forewarn: \x1b]52;c;aGk=\x07[bold]x[/bold]\x1b[2J"]}))
    result = _tag("--calibre", str(library), "--id", "1", "--undo")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "forewarn: \\x1b]52;c;aGk=\\x07[bold]x[/bold]\\x1b[2J" in result.output
