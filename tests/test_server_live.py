"""A real ``forewarn serve`` on loopback, in a subprocess, driven over raw sockets and httpx.

One server (the real pipeline, one worker, two upload slots, a 6 s body limit, a 1 KB memory
spool, ``--open`` with a stand-in browser) is started for the module; the tests check what the
issue found broken: announcing before ready, unbounded and untimed bodies, tracebacks on
disconnect, any Host accepted, multi-line errors.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

import forewarn

BODY_SECONDS = 6
UPLOAD_SLOTS = 2
GUARD_SECONDS = 60  # a socket read that waits longer than this means the server never answered
STORY = (
    "Chapter 1\n\nMara fed the ducks by the river and laughed at the grey sky. " * 40
    + "\n\nChapter 2\n\nLater that night Mara took a razor blade and cut her arm until it bled. "
    "She hid the scars under her sleeves.\n"
)


class LiveServer:
    """The subprocess, its stderr lines (read by a thread), and what was seen at start."""

    def __init__(self, tmp: Path) -> None:
        self.opened = tmp / "opened.txt"
        browser = tmp / "browser.sh"
        browser.write_text(f'#!/bin/sh\nprintf %s "$1" > {self.opened}\n')
        browser.chmod(browser.stat().st_mode | stat.S_IEXEC)
        env = {**os.environ, "PYTHONPATH": str(Path(forewarn.__file__).parents[1]),
               "BROWSER": str(browser), "FOREWARN_SPOOL_MEMORY_MB": "0.001"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "forewarn", "serve", "--port", "0", "--max-concurrent", "1",
             "--max-uploads", str(UPLOAD_SLOTS), "--body-timeout-seconds", str(BODY_SECONDS),
             "--max-upload-mb", "2", "--open"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
        )
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.url = ""
        self.first_answer: int | str = "no request made"
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stderr(self) -> None:
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            if "serving on " in line and not self.ready.is_set():
                self.url = line.split("serving on ", 1)[1].split()[0]
                try:  # at once, no retry: the line must mean the server accepts connections
                    self.first_answer = httpx.get(self.url + "healthz", timeout=GUARD_SECONDS).status_code
                except httpx.HTTPError as error:
                    self.first_answer = type(error).__name__
                self.ready.set()

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def health(self) -> dict:
        return httpx.get(self.url + "healthz", timeout=GUARD_SECONDS).json()

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + GUARD_SECONDS
        while not condition():
            assert time.monotonic() < deadline, f"gave up waiting for {what}; log: {self.lines[-5:]}"
            time.sleep(0.05)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    live = LiveServer(tmp_path_factory.mktemp("serve"))
    try:
        assert live.ready.wait(180), f"forewarn serve never said it was ready: {live.lines}"
        yield live
    finally:
        live.process.terminate()
        live.process.wait(30)


def raw_request(port: int, head: str, body: bytes = b"") -> socket.socket:
    """A socket with ``head`` (request line and headers) and ``body`` sent, left open."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=GUARD_SECONDS)
    sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
    return sock


def read_until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


BEGINNINGS = {  # the first bytes of an upload, by content type
    "application/json": b'{"text": "Once',
    "multipart/form-data; boundary=xyz": (
        b'--xyz\r\ncontent-disposition: form-data; name="file"; filename="a.txt"\r\n\r\nOnce'
    ),
}


def slow_upload(port: int, content_type: str = "application/json", length: int = 100_000) -> socket.socket:
    """An upload that announces ``length`` bytes and sends only its first few."""
    return raw_request(
        port,
        f"POST /v1/scan HTTP/1.1\nHost: 127.0.0.1:{port}\ncontent-type: {content_type}\n"
        f"content-length: {length}\n",
        BEGINNINGS[content_type],
    )


# ---- ready means ready ---------------------------------------------------------------------

def test_serving_on_is_printed_once_connections_are_accepted(server):
    assert server.first_answer == 200
    assert server.health()["idle_workers"] == 1
    started = [i for i, line in enumerate(server.lines) if "Application startup complete" in line]
    announced = [i for i, line in enumerate(server.lines) if "serving on" in line]
    assert started and announced and started[0] < announced[0]


def test_open_starts_the_browser_on_the_page_once_ready(server):
    server.wait_for(server.opened.exists, "the browser to be started")
    assert server.opened.read_text() == server.url
    assert httpx.get(server.opened.read_text(), timeout=GUARD_SECONDS).status_code == 200


# ---- bodies: admitted before read, timed, spooled -------------------------------------------

