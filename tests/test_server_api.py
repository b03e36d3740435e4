"""The HTTP API of ``forewarn serve``: every route, every error, limits and privacy.

Most tests run against a stand-in scanner (``fake_scan`` below, loaded by name in the worker
processes) so that slow, crashing and failing scans can be asked for by a marker in the text;
``test_real_scan_*`` run the real pipeline.
"""

from __future__ import annotations

import logging
import os
import threading
import time

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import forewarn
from forewarn.cli import app as cli_app
from forewarn.documents.report import (
    ChapterInfo,
    Declared,
    Finding,
    Location,
    Report,
    Source,
    Suggested,
    Support,
    WorkInfo,
)
from forewarn.errors import InputError, UsageError
from forewarn.server import Settings, create_app
from forewarn.server.hosts import allowed_host_names, host_name
from forewarn.server.problems import PROBLEM_MEDIA_TYPE
from forewarn.stages.profile import parse_avoid, verdict
from forewarn.taxonomy import category_ids

SECRET = "Marigold-7731 wandered the lane"  # a marker that must never reach a log or an error


def fake_scan(source, *, name=None, format=None, avoid=None, spoilers=False, thorough=False):
    """A stand-in for forewarn.scan: a fixed three-chapter report, or a failure on request."""
    text = source.decode("utf-8", "replace") if isinstance(source, bytes) else source
    if not text.strip():
        raise InputError(f"{name or 'the input'} is empty; give a story file with some text in it")
    if "SLEEP" in text:
        time.sleep(30)
    if "CRASH" in text:
        os._exit(3)
    if "BUG" in text:
        raise RuntimeError(f"bug while reading {text}")
    profile = parse_avoid(avoid) if avoid else None
    location = Location(
        chapter=3, paragraph_start=9, paragraph_end=10, char_start=700, char_end=760,
        position=0.7, severity="depicted", quote=text[:120] if spoilers else None,
    )
    report = Report(
        forewarn_version="test",
        source=Source(path=None, format=format or "text"),
        work=WorkInfo(
            title=name, authors=["A. Writer"], words=len(text.split()),
            chapters=[ChapterInfo(index=i + 1, title=f"Part {i + 1}", char_start=i * 333,
                                  char_end=(i + 1) * 333) for i in range(3)],
        ),
        declared=Declared(rating="Teen And Up Audiences", warnings=["No Archive Warnings Apply"]),
        findings=[Finding(category="self-harm", group="mental-health", name="Self-harm",
                          severity="depicted", confidence=0.9, locations=[location])],
        suggested=Suggested(ao3_rating="Mature", ffn_rating="M", ao3_warnings=[]),
        support=Support(text="If this is hard for you, help is there.", url="https://example.org/help"),
        limits="A detector can miss things.",
    )
    if profile is not None:
        report.verdict = verdict(report, profile)
    return report


SCANNER = f"{fake_scan.__module__}:fake_scan"
BASE_URL = "http://127.0.0.1"  # a loopback server answers only loopback host names


