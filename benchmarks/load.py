"""Load benchmark of ``forewarn serve`` on loopback.

Two scenarios, each starting the server in a subprocess (or using ``--url``):

``mixed`` (the default): ``--clients`` clients for ``--seconds``, each sending scans back to back
(JSON text and file uploads, small to large) and honouring Retry-After on 503. Reports
throughput, p50/p99 latency of answered scans, how overload was answered, errors (anything
but 200/503, or no answer), and the memory of the server and its workers (sampled every second).

``uploads``: ``--uploaders`` clients at once, each sending near-limit files (``--upload-mb``,
random bytes named ``.txt``, which a worker reads in full and refuses as binary: 422) back to
back, with one request in ten a small real story (200), honouring Retry-After on 503; plus
``--slow`` clients whose bodies trickle in (a few bytes a second), which must be cut (408) or
refused before their body (503). Reports the main server process's memory (RSS before, peak,
after; the workers are not counted: they hold one scan each), p50/p99 latency per answer, and
errors (no answer, or a status other than 200/408/422/503).

    python benchmarks/load.py --clients 50 --seconds 60
    python benchmarks/load.py --books ../shared/data/books/texts   # real novels as the large texts
    python benchmarks/load.py --scenario uploads --uploaders 100 --slow 20 --seconds 60

Linux only (memory is read from /proc).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

CALM = (
    "The morning was grey and the harbour smelled of salt.",
    "Ada counted the boats and wrote their names in her notebook.",
    "Tom carried the bread home and whistled an old song.",
    "They argued about the summer fair and laughed about it later.",
)
HARD = (
    "In the alley the men beat him until he fell and did not get up.",
    "She cut her arm with a razor blade and watched the blood run.",
    "He had wanted to die for months and wrote a note to his sister.",
)


def synthetic_story(words: int, seed: int) -> str:
    """A story of about ``words`` words in chapters, with a few hard sentences late in it."""
    rng = random.Random(seed)
    parts: list[str] = []
    count = 0
    chapter = 0
    while count < words:
        if count % 2000 < 12 or not parts:
            chapter += 1
            parts.append(f"\n\nChapter {chapter}\n\n")
        sentence = rng.choice(HARD) if count > words * 0.6 and rng.random() < 0.05 else rng.choice(CALM)
        parts.append(sentence + (" " if rng.random() < 0.8 else "\n\n"))
        count += len(sentence.split())
    return "".join(parts).strip()


@dataclass
class Stats:
    """What the clients saw."""

    latencies_ok: list[float] = field(default_factory=list)
    latencies_busy: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0..100) by nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MB (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    family = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent in parents.items():
            if parent in family and child not in family:
                family.add(child)
                grew = True
    total_kb = 0
    for member in family:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


async def client(http: httpx.AsyncClient, stories: list[tuple[str, str]], stop: float,
                 stats: Stats, rng: random.Random) -> None:
    """Send scans until ``stop``; on 503 wait as Retry-After says."""
    while time.monotonic() < stop:
        name, text = rng.choice(stories)
        started = time.monotonic()
        try:
            if rng.random() < 0.5:
                response = await http.post("/v1/scan", json={"text": text, "avoid": ["self-harm"]})
            else:
                response = await http.post("/v1/scan", files={"file": (name, text.encode())},
                                           data={"spoilers": "true"})
        except httpx.HTTPError as error:
            stats.errors.append(type(error).__name__)
            stats.statuses["no answer"] = stats.statuses.get("no answer", 0) + 1
            await asyncio.sleep(0.5)
            continue
        elapsed = time.monotonic() - started
        key = str(response.status_code)
        stats.statuses[key] = stats.statuses.get(key, 0) + 1
        if response.status_code == 200:
            stats.latencies_ok.append(elapsed)
        elif response.status_code == 503:
            stats.latencies_busy.append(elapsed)
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))
        else:
            stats.errors.append(f"{response.status_code}: {response.text[:200]}")


async def sample_memory(pid: int, stop: float, stats: Stats) -> None:
    """Record the server tree's RSS every second."""
    while time.monotonic() < stop:
        stats.rss_mb.append(tree_rss_mb(pid))
        await asyncio.sleep(1)