@pytest.mark.parametrize("content_type", BEGINNINGS)
def test_slow_body_is_cut_with_408_and_the_connection_closed(server, content_type):
    sock = slow_upload(server.port, content_type)
    answer = read_until_closed(sock)  # returns only because the server closes the connection
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"body-timeout" in answer and b"--body-timeout-seconds" in answer
    server.wait_for(lambda: server.health()["uploads"] == 0, "the upload slot to be given back")


@contextmanager
def slots_held(server: LiveServer) -> Iterator[None]:
    """Every upload slot taken by a slow upload for the length of the block."""
    holders = [slow_upload(server.port) for _ in range(UPLOAD_SLOTS)]
    try:
        server.wait_for(lambda: server.health()["uploads"] == UPLOAD_SLOTS, "every slot to be taken")
        yield
    finally:
        for sock in holders:
            sock.close()
        server.wait_for(lambda: server.health()["uploads"] == 0, "the slots to be given back")


@pytest.mark.parametrize("expect", ["", "expect: 100-continue\n"])
def test_upload_beyond_the_slots_gets_503_before_its_body_is_sent(server, expect):
    with slots_held(server):
        late = raw_request(
            server.port,
            f"POST /v1/scan HTTP/1.1\nHost: 127.0.0.1:{server.port}\n{expect}"
            "content-type: application/json\ncontent-length: 1500000\n",
        )  # headers only: the answer must come without the body
        answer = read_until_closed(late)  # and the connection closed within the body limit
        late.close()
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 503 "), answer[:200]
    assert b"retry-after: 2" in head and b"connection: close" in head
    assert b"upload slots are taken" in answer


def test_upload_beyond_the_slots_sent_whole_still_gets_its_503(server):
    with slots_held(server):  # httpx sends the whole body before it reads: no reset may lose the answer
        response = httpx.post(server.url + "v1/scan", files={"file": ("a.txt", b"x" * 1_500_000)},
                              timeout=GUARD_SECONDS)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"


def test_upload_larger_than_the_memory_spool_scans_like_the_library(server):
    body = STORY.encode()
    assert len(body) > 1024  # the server keeps 1 KB in memory, the rest in a temporary file
    response = httpx.post(server.url + "v1/scan", files={"file": ("story.txt", body)},
                          data={"avoid": "self-harm"}, timeout=GUARD_SECONDS)
    assert response.status_code == 200, response.text
    assert response.json() == forewarn.scan(body, name="story.txt", avoid="self-harm").to_dict()


def test_oversized_upload_is_refused_by_the_real_server(server):
    response = httpx.post(server.url + "v1/scan", files={"file": ("big.txt", b"a " * 1_100_000)},
                          timeout=GUARD_SECONDS)
    assert response.status_code == 413
    assert response.json()["type"] == "urn:forewarn:problem:too-large"


@pytest.mark.parametrize("content_type", BEGINNINGS)
def test_client_leaving_mid_upload_logs_one_line_and_no_traceback(server, content_type):
    before = len(server.lines)
    sock = slow_upload(server.port, content_type)
    server.wait_for(lambda: server.health()["uploads"] == 1, "the upload to be admitted")
    sock.close()
    server.wait_for(lambda: server.health()["uploads"] == 0, "the slot to be given back")
    server.wait_for(lambda: any("disconnected" in line for line in server.lines[before:]),
                    "the disconnect to be logged")
    assert httpx.get(server.url + "healthz", timeout=GUARD_SECONDS).status_code == 200
    new = [line for line in server.lines[before:] if "GET /healthz" not in line]
    assert len([line for line in new if "disconnected" in line]) == 1
    assert not any("Traceback" in line or "Exception in ASGI" in line for line in new), new


# ---- Host header ---------------------------------------------------------------------------

@pytest.mark.parametrize("host", ["localhost", "localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}",
                                  "LOCALHOST.:80"])
def test_loopback_host_names_are_answered(server, host):
    response = httpx.get(server.url + "healthz", headers={"host": host.format(port=server.port)},
                         timeout=GUARD_SECONDS)
    assert response.status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example",
                                  "localhost.evil.example:{port}", "192.168.1.10:{port}"])
def test_other_host_names_are_refused(server, host):
    response = httpx.get(server.url, headers={"host": host.format(port=server.port)},
                         timeout=GUARD_SECONDS)
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"] == "urn:forewarn:problem:host-not-allowed"
    assert "--allow-host" in problem["detail"]
    assert response.headers["content-security-policy"]


# ---- one-line errors -----------------------------------------------------------------------

def test_error_naming_a_file_with_a_newline_stays_one_line(server):
    response = httpx.post(server.url + "v1/scan", timeout=GUARD_SECONDS,
                          json={"text": " ", "name": "evil\nname\x1b[2J\u202e.txt"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert not any(char in detail for char in "\n\r\x1b\u202e")
    assert "name\\x1b[2J\\u202e.txt" in detail  # shown as visible escapes
