"""The `forewarn` command end to end: output, exit codes, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from .conftest import CLI_STORY as STORY
from .conftest import run_cli as _run


pytestmark = pytest.mark.usefixtures("no_user_profile")


def test_scan_prints_a_summary_without_quoting_the_story(story):
    result = _run("scan", str(story))
    assert result.exit_code == 0, result.output
    assert "Death" in result.output
    assert "ch 2" in result.output
    assert "old man died" not in result.output


def test_spoilers_add_a_quote(story):
    result = _run("scan", str(story), "--spoilers")
    assert "died in his sleep" in result.output


def test_json_report_and_stdin(story):
    result = _run("scan", "-", "--json", input=STORY)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["source"]["path"] == "-"
    death = next(f for f in report["findings"] if f["category"] == "death")
    location = death["locations"][0]
    assert location["chapter"] == 2
    assert "died" in STORY[location["char_start"]:location["char_end"]]


def test_several_files_give_a_json_array(story, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("A quiet day at the lake. They fished and laughed.\n", encoding="utf-8")
    result = _run("scan", str(story), str(other), "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2


def test_avoid_gives_a_verdict_and_fail_on_sets_exit_code(story):
    result = _run("scan", str(story), "--avoid", "death", "--fail-on", "death")
    assert result.exit_code == 1
    assert "chapter 2" in result.output
    assert _run("scan", str(story), "--fail-on", "suicide").exit_code == 0


def test_nothing_detected_is_not_called_safe(tmp_path):
    path = tmp_path / "calm.txt"
    path.write_text("They planted tomatoes in the garden and talked about the weather.\n", encoding="utf-8")
    result = _run("scan", str(path), "--avoid", "suicide")
    assert result.exit_code == 0
    assert "Nothing on your list" in result.output
    assert "not a promise" in result.output


def test_unknown_category_is_a_usage_error(story):
    result = _run("scan", str(story), "--avoid", "kittens")
    assert result.exit_code == 2
    assert "unknown category" in result.stderr


def test_categories_lists_all_33():
    result = _run("categories", "--json")
    assert len(json.loads(result.stdout)) == 33


def _truncated_epub(tmp_path):
    path = tmp_path / "book.epub"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("OEBPS/content.opf", "<package/>" * 200)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _zip_bomb(tmp_path):
    path = tmp_path / "bomb.epub"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("OEBPS/chapter.xhtml", b"\0" * (300 * 1024 * 1024))
    return path


def _file(name, content):
    def make(tmp):
        path = tmp / name
        path.write_bytes(content)
        return path
    return make


BAD_INPUTS = {
    "empty": _file("empty.txt", b""),
    "binary": _file("image.txt", bytes(range(256)) * 64),
    "wrong encoding": _file("story.txt", "Привет, как дела? Всё хорошо.".encode("utf-16-le")[:-1] + b"\xff\xfe\x00"),
    "directory": lambda tmp: tmp,
    "missing": lambda tmp: tmp / "nope.txt",
    "truncated epub": _truncated_epub,
    "zip bomb": _zip_bomb,
    "html full of scripts": _file("s.html", b"<html><body>" + b"<script>alert(1)</script>" * 100 + b"</body></html>"),
    "xml external entity": _file("x.xhtml", b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM '
                                 b'"file:///etc/passwd">]><html><body><p>&x;</p></body></html>'),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_2(kind, tmp_path):
    path = BAD_INPUTS[kind](tmp_path)
    result = _run("scan", str(path))
    assert result.exit_code == 2, (kind, result.output)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("forewarn: error: "), result.stderr
    assert "Traceback" not in result.output
    assert "root:" not in result.stderr


def test_too_large_file_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 300_000, encoding="utf-8")
    result = _run("scan", str(path), "--max-size", "1")
    assert result.exit_code == 2
    assert "--max-size" in result.stderr


def test_real_process_has_no_traceback_on_binary_stdin():
    process = subprocess.run([sys.executable, "-m", "forewarn", "scan", "-"], input=b"\x00\x01\x02" * 1000,
                             capture_output=True, timeout=120)
    assert process.returncode == 2
    assert process.stderr.decode().count("\n") == 1
    assert b"Traceback" not in process.stderr


def test_a_100_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 100 MB by size, nothing written
        handle.truncate(100 * 1024 * 1024)
    result = _run("scan", str(path))
    assert result.exit_code == 2
    assert "--max-size" in result.stderr
