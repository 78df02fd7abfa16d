"""`papers add ARXIV` against a local server that misbehaves on purpose: slow, endless or malformed answers.

The server listens on 127.0.0.1 only, serves one scripted behaviour per connection, gives up on its own
after a few seconds and is shut down by the fixture, so a test that goes wrong cannot hang the suite.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, Invoke, one_error_line

FEED = (FIXTURES / "arxiv" / "2303.09752.xml").read_bytes()
SERVER_LIMIT = 8.0  # no connection is served longer than this, whatever the behaviour

Behaviour = Callable[[socket.socket, float], None]


class HostileServer:
    def __init__(self) -> None:
        self.behaviour: Behaviour = lambda conn, deadline: None
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.connections = 0
        self.port = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept, daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        deadline = time.monotonic() + SERVER_LIMIT
        with conn, contextlib.suppress(OSError):
            conn.settimeout(1.0)
            request = b""
            while b"\r\n\r\n" not in request and time.monotonic() < deadline:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                request += chunk
            self.behaviour(conn, deadline)

    def close(self) -> None:
        self._stop.set()
        self._acceptor.join(2)
        self._listener.close()
        for thread in self._threads:
            thread.join(SERVER_LIMIT + 1)


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileServer]:
    server = HostileServer()
    monkeypatch.setenv("PAPERS_ARXIV_API", f"http://127.0.0.1:{server.port}/api/query")
    yield server
    server.close()


def head(extra: bytes = b"", length: int | None = None) -> bytes:
    lines = b"HTTP/1.1 200 OK\r\nContent-Type: application/atom+xml\r\nConnection: close\r\n"
    if length is not None:
        lines += b"Content-Length: %d\r\n" % length
    return lines + extra + b"\r\n"


def drip(data: bytes, every: float) -> Behaviour:
    def behave(conn: socket.socket, deadline: float) -> None:
        for byte in data:
            if time.monotonic() > deadline:
                return
            conn.sendall(bytes([byte]))
            time.sleep(every)

    return behave


def send(data: bytes) -> Behaviour:
    def behave(conn: socket.socket, deadline: float) -> None:
        conn.sendall(data)

    return behave


def endless(conn: socket.socket, deadline: float) -> None:
    conn.sendall(head())
    chunk = b"<a>" + b"x" * 65536
    while time.monotonic() < deadline:
        conn.sendall(chunk)


@pytest.mark.parametrize(
    "behaviour",
    [
        pytest.param(drip(head(length=len(FEED)) + FEED, 0.05), id="body-one-byte-at-a-time"),
        pytest.param(drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: y\r\n" * 200, 0.05), id="headers-one-byte-at-a-time"),
    ],
)
def test_the_timeout_is_an_overall_deadline(
    papers: Invoke, hostile: HostileServer, small_catalog: Path, behaviour: Behaviour
) -> None:
    hostile.behaviour = behaviour
    before = small_catalog.read_bytes()
    started = time.monotonic()
    result = papers("add", "2303.09752", "--timeout", "1")
    elapsed = time.monotonic() - started
    assert elapsed < 3.5, f"took {elapsed:.1f} s with --timeout 1"  # a per-read timeout took 8 s here
    assert "arXiv did not answer within 1 s" in one_error_line(result)
    assert result.exit_code == 1
    assert small_catalog.read_bytes() == before


def test_an_endless_answer_is_cut_off(papers: Invoke, hostile: HostileServer, small_catalog: Path) -> None:
    import resource

    hostile.behaviour = endless
    before = small_catalog.read_bytes()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = papers("add", "2303.09752", "--timeout", "6")
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before
    assert "larger than" in one_error_line(result)
    assert result.exit_code == 1
    assert grown_kib < 64 * 1024, f"memory grew by {grown_kib} KiB"
    assert small_catalog.read_bytes() == before


def test_a_declared_huge_answer_is_refused_before_reading(
    papers: Invoke, hostile: HostileServer, small_catalog: Path
) -> None:
    hostile.behaviour = send(head(length=10**12))
    started = time.monotonic()
    result = papers("add", "2303.09752", "--timeout", "5")
    assert time.monotonic() - started < 4.0  # refused at once, not after the 5 s timeout
    assert "larger than" in one_error_line(result)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        pytest.param(b"SPDY/9 what\r\n\r\n", "malformed", id="BadStatusLine"),
        pytest.param(b"", "closed the connection", id="RemoteDisconnected"),
        pytest.param(head(length=len(FEED)) + FEED[:100], "cut short", id="IncompleteRead"),
        pytest.param(head(b"X-Many: y\r\n" * 150), "malformed", id="too-many-headers"),
        pytest.param(head(b"X-Long: " + b"y" * 70000 + b"\r\n"), "malformed", id="LineTooLong"),
        pytest.param(b"HTTP/1.1 200 OK\r\n" + b"x" * 70000, "malformed", id="LineTooLong-status"),
        pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "cut short", id="bad-chunk-size"),
    ],
)
def test_malformed_http_is_one_line(
    papers: Invoke, hostile: HostileServer, small_catalog: Path, answer: bytes, words: str
) -> None:
    hostile.behaviour = send(answer)
    before = small_catalog.read_bytes()
    result = papers("add", "2303.09752", "--timeout", "3")
    line = one_error_line(result)
    assert words in line and "2303.09752" in line
    assert result.exit_code == 1
    assert small_catalog.read_bytes() == before


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "foo",
        "export.arxiv.org/api/query",
        "ftp://example.org/api",
        "http://",
        "http://127.0.0.1:99999/x",
        "http://bad host/api",
        "http://127.0.0.1/a\nb",
        "file:///etc/passwd",
    ],
)
def test_an_unusable_api_address_is_one_line(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("PAPERS_ARXIV_API", value)
    before = small_catalog.read_bytes()
    result = papers("add", "2303.09752", "--timeout", "2")
    assert "PAPERS_ARXIV_API" in one_error_line(result)
    assert result.exit_code == 2
    assert small_catalog.read_bytes() == before


@pytest.mark.parametrize("value", ["inf", "nan", "1e308", "-inf", "100000"])
def test_an_absurd_timeout_is_one_line(papers: Invoke, hostile: HostileServer, value: str) -> None:
    hostile.behaviour = send(head(length=len(FEED)) + FEED)
    result = papers("add", "2303.09752", "--timeout", value)
    assert "--timeout" in one_error_line(result)
    assert result.exit_code == 2


def test_an_out_of_range_published_year_names_the_fetched_field(
    papers: Invoke, hostile: HostileServer, small_catalog: Path
) -> None:
    feed = FEED.replace(b"<published>2023-", b"<published>1066-")
    hostile.behaviour = send(head(length=len(feed)) + feed)
    before = small_catalog.read_bytes()
    result = papers("add", "2303.09752", "--timeout", "3")
    line = one_error_line(result)
    assert "published" in line and "1066" in line
    assert "--year" not in line.split(";")[0]  # the user gave no --year: it may only be offered as the way out
    assert result.exit_code == 1
    assert small_catalog.read_bytes() == before
    # The way out it offers works: --year wins over the fetched date.
    hostile.behaviour = send(head(length=len(feed)) + feed)
    fixed = papers("add", "2303.09752", "--timeout", "3", "--year", "2023")
    assert fixed.exit_code == 0, fixed.output


@pytest.mark.parametrize("scheme", ["ftp", "file"])
def test_a_redirect_away_from_http_is_not_followed(
    papers: Invoke, hostile: HostileServer, small_catalog: Path, scheme: str
) -> None:
    """urllib follows a redirect to ftp://, where neither the deadline nor the size cap holds."""
    target = f"{scheme}://127.0.0.1:{hostile.port}/feed.xml" if scheme == "ftp" else "file:///etc/hostname"
    hostile.behaviour = send(b"HTTP/1.1 302 Found\r\nLocation: " + target.encode() + b"\r\nContent-Length: 0\r\n\r\n")
    result = papers("add", "2303.09752", "--timeout", "3")
    line = one_error_line(result)
    assert "redirected" in line and target in line
    assert hostile.connections == 1  # the redirect's target was never contacted
    assert result.exit_code == 1
