"""Archive batches: JSONL/Parquet in, Parquet parts out, one row per work, resumable by id."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from forewarn.batch.archive import done_ids, run_batch
from forewarn.errors import InputError, UsageError
from tests.batch_fakes import fake_scan

WORKS = [
    {"id": 1, "text": "A storm over the bay.", "fandom": "Original"},
    {"id": "w2", "text": "Up on the cliff at night."},
    {"id": "w3", "text": "Tea and a quiet book."},
    {"id": "w4", "text": "BROKEN"},
    {"id": "w5"},
]


def _jsonl(path, works):
    path.write_text("".join(json.dumps(w) + "\n" for w in works))
    return path


def _rows(output):
    return {r["id"]: r for r in pq.read_table(output).to_pylist()}


def test_every_work_gets_one_row(tmp_path):
    output = tmp_path / "out"
    summary = run_batch(_jsonl(tmp_path / "in.jsonl", WORKS), output, scan=fake_scan, chunk_size=2, part_size=2)
    rows = _rows(output)
    assert sorted(rows) == ["1", "w2", "w3", "w4", "w5"]
    assert (summary.scanned, summary.failed, summary.parts) == (5, 2, 3)
    assert [f["category"] for f in json.loads(rows["1"]["findings"])] == ["death"]
    assert json.loads(rows["1"]["metadata"]) == {"fandom": "Original"}
    assert rows["w2"]["ao3_rating"] == "Mature" and json.loads(rows["w3"]["findings"]) == []
    assert rows["w4"]["status"] == "failed" and rows["w4"]["error"] == "the input is broken; give a real story"
    assert rows["w5"]["error"].startswith("no text")


def test_rerun_skips_ids_already_written(tmp_path):
    source, output = _jsonl(tmp_path / "in.jsonl", WORKS[:2]), tmp_path / "out"
    run_batch(source, output, scan=fake_scan)
    _jsonl(source, WORKS)
    again = run_batch(source, output, scan=fake_scan)
    assert (again.total, again.skipped, again.scanned) == (5, 2, 3)
    assert len(pq.read_table(output)) == 5 and done_ids(output) == {"1", "w2", "w3", "w4", "w5"}


def test_leftover_temporary_part_from_a_killed_run_is_ignored(tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / ".part-x-000000.parquet.tmp").write_bytes(b"half a file")
    run_batch(_jsonl(tmp_path / "in.jsonl", WORKS[:1]), output, scan=fake_scan)
    assert [p.name[:5] for p in output.iterdir()] == ["part-"]


def test_parquet_input_and_duplicate_ids(tmp_path):
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "a", "text": "storm"}, {"id": "a", "text": "cliff"}]), source)
    summary = run_batch(source, tmp_path / "out", scan=fake_scan)
    assert (summary.scanned, summary.skipped) == (1, 1)


def test_bad_jsonl_line_becomes_a_failed_row(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "ok", "text": "storm"}\nnot json\n')
    run_batch(source, tmp_path / "out", scan=fake_scan)
    rows = _rows(tmp_path / "out")
    assert rows["in.jsonl:2"]["status"] == "failed" and "line 2" in rows["in.jsonl:2"]["error"]


def test_process_pool_engine_matches_inline(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", WORKS)
    run_batch(source, tmp_path / "one", scan=fake_scan)
    run_batch(source, tmp_path / "two", scan=fake_scan, jobs=2, chunk_size=1)
    strip = lambda rows: {k: {c: v for c, v in r.items() if c != "seconds"} for k, r in rows.items()}
    assert strip(_rows(tmp_path / "one")) == strip(_rows(tmp_path / "two"))


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [("in.csv", "id,text\n", InputError), ("missing.jsonl", None, InputError)],
)
def test_unreadable_input_is_input_error(tmp_path, name, content, error):
    if content is not None:
        (tmp_path / name).write_text(content)
    with pytest.raises(error):
        run_batch(tmp_path / name, tmp_path / "out", scan=fake_scan)


def test_parquet_without_text_column_is_input_error(tmp_path):
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": "a", "body": "x"}]), source)
    with pytest.raises(InputError, match="needs columns id and text"):
        run_batch(source, tmp_path / "out", scan=fake_scan)


def test_output_that_is_a_file_or_unknown_engine_is_usage_error(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", WORKS[:1])
    (tmp_path / "file").write_text("x")
    with pytest.raises(UsageError):
        run_batch(source, tmp_path / "file", scan=fake_scan)
    with pytest.raises(UsageError):
        run_batch(source, tmp_path / "out", scan=fake_scan, engine="spark")


@pytest.mark.slow
def test_dask_engine_on_a_local_cluster(tmp_path, monkeypatch):
    repository = str(Path(__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([repository, os.path.join(repository, "src")]))
    source = _jsonl(tmp_path / "in.jsonl", WORKS)
    summary = run_batch(source, tmp_path / "out", engine="dask", jobs=2, scan=fake_scan, chunk_size=1)
    rows = _rows(tmp_path / "out")
    assert summary.scanned == 5 and sorted(rows) == ["1", "w2", "w3", "w4", "w5"]
    assert [f["category"] for f in json.loads(rows["w2"]["findings"])] == ["self-harm"]


def test_cli_batch_runs_and_resumes(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import forewarn
    import forewarn.cli.batch
    from forewarn import worker
    from forewarn.cli._app import app

    monkeypatch.setattr(forewarn, "scan", fake_scan)
    monkeypatch.setattr(worker, "load_detectors", lambda options: [])
    source = _jsonl(tmp_path / "in.jsonl", WORKS)
    command = ["batch", str(source), str(tmp_path / "out"), "--jobs", "0"]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    assert "Scanned 5 works (2 failed" in first.output
    second = CliRunner().invoke(app, command)
    assert "Scanned 0 works" in second.output and "5 of 5 already in" in second.output
    bad = CliRunner().invoke(app, [*command, "--engine", "ray"])
    assert bad.exit_code == 2 and "unknown engine" in bad.output
