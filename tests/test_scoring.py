"""score-passages: the Python function, JSONL streaming and the CLI command."""

from __future__ import annotations

import io
import json

import pytest
from typer.testing import CliRunner

import forewarn.cli.score  # noqa: F401  (registers the command)
from forewarn.cli import app
from forewarn.detectors.scoring import score_jsonl, score_passages
from forewarn.errors import InputError
from forewarn.taxonomy import category_ids

WAR = "The army shelled the city for days; soldiers stormed the walls and the battle raged on."
TEA = "They had tea and cake on the lawn and talked about the new curtains."


def test_score_passages_gives_every_category_and_consistent_labels():
    results = score_passages([WAR, TEA])
    assert len(results) == 2
    for result in results:
        assert list(result["scores"]) == category_ids()
        assert all(0.0 <= p <= 1.0 for p in result["scores"].values())
        assert set(result["labels"]) <= set(result["scores"])
    assert "war" in results[0]["labels"]
    assert results[0]["scores"]["war"] > results[1]["scores"]["war"]


def test_labels_follow_the_category_thresholds(monkeypatch):
    from dataclasses import replace

    from forewarn.detectors.learned import shared_detector

    detector = shared_detector()
    lenient = replace(detector.settings, thresholds={**detector.settings.thresholds, "war": 0.0})
    monkeypatch.setattr(detector, "settings", lenient)
    assert "war" in score_passages([TEA])[0]["labels"]
    strict = replace(detector.settings, thresholds={**detector.settings.thresholds, "war": 1.01})
    monkeypatch.setattr(detector, "settings", strict)
    assert "war" not in score_passages([WAR])[0]["labels"]


def test_score_passages_refuses_a_bare_string():
    with pytest.raises(InputError):
        score_passages(WAR)  # type: ignore[arg-type]


def test_jsonl_round_trip_keeps_ids_and_order():
    source = io.StringIO(json.dumps({"id": "a", "text": WAR}) + "\n\n" + json.dumps({"id": 7, "text": TEA}) + "\n")
    sink = io.StringIO()
    assert score_jsonl(source, sink, batch=1) == 2
    lines = [json.loads(line) for line in sink.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["a", 7]
    assert set(lines[0]) == {"id", "scores", "labels"}


@pytest.mark.parametrize("line", ["not json", json.dumps({"text": "no id"}), json.dumps({"id": 1, "text": 3})])
def test_bad_jsonl_lines_raise_input_error_naming_the_line(line):
    with pytest.raises(InputError, match="line 1"):
        score_jsonl(io.StringIO(line + "\n"), io.StringIO())


def test_cli_reads_a_file_and_writes_a_file(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x", "text": WAR}) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["score-passages", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == "x"


def test_cli_reads_stdin():
    result = CliRunner().invoke(app, ["score-passages", "-"], input=json.dumps({"id": 1, "text": TEA}) + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["id"] == 1


def test_cli_bad_input_exits_2_with_one_line():
    result = CliRunner().invoke(app, ["score-passages", "/no/such/file.jsonl"])
    assert result.exit_code == 2
    assert "no such file" in result.output
    bad = CliRunner().invoke(app, ["score-passages", "-"], input="nonsense\n")
    assert bad.exit_code == 2 and "line 1" in bad.output
