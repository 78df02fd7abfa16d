"""Looking papers up on arXiv: the Atom feed of the arXiv API (stdlib HTTP only). Identifiers are parsed
in `papercli.links`."""

from __future__ import annotations

import io
import math
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from papercli.errors import ArxivError, UsageError
from papercli.links import arxiv_abs_url, parse_arxiv_ref

if TYPE_CHECKING:
    import http.client
    import socket
    import urllib.request
    from xml.etree.ElementTree import Element

API_URL = "https://export.arxiv.org/api/query"
DEFAULT_TIMEOUT = 15.0
MAX_TIMEOUT = 600.0
MAX_RESPONSE = 4 * 2**20  # an API answer for one paper is a few kB
_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class ArxivRecord:
    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    published: str = ""  # the first version's date as arXiv gives it, e.g. 2021-06-17T17:37:18Z

    @property
    def url(self) -> str:
        return arxiv_abs_url(self.arxiv_id)


def fetch_arxiv(arxiv_id: str, timeout: float = DEFAULT_TIMEOUT) -> ArxivRecord:
    """Ask the arXiv API for one paper. Network trouble and unknown ids raise ArxivError.

    `timeout` bounds the whole exchange (connecting, sending, every read of the answer), not each read,
    and an answer larger than MAX_RESPONSE bytes is cut off, so a server that drips or floods cannot
    keep the command running or fill the memory."""
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    from papercli import __version__

    check_timeout(timeout)
    url = f"{api_url()}?{urllib.parse.urlencode({'id_list': arxiv_id, 'max_results': 1})}"
    request = urllib.request.Request(url, headers={"User-Agent": f"papercli/{__version__}"})
    deadline = _Deadline(timeout)
    opener = urllib.request.build_opener(*_deadline_handlers(deadline))
    try:
        with opener.open(request, timeout=timeout) as response:
            body = _read_capped(response, arxiv_id)
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response's socket open
        if 300 <= exc.code < 400:  # a redirect urllib will not follow (to file://, or too many)
            where = exc.headers.get("Location", "nowhere") if exc.headers else "nowhere"
            raise ArxivError(f"arXiv redirected the request for {arxiv_id} to {where}, which is not followed") from None
        raise ArxivError(f"arXiv answered HTTP {exc.code} for {arxiv_id}; try again later") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise ArxivError(_timeout_message(arxiv_id, timeout)) from None
        raise ArxivError(f"cannot reach arXiv ({exc.reason}); check the network, or add with --title") from None
    except TimeoutError:
        raise ArxivError(_timeout_message(arxiv_id, timeout)) from None
    except http.client.RemoteDisconnected:
        raise ArxivError(f"arXiv closed the connection without answering for {arxiv_id}; try again later") from None
    except http.client.IncompleteRead:
        raise ArxivError(f"arXiv's answer for {arxiv_id} was cut short; try again later") from None
    except http.client.HTTPException as exc:
        reason = type(exc).__name__
        raise ArxivError(f"arXiv sent a malformed HTTP answer for {arxiv_id} ({reason}); try again later") from None
    except OSError as exc:
        raise ArxivError(f"cannot reach arXiv ({exc}); check the network, or add with --title") from None
    return parse_atom_feed(body, arxiv_id)


def check_timeout(seconds: float) -> None:
    """Refuse timeouts that are no number of seconds (nan), endless (inf) or absurd (1e308)."""
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_TIMEOUT):
        raise UsageError(f"--timeout {seconds:g}: give a number of seconds above 0 and at most {MAX_TIMEOUT:g}")


def api_url() -> str:
    """The arXiv API address: $PAPERS_ARXIV_API when set (a mirror, or the tests' server), else arXiv's."""
    from urllib.parse import urlsplit

    raw = os.environ.get("PAPERS_ARXIV_API")
    if raw is None:
        return API_URL
    value = raw.strip()
    example = f"an http(s) address like {API_URL}"
    if not value:
        problem = f"is set but empty; unset it to ask {API_URL}, or set it to {example}"
    elif any(ch.isspace() or not ch.isprintable() for ch in value):
        problem = f"contains spaces or control characters; it must be {example}"
    else:
        parts = urlsplit(value)
        try:
            parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
        except ValueError:
            problem = f"has an invalid port; it must be {example}"
        else:
            if parts.scheme not in ("http", "https") or not parts.hostname:
                problem = f"must be {example}"
            elif parts.query or parts.fragment:
                problem = f"must not contain '?' or '#'; it must be {example}"
            else:
                return value
    raise UsageError(f"PAPERS_ARXIV_API={raw!r} {problem}")


