"""The terminal output: verdict first, file labels, several files, wrapping, safe text, help and habits."""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from forewarn import __version__
from forewarn.category_names import canonical_category, complete_categories, resolve_category, suggestions
from forewarn.cli import app
from forewarn.errors import UsageError
from forewarn.pipeline import scan
from forewarn.render.flow import Flow
from forewarn.render.progress import ScanBar, progress_wanted
from forewarn.render.safe import json_printable, printable
from forewarn.render.terminal import SEVERITY_STYLE
from forewarn.stages.profile import load_profile, parse_avoid
from .conftest import CLI_STORY as STORY
from .conftest import run_cli as _run

CALM = "They planted tomatoes in the garden and talked about the weather.\n"
HOSTILE_TITLE = "Quiet\x1b]52;c;aGVsbG8=\x07 Days\x1b[2J"
FILLER = "".join(f"\n\nOn day {i} they walked along the shore and counted the boats, then went home."
                 for i in range(40))

pytestmark = pytest.mark.usefixtures("no_user_profile")


def _gutenberg(title: str, body: str) -> str:
    return (f"The Project Gutenberg eBook of Quiet\n\nTitle: {title}\nAuthor: A\x1b]0;pwned\x07 Writer\n\n"
            "*** START OF THE PROJECT GUTENBERG EBOOK QUIET ***\n\nChapter 1\n\n" + body + FILLER
            + "\n\n*** END OF THE PROJECT GUTENBERG EBOOK QUIET ***\n")


# Verdict first, file labels ------------------------------------------------------------------------

def test_verdict_comes_before_the_detail(story):
    result = _run("scan", str(story), "--avoid", "death")
    output = result.output
    assert output.index("Verdict:") < output.index("Violence") < output.index("forewarn reads the text")
    assert output.splitlines()[0].startswith(str(story))