@pytest.fixture(scope="module")
def client():
    settings = Settings(max_concurrent=1, max_uploads=1, max_scan_seconds=1.5, max_upload_mb=0.01,
                        retry_after_seconds=3)
    with TestClient(create_app(settings, scanner=SCANNER), base_url=BASE_URL,
                    raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture()
def ready(client):
    """The client, once its worker is idle (a test before may have had it replaced)."""
    deadline = time.monotonic() + 60
    while client.get("/healthz").json()["idle_workers"] < 1:
        assert time.monotonic() < deadline, "the scan worker never came back"
        time.sleep(0.05)
    return client


def assert_problem(response, status: int, kind: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    problem = response.json()
    assert problem["status"] == status
    assert problem["title"] and problem["detail"]
    assert "\n" not in problem["detail"]
    if kind:
        assert problem["type"] == f"urn:forewarn:problem:{kind}"
    return problem


# ---- meta routes -------------------------------------------------------------------------

def test_healthz_reports_workers(ready):
    body = ready.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["workers"] == 1
    assert body["idle_workers"] == 1
    assert body["upload_slots"] == 1
    assert body["uploads"] == 0


def test_categories_lists_the_taxonomy(client):
    body = client.get("/v1/categories").json()
    assert [c["id"] for c in body["categories"]] == category_ids()
    assert body["severities"] == ["mentioned", "depicted", "graphic"]
    group_ids = {g["id"] for g in body["groups"]}
    assert all(c["group"] in group_ids for c in body["categories"])
    assert all(c["definition"] for c in body["categories"])


def test_openapi_documents_both_request_kinds(client):
    spec = client.get("/openapi.json").json()
    scan = spec["paths"]["/v1/scan"]["post"]
    assert set(scan["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert {"200", "413", "422", "503", "504"} <= set(scan["responses"])
    assert "Report" in spec["components"]["schemas"]
    assert {"/healthz", "/v1/categories"} <= set(spec["paths"])


def test_page_and_static_files_with_strict_csp(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in page.text  # every script is a file
    assert 'src="/static/app.js"' in page.text
    script = client.get("/static/app.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "innerHTML" not in script.text
    assert client.get("/static/app.css").status_code == 200
    assert page.headers["x-content-type-options"] == "nosniff"


def test_unknown_route_and_wrong_method_are_problems(client):
    assert_problem(client.get("/no/such/page"), 404)
    assert_problem(client.get("/v1/scan"), 405)


# ---- scanning ----------------------------------------------------------------------------

def test_scan_json_text(ready):
    response = ready.post("/v1/scan", json={"text": "Three short chapters of a story."})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    report = response.json()
    assert report["findings"][0]["category"] == "self-harm"
    assert report["verdict"] is None
    assert report["findings"][0]["locations"][0]["quote"] is None


def test_scan_json_options_reach_the_scanner(ready):
    response = ready.post("/v1/scan", json={
        "text": "A story.", "name": "story.md", "format": "markdown",
        "avoid": ["self-harm:depicted"], "spoilers": True,
    })
    report = response.json()
    assert report["work"]["title"] == "story.md"
    assert report["source"]["format"] == "markdown"
    assert report["verdict"]["status"] == "safe-until"
    assert report["verdict"]["safe_until_chapter"] == 3
    assert report["findings"][0]["locations"][0]["quote"] == "A story."


def test_scan_file_upload(ready):
    response = ready.post(
        "/v1/scan",
        files={"file": ("tale.txt", b"Once upon a time.", "text/plain")},
        data={"avoid": "self-harm", "spoilers": "true"},
    )
    assert response.status_code == 200
    report = response.json()
    assert report["work"]["title"] == "tale.txt"
    assert report["verdict"]["status"] == "safe-until"
    assert report["findings"][0]["locations"][0]["quote"] == "Once upon a time."


def test_json_text_is_never_read_as_a_server_path(ready):
    response = ready.post("/v1/scan", json={"text": "/etc/hostname", "spoilers": True})
    assert response.json()["findings"][0]["locations"][0]["quote"] == "/etc/hostname"


# ---- errors --------------------------------------------------------------------------------

def test_empty_text_is_an_input_problem(ready):
    problem = assert_problem(ready.post("/v1/scan", json={"text": "   "}), 422, "input-error")
    assert problem["detail"] == "the input is empty; give a story file with some text in it"


def test_unknown_avoid_category_is_a_usage_problem(ready):
    problem = assert_problem(
        ready.post("/v1/scan", json={"text": "A story.", "avoid": ["dragons"]}), 400, "usage-error"
    )
    with pytest.raises(UsageError) as raised:
        parse_avoid(["dragons"])
    assert problem["detail"] == str(raised.value)


@pytest.mark.parametrize("body", [
    b"{not json",
    b"[]",
    b'{"story": "no text field"}',
    b'{"text": 12}',
    b'{"text": "ok", "spoilers": "maybe"}',
    b'{"text": "ok", "avoid": "self-harm", "extra": 1}',
])
def test_malformed_json_is_a_400_problem(client, body):
    response = client.post("/v1/scan", content=body, headers={"content-type": "application/json"})
    assert_problem(response, 400, "invalid-request")


@pytest.mark.parametrize(("files", "data", "needle"), [
    ({"text": ("a.txt", b"x")}, {}, "file part named 'file'"),
    ({"file": ("a.txt", b"x")}, {"colour": "red"}, "unknown field 'colour'"),
    ({"file": ("a.txt", b"x")}, {"spoilers": "maybe"}, "spoilers must be true or false"),
    ([("file", ("a.txt", b"x")), ("file", ("b.txt", b"y"))], {}, "Too many files"),
])
def test_malformed_upload_is_a_400_problem(client, files, data, needle):
    problem = assert_problem(client.post("/v1/scan", files=files, data=data), 400, "invalid-request")
    assert needle in problem["detail"]


def test_broken_multipart_is_a_400_problem(client):
    response = client.post("/v1/scan", content=b"--x\r\ngarbage",
                           headers={"content-type": "multipart/form-data"})
    assert_problem(response, 400, "invalid-request")


def test_other_media_types_are_refused(client):
    response = client.post("/v1/scan", content=b"A story.", headers={"content-type": "text/plain"})
    problem = assert_problem(response, 415, "unsupported-media-type")
    assert "multipart/form-data" in problem["detail"]


def test_oversized_upload_is_refused_by_content_length(client):
    big = b"word " * 5000  # 25 KB over a 10 KB limit
    problem = assert_problem(client.post("/v1/scan", files={"file": ("big.txt", big)}), 413, "too-large")
    assert "--max-upload-mb" in problem["detail"]


def test_oversized_body_is_refused_while_streaming(client):
    def chunks():
        for _ in range(50):
            yield b'{"text": "' + b"a" * 1000

    response = client.post("/v1/scan", content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    assert_problem(response, 413, "too-large")


def test_busy_server_answers_503_with_retry_after(ready):
    slow = threading.Thread(target=lambda: ready.post("/v1/scan", json={"text": "SLEEP"}))
    slow.start()
    try:
        deadline = time.monotonic() + 30
        while ready.get("/healthz").json()["idle_workers"]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        response = ready.post("/v1/scan", json={"text": "A story."})
        problem = assert_problem(response, 503, "busy")
        assert response.headers["retry-after"] == "3"
        assert "try again in 3 s" in problem["detail"]
        assert response.headers["connection"] == "close"
    finally:
        slow.join()


def test_scan_past_the_time_limit_is_stopped_and_the_worker_replaced(ready):
    problem = assert_problem(ready.post("/v1/scan", json={"text": "SLEEP"}), 504, "scan-timeout")
    assert "1.5 s" in problem["detail"] and "--max-scan-seconds" in problem["detail"]
    deadline = time.monotonic() + 60
    while ready.get("/healthz").json()["idle_workers"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert ready.post("/v1/scan", json={"text": "A story."}).status_code == 200


def test_crashed_worker_is_a_500_problem_and_is_replaced(ready):
    assert_problem(ready.post("/v1/scan", json={"text": "CRASH"}), 500, "internal-error")
    deadline = time.monotonic() + 60
    while ready.get("/healthz").json()["idle_workers"] < 1:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert ready.post("/v1/scan", json={"text": "A story."}).status_code == 200


def test_scanner_bug_never_leaks_story_text(ready, caplog):
    caplog.set_level(logging.DEBUG)
    response = ready.post("/v1/scan", json={"text": f"BUG {SECRET}"})
    problem = assert_problem(response, 500, "internal-error")
    assert SECRET not in problem["detail"]
    assert "RuntimeError" in caplog.text
    assert SECRET not in caplog.text


def test_story_text_is_never_logged(ready, caplog):
    caplog.set_level(logging.DEBUG)
    ready.post("/v1/scan", json={"text": SECRET, "spoilers": True})
    ready.post("/v1/scan", files={"file": ("x.txt", SECRET.encode())})
    assert SECRET not in caplog.text


# ---- settings and the command ----------------------------------------------------------------

def test_settings_from_env_and_overrides(monkeypatch):
    monkeypatch.setenv("FOREWARN_MAX_CONCURRENT", "4")
    monkeypatch.setenv("FOREWARN_MAX_UPLOAD_MB", "1.5")
    monkeypatch.setenv("FOREWARN_ACCESS_LOG", "off")
    monkeypatch.setenv("FOREWARN_ALLOW_HOSTS", "forewarn.lan, books.lan")
    monkeypatch.setenv("FOREWARN_PORT", "8123")
    settings = Settings.from_env(port=9000, host=None)
    assert settings.max_concurrent == 4
    assert settings.max_upload_bytes == int(1.5 * 1024 * 1024)
    assert settings.access_log is False
    assert settings.allow_hosts == ("forewarn.lan", "books.lan")
    assert settings.port == 9000
    assert settings.host == "127.0.0.1"
    assert settings.upload_slots == 8  # twice max_concurrent unless set


def test_settings_defaults_without_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith("FOREWARN_"):
            monkeypatch.delenv(name)
    settings = Settings.from_env()
    assert (settings.host, settings.port, settings.max_upload_mb) == ("127.0.0.1", 8000, 20.0)
    assert (settings.max_scan_seconds, settings.max_concurrent, settings.retry_after_seconds) == (60.0, 2, 2)
    assert (settings.body_timeout_seconds, settings.upload_slots, settings.allow_hosts) == (30.0, 4, ())
    assert settings.access_log is True


@pytest.mark.parametrize(("environ", "overrides", "needle"), [
    ({"FOREWARN_MAX_CONCURRENT": "many"}, {}, "FOREWARN_MAX_CONCURRENT"),
    ({"FOREWARN_ACCESS_LOG": "perhaps"}, {}, "FOREWARN_ACCESS_LOG"),
    ({"FOREWARN_PORT": "80\n80"}, {}, "FOREWARN_PORT"),
    ({}, {"max_concurrent": 0}, "max_concurrent=0"),
    ({}, {"max_upload_mb": -1.0}, "max_upload_mb"),
    ({}, {"body_timeout_seconds": 0}, "body_timeout_seconds"),
])
def test_bad_settings_are_one_line_usage_errors(monkeypatch, environ, overrides, needle):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(UsageError, match=needle) as raised:
        Settings.from_env(**overrides)
    assert "\n" not in str(raised.value)


def test_serve_command_refuses_bad_limits_in_one_line():
    import forewarn.cli.serve  # noqa: F401  (registers the command)

    result = CliRunner().invoke(cli_app, ["serve", "--max-scan-seconds", "0"])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "max_scan_seconds" in result.output


def test_serve_command_passes_flags_and_announces_through_the_ready_callback(monkeypatch):
    import webbrowser

    import forewarn.server.runner as runner

    seen: dict[str, object] = {}
    opened = threading.Event()

    def fake_run(settings, on_ready):
        seen["settings"] = settings
        on_ready(43210)
        return True

    def fake_open(url):
        seen["opened"] = url
        opened.set()
        return True

    monkeypatch.setattr(runner, "run", fake_run)
    monkeypatch.setattr(webbrowser, "open", fake_open)
    result = CliRunner().invoke(cli_app, [
        "serve", "--port", "0", "--allow-host", "books.lan", "--allow-host", "tea.lan",
        "--max-uploads", "3", "--body-timeout-seconds", "5", "--open",
    ])
    assert result.exit_code == 0, result.output
    settings = seen["settings"]
    assert settings.allow_hosts == ("books.lan", "tea.lan")
    assert (settings.upload_slots, settings.body_timeout_seconds) == (3, 5.0)
    assert "serving on http://127.0.0.1:43210/" in result.output
    assert opened.wait(10) and seen["opened"] == "http://127.0.0.1:43210/"


def test_serve_command_that_cannot_start_exits_1(monkeypatch):
    import forewarn.server.runner as runner

    monkeypatch.setattr(runner, "run", lambda settings, on_ready: False)
    result = CliRunner().invoke(cli_app, ["serve", "--port", "0"])
    assert result.exit_code == 1
    assert "serving on" not in result.output


def test_serve_command_help_lists_the_limits():
    import forewarn.cli.serve  # noqa: F401

    result = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert result.exit_code == 0
    for flag in ("--host", "--port", "--max-upload-mb", "--max-scan-seconds", "--max-concurrent"):
        assert flag in result.output


# ---- the real pipeline ----------------------------------------------------------------------

STORY = (
    "Chapter 1\n\nMara fed the ducks by the river and laughed at the grey sky.\n\n"
    "Chapter 2\n\nLater that night Mara took a razor blade and cut her arm until it bled. "
    "She wanted to die and hid the scars under her sleeves.\n"
)


@pytest.fixture(scope="module")
def real_client():
    with TestClient(create_app(Settings(max_concurrent=1)), base_url=BASE_URL,
                    raise_server_exceptions=False) as test_client:
        yield test_client


def test_real_scan_matches_the_library(real_client):
    response = real_client.post(
        "/v1/scan", files={"file": ("story.txt", STORY.encode())}, data={"avoid": "self-harm"}
    )
    assert response.status_code == 200, response.text
    expected = forewarn.scan(STORY.encode(), name="story.txt", avoid="self-harm").to_dict()
    assert response.json() == expected


def test_real_scan_input_error_has_the_cli_wording(real_client):
    problem = assert_problem(real_client.post("/v1/scan", files={"file": ("bad.epub", b"PK\x03\x04junk")}), 422)
    with pytest.raises(InputError) as raised:
        forewarn.scan(b"PK\x03\x04junk", name="bad.epub")
    assert problem["detail"] == str(raised.value)


# ---- Host names and one-line details (the live server is tested in test_server_live.py) ---------

def test_allowed_host_names_follow_the_bind_address():
    assert allowed_host_names("127.0.0.1", ()) == {"localhost", "127.0.0.1", "::1"}
    assert allowed_host_names("::1", ["Books.LAN."]) == {"localhost", "127.0.0.1", "::1", "books.lan"}
    assert allowed_host_names("127.0.0.1", ["*"]) is None
    assert allowed_host_names("0.0.0.0", ()) is None  # beyond loopback: any name unless some are given
    assert allowed_host_names("192.168.1.5", ["books.lan"]) == {
        "localhost", "127.0.0.1", "::1", "192.168.1.5", "books.lan"}


@pytest.mark.parametrize(("header", "name"), [
    ("localhost:8000", "localhost"), ("[::1]:8000", "::1"), ("[::1]", "::1"),
    ("EXAMPLE.org.", "example.org"), ("", ""), ("::1", "::1"),
])
def test_host_name_drops_port_brackets_and_final_dot(header, name):
    assert host_name(header) == name


def test_allow_hosts_setting_answers_those_names_too():
    settings = Settings(max_concurrent=1, allow_hosts=("forewarn.lan",))
    app = create_app(settings, scanner=SCANNER)
    with TestClient(app, base_url="http://forewarn.lan:8000") as allowed:
        assert allowed.get("/healthz").status_code == 200
        refused = allowed.get("/healthz", headers={"host": "evil.example"})
    problem = assert_problem(refused, 400, "host-not-allowed")
    assert "forewarn.lan" in problem["detail"]


def test_problem_detail_is_one_line_whatever_the_message(ready):
    name = "two\nlines\x1b[2J\u202e.txt"
    problem = assert_problem(ready.post("/v1/scan", json={"text": " ", "name": name}), 422, "input-error")
    assert not any(char in problem["detail"] for char in "\n\r\x1b\u202e")
    assert "lines\\x1b[2J\\u202e.txt" in problem["detail"]  # shown as visible escapes