def _timeout_message(arxiv_id: str, timeout: float) -> str:
    return f"arXiv did not answer within {timeout:g} s for {arxiv_id}; try again, or add with --title"


def _read_capped(response: http.client.HTTPResponse, arxiv_id: str) -> bytes:
    """The whole body, refusing one that is (or says it is) larger than MAX_RESPONSE bytes."""
    import http.client

    too_large = f"arXiv's answer for {arxiv_id} is larger than {MAX_RESPONSE // 2**20} MB; that is no API answer"
    declared = response.getheader("Content-Length")
    expected = int(declared) if declared is not None and declared.strip().isdigit() else None
    if expected is not None and expected > MAX_RESPONSE:
        raise ArxivError(too_large)
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_RESPONSE:
            raise ArxivError(too_large)
        chunks.append(chunk)
    if expected is not None and size < expected:  # read(n) returns short instead of raising
        raise http.client.IncompleteRead(b"".join(chunks), expected - size)
    return b"".join(chunks)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; TimeoutError once there are none."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline passed")
        return left


def _deadline_handlers(deadline: _Deadline) -> list[urllib.request.BaseHandler]:
    """urllib handlers whose connections give every socket operation only the time left before `deadline`."""
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    def bounded(base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
        class Connection(base):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                self.timeout = deadline.remaining()
                super().connect()  # TCP, and for https the TLS handshake, each step within the time left
                self.sock = _DeadlineSocket(vars(self)["sock"], deadline)  # vars(): the run-time base hides its types

        return Connection

    http_connection = bounded(http.client.HTTPConnection)
    https_connection = bounded(http.client.HTTPSConnection)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(http_connection, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(https_connection, req)

    class RedirectHandler(urllib.request.HTTPRedirectHandler):
        """Redirects to http(s) only: urllib would follow one to ftp://, where no deadline or cap holds."""

        def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
            if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
                fp.close()
                raise urllib.error.URLError(f"redirected to {newurl}, which is no http(s) address")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return [HTTPHandler(), HTTPSHandler(), RedirectHandler()]


class _DeadlineSocket:
    """A connected socket whose sends and reads (status line, headers, body) share one deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.remaining())
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb", *args: object, **kwargs: object) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        super().__init__()
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # counts as a user of the socket until closed
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(self._deadline.remaining())
        return self._raw.readinto(buffer)

    def close(self) -> None:
        self._raw.close()
        super().close()


def parse_atom_feed(body: bytes, arxiv_id: str) -> ArxivRecord:
    """The record for `arxiv_id` in an arXiv API response."""
    import xml.etree.ElementTree as ElementTree

    if body.strip().startswith(b"Rate exceeded"):
        raise ArxivError("arXiv is rate-limiting requests; wait a few seconds and try again")
    try:
        feed = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise ArxivError(f"arXiv sent a response for {arxiv_id} that is not an Atom feed") from None
    if feed.tag != f"{_ATOM}feed":
        raise ArxivError(f"arXiv sent a response for {arxiv_id} that is not an Atom feed")
    for entry in feed.iter(f"{_ATOM}entry"):
        entry_id = _text(entry, "id")
        if "/api/errors" in entry_id:  # arXiv reports bad requests as an entry titled "Error"
            reason = _text(entry, "summary") or "error"
            raise UsageError(f"arXiv rejected {arxiv_id!r}: {reason}")
        title = _text(entry, "title")
        if not title or parse_arxiv_ref(entry_id) != arxiv_id:
            continue
        published = _text(entry, "published")
        year = int(published[:4]) if published[:4].isdigit() else None
        authors = tuple(name for a in entry.iter(f"{_ATOM}author") if (name := _text(a, "name")))
        return ArxivRecord(arxiv_id, title, authors, year, published)
    raise ArxivError(f"arXiv has no paper {arxiv_id}")


def _text(element: Element, child: str) -> str:
    """The whitespace-collapsed text of a child element ('' when absent). arXiv hard-wraps titles."""
    return " ".join(element.findtext(f"{_ATOM}{child}", "").split())
