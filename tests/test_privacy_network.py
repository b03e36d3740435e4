"""No network at run time: a real ``forewarn scan`` (encoder loaded and run) under ``strace``.

ONNX Runtime's official builds start a telemetry uploader that looks up
``mobile.events.data.microsoft.com`` some seconds after the first inference and keep an event queue
under the user's cache folder. The scan runs in a child process traced with ``strace -f -e
trace=network``; the child stays alive for a while after scanning so that a delayed uploader
would be caught. Any DNS query (port 53, loopback resolvers included) or any connection or datagram
to a non-loopback address fails the test, and so does any file ONNX Runtime leaves under the
child's (private) home and cache folders.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
# Seconds the child lives after the scan (ONNX Runtime's uploader fired about 8 s after inference).
WATCH_SECONDS = 12

STORY = (
    "The rain had not stopped for three days, and the river was rising over the lower fields.\n\n"
    "Mara carried the lantern down to the boathouse, counting the steps under her breath.\n\n"
    "When the door banged open behind her she dropped the lantern and ran back up the hill.\n"
)

CHILD = textwrap.dedent(
    """
    import sys, time
    from forewarn.detectors import learned

    story, watch = sys.argv[1], float(sys.argv[2])

    read = []
    encode = learned.Encoder.encode

    def counted(self, texts, *args, **kwargs):
        read.append(len(texts))
        return encode(self, texts, *args, **kwargs)

    learned.Encoder.encode = counted
    from forewarn.cli import main

    sys.argv = ["forewarn", "scan", story]
    try:
        main()
    except SystemExit as exit:
        if exit.code not in (0, None):
            raise
    if not sum(read):
        sys.exit("the encoder never ran")
    print("ENCODED", sum(read), flush=True)
    time.sleep(watch)
    """
)

# One traced call that sends somewhere: connect/sendto/sendmsg with an address.
_CALL = re.compile(r"\b(connect|sendto|sendmsg|sendmmsg)\(.*?(sa_family=AF_INET6?)")
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
_ADDRESS = re.compile(r'inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)"')


def outbound(trace: str) -> list[str]:
    """Traced calls that would leave the machine or ask a resolver (port 53, even on loopback)."""
    found = []
    for line in trace.splitlines():
        if not _CALL.search(line):
            continue
        port = _PORT.search(line)
        address = _ADDRESS.search(line)
        host = (address.group(1) or address.group(2)) if address else ""
        loopback = host.startswith("127.") or host in ("::1", "::ffff:127.0.0.1")
        if (port and port.group(1) == "53") or not loopback:
            found.append(line.strip())
    return found


def test_outbound_sees_dns_and_internet_but_not_loopback() -> None:
    trace = "\n".join(
        [
            '12 connect(8, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
            '12 sendto(9, "x", 1, 0, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 1',
            '12 connect(8, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
            'inet_pton(AF_INET6, "2603:1030::1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
            '12 connect(8, {sa_family=AF_INET, sin_port=htons(8000), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
            '12 connect(8, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        ]
    )
    assert len(outbound(trace)) == 3


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_scan_makes_no_network_calls_and_leaves_no_telemetry_queue(tmp_path: Path) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    home = tmp_path / "home"
    cache = tmp_path / "cache"
    home.mkdir()
    cache.mkdir()
    trace_file = tmp_path / "trace.txt"
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("ORT_", "XDG_", "FOREWARN_"))
    }
    env.update(HOME=str(home), XDG_CACHE_HOME=str(cache), PYTHONPATH=str(SRC))
    result = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=network", "-o", str(trace_file),
         sys.executable, "-c", CHILD, str(story), str(WATCH_SECONDS)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ENCODED" in result.stdout
    assert outbound(trace_file.read_text(encoding="utf-8", errors="replace")) == []
    left = [str(p.relative_to(tmp_path)) for folder in (home, cache) for p in folder.rglob("*")]
    assert not [p for p in left if "Microsoft" in p or "onnxruntime" in p], left
