"""Size limits, missing/odd paths, stdin and the zip-bomb guard."""

import io
import sys
import zipfile

import pytest

from forewarn.errors import InputError
from forewarn.readers import read_bytes, read_path
from forewarn.readers.limits import SafeZip


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_path(tmp_path / "nope.txt")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="directory"):
        read_path(tmp_path)


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty"):
        read_path(path)


def test_too_large_file_names_the_option(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("A sentence in a story.\n\n" * 100)
    with pytest.raises(InputError, match="--max-size"):
        read_path(path, max_bytes=100)
    assert read_path(path, max_bytes=10_000).paragraphs


def test_too_large_bytes():
    with pytest.raises(InputError, match="limit"):
        read_bytes(b"word " * 100, max_bytes=50)


def test_stdin_is_bounded(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x " * 1000)))
    with pytest.raises(InputError, match="standard input"):
        read_path("-", max_bytes=100)


def test_stdin_reads_a_story(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Once upon a time.\n\nThe end came.\n")))
    work = read_path("-")
    assert work.source_path == "-"
    assert len(work.paragraphs) == 2


def test_source_path_is_set(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("A quiet story about a lighthouse.\n")
    assert read_path(path).source_path == str(path)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_high_ratio_member_is_a_bomb():
    data = _zip({"mimetype": b"application/epub+zip", "big.xhtml": b"\0" * 5_000_000})
    with pytest.raises(InputError, match="zip bomb"):
        SafeZip(data, "bomb.epub", "EPUB")


def test_lying_sizes_are_caught_by_the_bounded_read(monkeypatch):
    monkeypatch.setattr("forewarn.readers.limits.limit", lambda key: {"zip_max_members": 10, "zip_max_total_bytes": 1000, "zip_max_ratio": 100, "zip_ratio_min_bytes": 10**9}[key])
    archive = SafeZip(_zip({"a.txt": b"x" * 100}), "a.zip", "EPUB")
    archive._budget = 10  # as if the declared sizes had been small
    with pytest.raises(InputError, match="zip bomb"):
        archive.read("a.txt")


def test_too_many_members(monkeypatch):
    monkeypatch.setattr("forewarn.readers.limits.limit", lambda key: {"zip_max_members": 3, "zip_max_total_bytes": 10**6, "zip_max_ratio": 100, "zip_ratio_min_bytes": 10**6}[key])
    with pytest.raises(InputError, match="zip bomb"):
        SafeZip(_zip({f"{i}.txt": b"x" for i in range(5)}), "many.zip", "EPUB")


def test_corrupt_zip():
    with pytest.raises(InputError, match="truncated or corrupt"):
        SafeZip(b"PK\x03\x04" + b"garbage" * 10, "bad.epub", "EPUB")


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_without_blocking(tmp_path):
    import os

    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="named pipe"):
        read_path(fifo)


@pytest.mark.skipif(not __import__("os").path.exists("/dev/zero"), reason="no /dev/zero")
def test_link_to_a_device_is_refused(tmp_path):
    link = tmp_path / "story.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="device"):
        read_path(link)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs on this system")
def test_cli_refuses_a_fifo_with_one_line_and_exit_2(tmp_path):
    import os

    from typer.testing import CliRunner

    from forewarn.cli import app

    fifo = tmp_path / "story.txt"
    os.mkfifo(fifo)
    result = CliRunner().invoke(app, ["scan", str(fifo)])
    assert result.exit_code == 2
    assert "named pipe" in result.output and len(result.output.strip().splitlines()) == 1