def test_each_file_is_labelled_by_its_name_limits_once_and_a_closing_summary(tmp_path, story):
    calm = tmp_path / "calm.txt"
    calm.write_text(CALM, encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = _run("scan", str(story), str(calm), str(missing))
    assert result.exit_code == 2
    assert result.stdout.count("forewarn reads the text") == 1
    summary = result.stdout[result.stdout.index("Summary of 3 files"):]
    words = " ".join(summary.split())
    assert f"{story}: death (depicted)" in words
    assert f"{calm}: nothing detected" in words
    assert f"{missing}: could not be read" in words
    assert result.stdout.index("Summary of 3 files") < result.stdout.index("forewarn reads the text")


def test_one_file_has_no_summary_and_keeps_its_limits(story):
    result = _run("scan", str(story))
    assert "Summary of" not in result.stdout
    assert "forewarn reads the text" in result.stdout


def test_piped_output_has_no_trailing_spaces(story):
    result = _run("scan", str(story), str(story), "--details")
    assert result.stdout.strip()
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


# Wrapping ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", range(8, 60, 3))
def test_a_flow_never_splits_an_item_across_lines(width):
    items = [f"ch {n} ({n * 3}%)" for n in range(1, 12)]
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(Flow([Text(item) for item in items]))
    lines = console.file.getvalue().splitlines()
    for item in items:
        if len(item) <= width:
            assert any(item in line for line in lines), (item, lines)
    assert all(len(line.rstrip()) <= width for line in lines)


# Safe terminal output (issue 12) -------------------------------------------------------------------

def test_printable_escapes_controls_and_keeps_text():
    assert printable("a\x1b]52;c;aGVsbG8=\x07b") == "a\\x1b]52;c;aGVsbG8=\\x07b"
    assert printable("x\x1b[2Jy") == "x\\x1b[2Jy"
    assert printable("one\ntwo\tthree") == "one\ntwo\tthree"
    assert printable("one\ntwo", one_line=True) == "one\\x0atwo"
    assert printable("csi\x9b2J") == "csi\\x9b2J"
    assert printable("evil\u202etxt.exe") == "evil\\u202etxt.exe"
    assert printable("Zoë — “quoted” ☂") == "Zoë — “quoted” ☂"


def test_json_printable_keeps_the_values():
    payload = {"title": "a\x9b2J\u202eb\x1b"}
    text = json_printable(json.dumps(payload, ensure_ascii=False))
    assert "\x9b" not in text and "\u202e" not in text and "\x1b" not in text
    assert json.loads(text) == payload


def test_escape_sequences_in_a_title_never_reach_the_terminal(tmp_path):
    path = tmp_path / "quiet.txt"
    path.write_text(_gutenberg(HOSTILE_TITLE, "The old man died in his sleep, and the family mourned him."),
                    encoding="utf-8")
    result = _run("scan", str(path))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Quiet\\x1b]52;c;aGVsbG8=\\x07 Days\\x1b[2J" in result.stdout
    assert "A\\x1b]0;pwned\\x07 Writer" in result.stdout


def test_escape_sequences_in_quotes_file_names_and_errors_are_shown_escaped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "evil\x1b[2Jname.txt"
    path.write_text("Chapter 1\n\nThe old man died in his sleep \x1b[8mhidden\x1b[0m, and the family mourned him."
                    + FILLER, encoding="utf-8")
    result = _run("scan", path.name, "gone\x1b]0;x.txt", "--spoilers")
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr
    assert "evil\\x1b[2Jname.txt" in result.stdout
    assert "gone\\x1b]0;x.txt" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_json_output_has_no_raw_escape_or_bidi_characters(tmp_path):
    path = tmp_path / "quiet.txt"
    path.write_text(_gutenberg(HOSTILE_TITLE + "\u202e", "They fished."), encoding="utf-8")
    result = _run("scan", str(path), "--json")
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert json.loads(result.stdout)["work"]["title"] == HOSTILE_TITLE + "\u202e"


# Category names: aliases and "did you mean" --------------------------------------------------------

@pytest.mark.parametrize(("name", "category"), [
    ("noncon", "sexual-assault"), ("Rape/Non-Con", "sexual-assault"), ("major character death", "death"),
    ("self harm", "self-harm"), ("selfharm", "self-harm"), ("cheating", "infidelity"),
    ("Blood and gore", "blood-gore"), ("SUICIDE", "suicide"),
])
def test_readers_names_resolve_to_category_ids(name, category):
    assert resolve_category(name) == category
    assert parse_avoid(f"{name}:depicted").avoid == {category: "depicted"}


def test_unknown_names_suggest_what_was_meant():
    assert "blood-gore" in suggestions("gore")
    assert suggestions("suicde")[0] == "suicide"
    with pytest.raises(UsageError, match="did you mean blood-gore"):
        canonical_category("gore", "--avoid")
    with pytest.raises(UsageError) as error:
        canonical_category("kittens", "--avoid")
    assert "did you mean" not in str(error.value)


def test_aliases_work_on_the_command_line_and_in_profiles(story, tmp_path):
    result = _run("scan", str(story), "--avoid", "major character death", "--fail-on", "mcd")
    assert result.exit_code == 1
    assert "it contains death" in " ".join(result.stdout.split())
    result = _run("scan", str(story), "--avoid", "gore")
    assert result.exit_code == 2
    assert "did you mean blood-gore" in result.stderr
    profile = tmp_path / "profile.toml"
    profile.write_text('[avoid]\n"self harm" = "depicted"\n', encoding="utf-8")
    assert load_profile(profile).avoid == {"self-harm": "depicted"}


def test_categories_list_their_aliases():
    listed = json.loads(_run("categories", "--json").stdout)
    assert "noncon" in next(c for c in listed if c["id"] == "sexual-assault")["aliases"]


def test_completion_of_category_lists():
    assert complete_categories("self-harm,sui") == ["self-harm,suicide"]
    assert "blood-gore" in complete_categories("bl")


# Help and habits -----------------------------------------------------------------------------------

def test_version():
    result = _run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"forewarn {__version__}"


@pytest.mark.parametrize("command", ["scan", "library", "batch", "tag", "serve", "categories", "profile",
                                     "schema", "score-passages"])
def test_help_shows_no_python_types_or_braces(command, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = _run(command, "--help")
    assert result.exit_code == 0
    assert "…" not in result.stdout, "help cut at 80 columns"
    for noise in ("<bool>", "<str>", "<list[", "<path>", "<int", "<float>"):
        assert noise not in result.stdout, (noise, command)
    usage = next(line for line in result.stdout.splitlines() if "Usage:" in line)
    assert "{" not in usage


def test_root_help_offers_version_and_completion():
    result = _run("--help")
    assert "--version" in result.stdout and "--install-completion" in result.stdout
    assert "<bool>" not in result.stdout


def test_show_completion_prints_a_script_for_the_shell():
    result = CliRunner().invoke(app, ["--show-completion", "bash"], prog_name="forewarn")
    assert result.exit_code == 0
    assert "_FOREWARN_COMPLETE" in result.stdout


def test_example_story_ships_with_the_package():
    result = _run("scan", "--example")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("lighthouse.txt (forewarn's example)") and "3 chapters" in result.stdout


def test_scan_without_files_is_a_one_line_usage_error():
    result = _run("scan")
    assert result.exit_code == 2
    assert "--example" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# Colours and progress ------------------------------------------------------------------------------

def test_severity_styles_differ_by_more_than_hue():
    weights = [("bold" in SEVERITY_STYLE[s]) + ("reverse" in SEVERITY_STYLE[s]) for s in
               ("mentioned", "depicted", "graphic")]
    assert weights == sorted(weights) and len(set(weights)) == 3


def test_scan_reports_its_stages_in_order():
    events = []
    scan(STORY, progress=events.append)
    stages = list(dict.fromkeys(e.stage for e in events))
    assert stages[0] == "read"
    assert stages.index("segment") < stages.index("detect") < stages.index("assess")
    detect = [e for e in events if e.stage == "detect"]
    assert detect[-1].done == detect[-1].total > 0


def test_progress_bar_waits_a_second_then_draws(monkeypatch):
    import forewarn.render.progress as progress

    clock = iter([0.0, 0.5, 2.0, 2.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    output = io.StringIO()
    console = Console(file=output, force_terminal=True, width=80)
    scan_bar = ScanBar(console, 2, enabled=True)
    with scan_bar:
        scan_bar.next_file("a.txt")
        scan_bar.update(SimpleNamespace(stage="read", done=0, total=1))
        assert output.getvalue() == ""
        scan_bar.update(SimpleNamespace(stage="detect", done=3, total=10))
        scan_bar._progress.refresh()
        assert "a.txt (1 of 2): detect" in output.getvalue()


def test_progress_bar_is_off_for_json_into_a_pipe_unless_forced():
    terminal = Console(file=io.StringIO(), force_terminal=True)
    pipe = Console(file=io.StringIO())
    assert progress_wanted(None, stderr=terminal, json_to_pipe=False)
    assert not progress_wanted(None, stderr=terminal, json_to_pipe=True)
    assert not progress_wanted(None, stderr=pipe, json_to_pipe=False)
    assert progress_wanted(True, stderr=pipe, json_to_pipe=True)
    assert not progress_wanted(False, stderr=terminal, json_to_pipe=False)


@pytest.mark.parametrize("width", [32, 40, 56, 80, 120])
@pytest.mark.parametrize("details", [False, True])
def test_reports_fit_any_width_without_cutting_or_splitting(width, details):
    from forewarn.render.terminal import render_report

    report = scan(STORY * 3, avoid="death", spoilers=True)
    console = Console(width=width, file=io.StringIO(), color_system=None)
    console.print(render_report(report, details=details, spoilers=details))
    lines = console.file.getvalue().splitlines()
    assert all(len(line.rstrip()) <= width for line in lines)
    assert not any(line.rstrip().endswith((" ch", " chapter", "…")) for line in lines), lines


def test_prose_keeps_chapter_and_number_together():
    from forewarn.render.flow import prose

    text = "Nothing on your list was detected before chapter 12; from chapter 12 it contains death."
    for width in range(20, 60):
        console = Console(width=width, file=io.StringIO(), color_system=None)
        console.print(prose(text))
        output = console.file.getvalue()
        assert " ".join(output.split()) == text
        assert not any(line.rstrip().endswith("chapter") for line in output.splitlines())


def test_library_summary_wraps_between_words_and_escapes_paths(tmp_path):
    from forewarn.batch.library import RunSummary
    from forewarn.batch.store import WorkRecord
    from forewarn.cli.library import _print_summary, _print_unsafe

    output = io.StringIO()
    console = Console(file=output, width=70, soft_wrap=True, color_system=None)
    records = [WorkRecord("evil\x1b[2J.txt", "h", "f", "failed", error="bad\x1b]52;c;eA==\x07 bytes"),
               WorkRecord("calm.txt", "h2", "f", "ok")]
    _print_summary(console, RunSummary(total=2, scanned=2), records, tmp_path / "store.sqlite")
    _print_unsafe(console, {"dark\x1b]0;t\x07.txt": "not-safe: Not safe for you: it contains death, "
                            "first in chapter 12 (40% through)."}, "death")
    text = output.getvalue()
    assert "\x1b" not in text and "\x07" not in text
    assert "evil\\x1b[2J.txt" in text and "dark\\x1b]0;t\\x07.txt" in text
    assert "not-safe:" not in text
    for line in text.splitlines():
        assert len(line.rstrip()) <= 70
        assert not line.rstrip().endswith(("chapter", "alrea", "Libr")), line