async def run_load(url: str, server_pid: int | None, clients: int, seconds: float,
                   stories: list[tuple[str, str]]) -> Stats:
    """Run the clients against ``url`` and collect their stats."""
    stats = Stats()
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as http:
        tasks = [client(http, stories, stop, stats, random.Random(i)) for i in range(clients)]
        if server_pid:
            tasks.append(sample_memory(server_pid, stop, stats))
        await asyncio.gather(*tasks)
    return stats


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, workers: int, *extra: str) -> subprocess.Popen:
    """``forewarn serve`` in a subprocess, once its /healthz answers."""
    command = [sys.executable, "-c", "from forewarn.cli import main; main()", "serve",
               "--port", str(port), "--max-concurrent", str(workers), "--no-access-log", *extra]
    process = subprocess.Popen(command, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def load_stories(books: Path | None, rng: random.Random) -> list[tuple[str, str]]:
    """Small, medium and large stories: synthetic, plus real texts from ``books`` if given."""
    stories = [("small.txt", synthetic_story(300, 1)), ("medium.txt", synthetic_story(5_000, 2)),
               ("large.txt", synthetic_story(40_000, 3))]
    if books:
        for path in rng.sample(sorted(books.glob("*.txt")), k=2):
            stories.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
    return stories


# ---- the uploads scenario ----------------------------------------------------------------------

def process_memory_mb(pid: int) -> tuple[float, float]:
    """(RSS now, RSS high-water mark) of one process, in MB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in {"VmRSS", "VmHWM"}:
            values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


@dataclass
class UploadStats:
    """What the uploaders and slow clients saw, latencies by answer."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    main_rss_mb: list[float] = field(default_factory=list)

    def record(self, key: str, seconds: float) -> None:
        self.latencies.setdefault(key, []).append(seconds)


ANSWERED = {"200", "408", "422", "503"}


async def uploader(http: httpx.AsyncClient, big: bytes, small: bytes, stop: float,
                   stats: UploadStats, rng: random.Random) -> None:
    """Upload near-limit files (one in ten a small story) until ``stop``; wait on 503."""
    while time.monotonic() < stop:
        name, data = ("small.txt", small) if rng.random() < 0.1 else ("near-limit.txt", big)
        started = time.monotonic()
        try:
            response = await http.post("/v1/scan", files={"file": (name, data)})
        except httpx.HTTPError as error:
            stats.record("no answer", time.monotonic() - started)
            stats.errors.append(f"{type(error).__name__}: {error}"[:120])
            await asyncio.sleep(1)
            continue
        key = str(response.status_code)
        stats.record(key, time.monotonic() - started)
        if key not in ANSWERED:
            stats.errors.append(f"{key}: {response.text[:120]}")
        if key == "503":
            await asyncio.sleep(float(response.headers.get("retry-after", "1")))


async def slow_body(host: str, port: int, length: int, stop: float, stats: UploadStats) -> None:
    """Open uploads whose body trickles in (16 bytes a second) until the server answers."""
    head = (f"POST /v1/scan HTTP/1.1\r\nHost: {host}:{port}\r\ncontent-type: application/json\r\n"
            f"content-length: {length}\r\n\r\n").encode()
    while time.monotonic() < stop:
        started = time.monotonic()
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(head + b'{"text": "')
            answer = asyncio.ensure_future(reader.read(4096))
            while not answer.done() and time.monotonic() - started < 600:
                writer.write(b"slowly, slowly. ")
                await asyncio.wait([answer], timeout=1)
            status = answer.result().split(b" ", 2)[1].decode() if answer.done() and answer.result() else "no answer"
        except (OSError, IndexError) as error:
            status = "no answer"
            stats.errors.append(f"slow body: {type(error).__name__}")
        finally:
            writer.close()
        stats.record(f"slow {status}", time.monotonic() - started)
        if status not in {"408", "503"}:
            stats.errors.append(f"slow body answered {status}")
        await asyncio.sleep(1)


async def sample_main_memory(pid: int, stop: float, stats: UploadStats) -> None:
    """Record the main server process's RSS twice a second."""
    while time.monotonic() < stop:
        stats.main_rss_mb.append(process_memory_mb(pid)[0])
        await asyncio.sleep(0.5)


async def run_uploads(url: str, server_pid: int, uploaders: int, slow: int, seconds: float,
                      upload_bytes: int) -> UploadStats:
    """Run the uploaders and slow clients against ``url`` and collect their stats."""
    stats = UploadStats()
    stop = time.monotonic() + seconds
    big = os.urandom(upload_bytes)
    small = synthetic_story(300, 1).encode()
    host, port = url.removeprefix("http://").rsplit(":", 1)
    limits = httpx.Limits(max_connections=uploaders, max_keepalive_connections=uploaders)
    async with httpx.AsyncClient(base_url=url, timeout=300, limits=limits) as http:
        tasks = [uploader(http, big, small, stop, stats, random.Random(i)) for i in range(uploaders)]
        tasks += [slow_body(host, int(port), upload_bytes, stop, stats) for _ in range(slow)]
        tasks.append(sample_main_memory(server_pid, stop, stats))
        await asyncio.gather(*tasks)
    return stats


def uploads_main(args: argparse.Namespace) -> dict:
    """The uploads scenario: start the server, measure, stop it; the summary."""
    port = free_port()
    server = start_server(port, args.workers, "--max-upload-mb", str(args.max_upload_mb))
    try:
        time.sleep(2)
        rss_before, _ = process_memory_mb(server.pid)
        started = time.monotonic()
        stats = asyncio.run(run_uploads(f"http://127.0.0.1:{port}", server.pid, args.uploaders,
                                        args.slow, args.seconds, int(args.upload_mb * 1024 * 1024)))
        wall = time.monotonic() - started
        time.sleep(2)
        rss_after, rss_peak = process_memory_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(30)
    return {
        "scenario": "uploads",
        "uploaders": args.uploaders,
        "slow_clients": args.slow,
        "upload_mb": args.upload_mb,
        "max_upload_mb": args.max_upload_mb,
        "workers": args.workers,
        "seconds": round(wall, 1),
        "answers": {key: len(values) for key, values in sorted(stats.latencies.items())},
        "latency_p50_p99_s": {
            key: [round(percentile(values, 50), 3), round(percentile(values, 99), 3)]
            for key, values in sorted(stats.latencies.items())
        },
        "errors": len(stats.errors),
        "error_samples": sorted(set(stats.errors))[:5],
        "main_rss_mb_before_peak_after": [round(rss_before, 1), round(rss_peak, 1), round(rss_after, 1)],
        "main_rss_mb_sampled_max": round(max(stats.main_rss_mb), 1) if stats.main_rss_mb else None,
    }


def main() -> None:
    """Parse arguments, run the benchmark and print (and save) the summary."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="--max-concurrent of the server started")
    parser.add_argument("--url", help="use a running server instead of starting one")
    parser.add_argument("--books", type=Path, help="a folder of .txt books to add as large stories")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--scenario", choices=("mixed", "uploads"), default="mixed")
    parser.add_argument("--uploaders", type=int, default=100, help="uploads scenario: clients at once")
    parser.add_argument("--slow", type=int, default=20, help="uploads scenario: clients trickling a body")
    parser.add_argument("--upload-mb", type=float, default=19.5, help="uploads scenario: size of each file")
    parser.add_argument("--max-upload-mb", type=float, default=20, help="uploads scenario: the server's limit")
    args = parser.parse_args()
    if args.scenario == "uploads":
        summary = uploads_main(args)
        print(json.dumps(summary, indent=2))
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"load-uploads-{int(time.time())}.json").write_text(json.dumps(summary, indent=2))
        return

    stories = load_stories(args.books, random.Random(0))
    server = None
    url = args.url
    if url is None:
        port = free_port()
        server = start_server(port, args.workers)
        url = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        stats = asyncio.run(run_load(url, server.pid if server else None, args.clients, args.seconds, stories))
        wall = time.monotonic() - started
    finally:
        if server:
            os.killpg(server.pid, signal.SIGINT)
            server.wait(30)

    rss = stats.rss_mb
    summary = {
        "clients": args.clients,
        "seconds": round(wall, 1),
        "workers": args.workers,
        "story_words": {name: len(text.split()) for name, text in stories},
        "scans_ok": len(stats.latencies_ok),
        "throughput_scans_per_s": round(len(stats.latencies_ok) / wall, 2),
        "latency_ok_p50_s": round(percentile(stats.latencies_ok, 50), 3),
        "latency_ok_p99_s": round(percentile(stats.latencies_ok, 99), 3),
        "latency_503_p99_s": round(percentile(stats.latencies_busy, 99), 3),
        "statuses": stats.statuses,
        "errors": len(stats.errors),
        "error_samples": sorted(set(stats.errors))[:5],
        "rss_mb_first_last_max": [round(rss[0], 1), round(rss[-1], 1), round(max(rss), 1)] if rss else None,
    }
    print(json.dumps(summary, indent=2))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"load-{int(time.time())}.json").write_text(json.dumps(summary | {"rss_mb": rss}, indent=2))


if __name__ == "__main__":
    main()
