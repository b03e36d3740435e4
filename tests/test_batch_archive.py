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
from tests.batch_fakes import fake_scan, use_fake_engine

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


@pytest.mark.slow
def test_dask_engine_fails_the_work_whose_worker_was_killed(tmp_path, monkeypatch):
    repository = str(Path(__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([repository, os.path.join(repository, "src")]))
    works = [{"id": "a", "text": "A storm."}, {"id": "b", "text": "KILLME"}, {"id": "c", "text": "Tea."}]
    summary = run_batch(_jsonl(tmp_path / "in.jsonl", works), tmp_path / "out", engine="dask", jobs=2,
                        scan=fake_scan, chunk_size=2)
    rows = _rows(tmp_path / "out")
    assert summary.scanned == 3 and sorted(rows) == ["a", "b", "c"]
    assert rows["b"]["status"] == "failed" and "was killed" in rows["b"]["error"]
    # Dask blames every task a dying worker held: a work queued beside the killer may share its fate
    assert all(rows[k]["status"] == "ok" or "was killed" in rows[k]["error"] for k in "ac")


def test_cli_batch_runs_and_resumes(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from forewarn.cli._app import app

    use_fake_engine(monkeypatch)
    source = _jsonl(tmp_path / "in.jsonl", WORKS)
    command = ["batch", str(source), str(tmp_path / "out"), "--jobs", "0"]
    first = CliRunner().invoke(app, command)
    assert first.exit_code == 0, first.output
    assert "Scanned 5 works (2 failed" in first.output
    second = CliRunner().invoke(app, command)
    assert "Scanned 0 works" in second.output and "5 of 5 already in" in second.output
    bad = CliRunner().invoke(app, [*command, "--engine", "ray"])
    assert bad.exit_code == 2 and "unknown engine" in bad.output


def test_a_worker_killed_by_the_system_fails_its_work_and_the_run_goes_on(tmp_path):
    works = [{"id": "a", "text": "A storm."}, {"id": "b", "text": "KILLME please"}, {"id": "c", "text": "Tea."},
             {"id": "d", "text": "The cliff."}, {"id": "e", "text": "Rain."}]
    summary = run_batch(_jsonl(tmp_path / "in.jsonl", works), tmp_path / "out", scan=fake_scan, jobs=2, chunk_size=3)
    rows = _rows(tmp_path / "out")
    assert sorted(rows) == ["a", "b", "c", "d", "e"] and (summary.scanned, summary.failed) == (5, 1)
    assert rows["b"]["status"] == "failed" and "killed by signal 9" in rows["b"]["error"]
    assert all(rows[k]["status"] == "ok" for k in "acde")
    assert json.loads(rows["a"]["findings"])[0]["category"] == "death"


def test_a_work_past_the_time_limit_fails_and_the_run_goes_on(tmp_path, monkeypatch):
    from forewarn.batch import archive

    config = archive.settings().model_copy(update={"work_seconds": 1})
    monkeypatch.setattr(archive, "settings", lambda: config)
    works = [{"id": "a", "text": "A storm."}, {"id": "b", "text": "HANG"}]
    run_batch(_jsonl(tmp_path / "in.jsonl", works), tmp_path / "out", scan=fake_scan, jobs=1, chunk_size=1)
    rows = _rows(tmp_path / "out")
    assert rows["a"]["status"] == "ok"
    assert rows["b"]["status"] == "failed" and "longer than the limit of 1 s" in rows["b"]["error"]


def test_a_lone_surrogate_fails_its_row_and_the_run_goes_on(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": "ok", "text": "A storm."}\n'
        '{"id": "bad", "text": "Half a pair \\ud800 here", "note": "also \\udfff"}\n'
        '{"id": "id\\ud800", "text": "Tea."}\n'
    )
    for _ in range(2):  # a rerun neither crashes nor rescans
        summary = run_batch(source, tmp_path / "out", scan=fake_scan)
    assert (summary.total, summary.skipped, summary.scanned) == (3, 3, 0)
    rows = _rows(tmp_path / "out")
    assert rows["ok"]["status"] == "ok" and rows["id?"]["status"] == "ok"
    assert rows["bad"]["status"] == "failed" and "lone surrogate" in rows["bad"]["error"]
    assert "line 2" in rows["bad"]["error"] and json.loads(rows["bad"]["metadata"]) == {"note": "also ?"}


class _Clock:
    """A clock that moves on by ``step`` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.mark.parametrize(("step", "parts"), [(0.0, 1), (10.0, 5)])
def test_parts_are_written_by_time_as_well_as_by_count(tmp_path, step, parts):
    works = [{"id": f"w{n}", "text": "A quiet day."} for n in range(5)]
    summary = run_batch(_jsonl(tmp_path / "in.jsonl", works), tmp_path / "out", scan=fake_scan,
                        chunk_size=1, part_size=1000, clock=_Clock(step))
    assert summary.parts == parts == len(list((tmp_path / "out").glob("part-*.parquet")))
    assert done_ids(tmp_path / "out") == {f"w{n}" for n in range(5)}


def test_a_killed_run_keeps_the_parts_flushed_by_time(tmp_path):
    """A real `forewarn batch` (0.1 s a work, parts of 1,000 rows, flushed each 0.5 s) killed with SIGKILL."""
    import signal
    import subprocess
    import sys
    import time

    from tests.batch_fakes import CLI_WITH_FAKE_SCAN

    source = _jsonl(tmp_path / "in.jsonl", [{"id": f"w{n}", "text": "A quiet day."} for n in range(200)])
    output = tmp_path / "out"
    data = tmp_path / "batch.toml"
    repository = Path(__file__).resolve().parents[1]
    data.write_text((repository / "src/forewarn/data/batch.toml").read_text()
                    .replace("part_size = 256", "part_size = 1000").replace("flush_seconds = 5.0", "flush_seconds = 0.5"))
    script = CLI_WITH_FAKE_SCAN.replace(
        "from forewarn.cli import main",
        "import forewarn.batch.archive as archive, tomllib\n"
        "from forewarn.config.batch import ArchiveSettings\n"
        f"archive.settings = lambda: ArchiveSettings(**tomllib.loads(open({str(data)!r}).read())['archive'])\n"
        "from forewarn.cli import main",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repository), str(repository / "src")])}
    run = subprocess.Popen([sys.executable, "-c", script, "batch", str(source), str(output), "--jobs", "1"], env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and run.poll() is None and not list(output.glob("part-*.parquet")):
        time.sleep(0.05)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=60)
    written = done_ids(output)
    assert 0 < len(written) < 200, "nothing was kept, or the run ended before the kill"
