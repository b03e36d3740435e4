"""Library mode: discovery, skip-by-hash, reuse, failures, process pool and resume after SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from forewarn.batch.library import category_counts, default_store, discover, run_library
from forewarn.batch.scanner import ScanOptions
from forewarn.batch.store import Store
from tests.batch_fakes import CLI_WITH_FAKE_SCAN, FAKE_FINGERPRINT, fake_scan, use_fake_engine


def _library(root: Path) -> Path:
    (root / "a").mkdir(parents=True)
    (root / "a" / "one.txt").write_text("One\n\nA storm came over the hill.\n")
    (root / "a" / "two.md").write_text("Two\n\nThey walked to the cliff edge.\n")
    (root / "three.txt").write_text("Three\n\nA quiet morning with tea.\n")
    (root / "bad.txt").write_text("Bad\n\nBROKEN\n")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "four.txt").write_text("hidden")
    return root


def _run(root: Path, store: Store, fingerprint: str = FAKE_FINGERPRINT, **options):
    return run_library(discover(root), store, root=str(root), fingerprint=fingerprint,
                       options=ScanOptions(), scan=fake_scan, **options)


def test_discover_finds_readable_files_and_skips_hidden_folders(tmp_path):
    keys = [item.key for item in discover(_library(tmp_path))]
    assert keys == ["bad.txt", "three.txt", "a/one.txt", "a/two.md"]
    assert "notes.pdf" not in keys and not any(".hidden" in k for k in keys)


def test_run_stores_every_work_and_keeps_going_after_a_failure(tmp_path):
    root = _library(tmp_path / "lib")
    with Store(default_store(root)) as store:
        summary = _run(root, store)
        records = {r.path: r for r in store.records()}
    assert summary.scanned == 4 and summary.skipped == 0
    assert summary.failed == [("bad.txt", "the input is broken; give a real story")]
    assert records["a/one.txt"].findings == [("death", "mentioned")]
    assert records["a/two.md"].findings == [("self-harm", "graphic")]
    assert records["bad.txt"].status == "failed" and records["bad.txt"].report is None
    assert category_counts(records.values()) == {"death": 1, "self-harm": 1}


def test_second_run_rescans_nothing(tmp_path):
    root = _library(tmp_path / "lib")
    with Store(default_store(root)) as store:
        _run(root, store)
        again = _run(root, store)
        scans = [r.scans for r in store.records()]
    assert (again.scanned, again.skipped) == (0, 4)
    assert scans == [1, 1, 1, 1]


def test_changed_content_is_rescanned_and_same_content_elsewhere_is_reused(tmp_path):
    root = _library(tmp_path / "lib")
    with Store(default_store(root)) as store:
        _run(root, store)
        (root / "three.txt").write_text("Three\n\nNow a storm.\n")
        (root / "copy.txt").write_bytes((root / "a" / "two.md").read_bytes())
        again = _run(root, store)
        three, copy = store.get("three.txt"), store.get("copy.txt")
    assert (again.scanned, again.reused) == (1, 1)
    assert three.findings == [("death", "mentioned")] and three.scans == 2
    assert copy.findings == [("self-harm", "graphic")] and copy.scans == 0


def test_touched_file_with_same_content_is_not_rescanned(tmp_path):
    root = _library(tmp_path / "lib")
    with Store(default_store(root)) as store:
        _run(root, store)
        os.utime(root / "three.txt", (1, 1))
        again = _run(root, store)
    assert (again.scanned, again.skipped) == (0, 4)


def test_new_detectors_rescan_everything_and_retry_failed_rescans_failures(tmp_path):
    root = _library(tmp_path / "lib")
    with Store(default_store(root)) as store:
        _run(root, store)
        assert _run(root, store, fingerprint="fake-detectors 2").scanned == 4
        assert _run(root, store, fingerprint="fake-detectors 2", retry_failed=True).scanned == 1


def test_unexpected_exception_is_recorded_as_one_line(tmp_path):
    root = tmp_path / "lib"
    root.mkdir()
    (root / "c.txt").write_text("CRASH")
    with Store(default_store(root)) as store:
        summary = _run(root, store)
    assert summary.failed == [("c.txt", "RuntimeError: detector fell over with a second line")]


def test_process_pool_gives_the_same_results(tmp_path):
    root = _library(tmp_path / "lib")
    with Store(tmp_path / "inline.sqlite") as store:
        _run(root, store)
        inline = {r.path: (r.status, r.findings) for r in store.records()}
    with Store(tmp_path / "pool.sqlite") as store:
        summary = _run(root, store, jobs=2)
        pooled = {r.path: (r.status, r.findings) for r in store.records()}
    assert summary.scanned == 4 and pooled == inline


def test_progress_sink_hears_of_every_work(tmp_path):
    root = _library(tmp_path / "lib")
    events: list = []

    class Sink:
        def start(self, total: int) -> None:
            events.append(("start", total))

        def advance(self, words: int) -> None:
            events.append(("advance", words))

    with Store(default_store(root)) as store:
        _run(root, store, progress=Sink())
    assert events[0] == ("start", 4)
    assert len(events) == 5 and sum(w for kind, w in events[1:]) > 0


def _stories(root: Path, count: int, paragraphs: int) -> None:
    root.mkdir(parents=True)
    body = "\n\n".join(
        f"The travellers crossed the valley on day {p}, talking about the weather and the road ahead."
        for p in range(paragraphs)
    )
    for number in range(count):
        (root / f"story-{number:02d}.txt").write_text(f"Story {number}\n\n{body}\n\nThe end of story {number}.\n")


def _stored(store_path: Path) -> list[tuple[str, int, int]]:
    with sqlite3.connect(store_path) as db:
        return db.execute("SELECT path, scans, run FROM works ORDER BY path").fetchall()


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT])
def test_stop_then_resume_loses_nothing_and_redoes_nothing(tmp_path, stop):
    """Start a real `forewarn library` process (fake scan, 0.1 s a work), kill or Ctrl-C it mid-way, run again."""
    root = tmp_path / "lib"
    _stories(root, 30, 5)
    store_path = tmp_path / "results.sqlite"
    command = [sys.executable, "-c", CLI_WITH_FAKE_SCAN, "library", str(root), "--store", str(store_path), "--jobs", "2"]
    repository = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repository), str(repository / "src")])}
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    stored_before_kill = 0
    while time.monotonic() < deadline and first.poll() is None:
        if store_path.exists():
            try:
                stored_before_kill = len(_stored(store_path))
            except sqlite3.Error:
                stored_before_kill = 0
            if stored_before_kill >= 3:
                break
        time.sleep(0.02)
    assert first.poll() is None, f"the first run ended before it could be killed: {first.communicate()}"
    workers = psutil.Process(first.pid).children(recursive=True)
    first.send_signal(stop)
    output, _ = first.communicate(timeout=60)
    if stop == signal.SIGKILL:
        assert first.returncode == -signal.SIGKILL
    else:
        assert first.returncode == 130 and b"run the same command again to resume" in output
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == [], "worker processes outlived the run"
    after_kill = _stored(store_path)
    assert 3 <= len(after_kill) < 30

    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert second.returncode == 0, second.stderr
    rows = _stored(store_path)
    assert [path for path, _, _ in rows] == [f"story-{n:02d}.txt" for n in range(30)]
    assert all(scans == 1 for _, scans, _ in rows), "a work was scanned twice"
    first_run = {path for path, _, run in after_kill}
    assert {path for path, _, run in rows if run == 1} == first_run
    assert f"{len(after_kill)} already done" in second.stdout


@pytest.fixture
def cli(monkeypatch):
    """Run `forewarn library` in-process with the fake scan."""
    from typer.testing import CliRunner

    import forewarn.cli.library as library_cli
    from forewarn.cli._app import app

    use_fake_engine(monkeypatch)
    monkeypatch.setattr(library_cli, "fingerprint", lambda options: FAKE_FINGERPRINT)
    return lambda *args: CliRunner().invoke(app, ["library", *args, "--jobs", "0"])


def test_cli_summary_avoid_and_export(tmp_path, cli):
    root = _library(tmp_path / "lib")
    export = tmp_path / "out.jsonl"
    result = cli(str(root), "--avoid", "self-harm", "--export", str(export))
    assert result.exit_code == 0, result.output
    assert "Scanned 4 works" in result.output and "1 failed" in result.output
    assert "failed: bad.txt: the input is broken; give a real story" in result.output
    assert "Not safe for this reader (self-harm): 1 of 3 scanned works" in result.output
    assert "a/two.md  Not safe for you" in result.output and "not-safe" not in result.output
    rows = [json.loads(line) for line in export.read_text().splitlines()]
    assert {r["path"]: r["status"] for r in rows} == {"a/one.txt": "ok", "a/two.md": "ok", "bad.txt": "failed", "three.txt": "ok"}
    assert all("report" in r for r in rows)
    again = cli(str(root))
    assert "Scanned 0 works" in again.output and "4 already done" in again.output


def test_cli_calibre_library(tmp_path, cli, monkeypatch):
    from forewarn.batch.calibre import calibre_store
    from tests.batch_fakes import make_calibre_library

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    library = make_calibre_library(tmp_path / "cal")
    result = cli("--calibre", str(library))
    assert result.exit_code == 0, result.output
    assert "Scanned 2 works" in result.output and "calibre book 3 (Only PDF): no format forewarn reads" in result.output
    assert not (library / ".forewarn").exists()  # calibredb check_library would list it as an extra author
    assert calibre_store(library).is_file() and calibre_store(library).is_relative_to(tmp_path / "data-home")


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "one of the two"), (("--export", "x.xlsx"), "xlsx"), (("--avoid", "no-such-thing"), "no-such-thing")],
)
def test_cli_usage_errors_are_one_line_exit_2(tmp_path, cli, args, message):
    root = _library(tmp_path / "lib")
    result = cli(*((str(root),) if args else ()), *args)
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_empty_folder_is_usage_error(tmp_path, cli):
    (tmp_path / "empty").mkdir()
    result = cli(str(tmp_path / "empty"))
    assert result.exit_code == 2 and "no story files" in result.output


@pytest.fixture
def no_hang():
    """Fail the test instead of hanging it (a FIFO read blocks for ever)."""
    class Hung(Exception):
        """Not an OSError, so that nothing on the way catches it as a failed file."""

    def hung(*_):
        raise Hung("the run hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_fifos_and_device_links_fail_with_a_reason_and_the_run_goes_on(tmp_path, no_hang):
    root = _library(tmp_path / "lib")
    os.mkfifo(root / "pipe.txt")
    (root / "zero.txt").symlink_to("/dev/zero")
    with Store(default_store(root)) as store:
        summary = _run(root, store)
        records = {r.path: r for r in store.records()}
    failed = dict(summary.failed)
    assert "is not a regular file (a FIFO)" in failed["pipe.txt"]
    assert "is not a regular file (a character device)" in failed["zero.txt"]
    assert records["a/one.txt"].status == "ok" and summary.scanned == 4


def test_a_file_over_the_size_limit_is_refused_before_it_is_read_whole(tmp_path, monkeypatch):
    from forewarn.batch import library

    root = _library(tmp_path / "lib")
    (root / "big.txt").write_text("word " * 100)
    monkeypatch.setattr(library, "default_max_bytes", lambda: 200)
    with Store(default_store(root)) as store:
        failed = dict(_run(root, store).failed)
    assert "larger than the 200-byte limit" in failed["big.txt"]


def test_a_worker_killed_by_the_system_fails_its_file_and_the_run_goes_on(tmp_path):
    root = _library(tmp_path / "lib")
    (root / "oom.txt").write_text("Oom\n\nKILLME\n")
    with Store(default_store(root)) as store:
        summary = _run(root, store, jobs=2)
        records = {r.path: r for r in store.records()}
    assert summary.scanned == 5
    assert records["oom.txt"].status == "failed" and "killed by signal 9" in records["oom.txt"].error
    assert records["a/one.txt"].findings == [("death", "mentioned")] and records["three.txt"].status == "ok"
