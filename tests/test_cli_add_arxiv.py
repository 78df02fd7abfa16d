"""`papers add ARXIV`: the real fetching code against recorded arXiv API responses on a local server."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papercli.arxiv import ArxivError, parse_arxiv_ref, parse_atom_feed
from papercli.errors import UsageError
from tests.helpers import FIXTURES, Invoke, show_json

FEEDS = FIXTURES / "arxiv"


@dataclass
class FakeArxiv:
    """What the local stand-in for export.arxiv.org answers, and what it was asked."""

    delay: float = 0.0
    status: int = 200
    body: bytes | None = None  # overrides the recorded feed
    requests: list[dict[str, list[str]]] = field(default_factory=list)

    def answer(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        self.requests.append(query)
        time.sleep(self.delay)
        if self.body is not None:
            return self.status, self.body
        feed = FEEDS / f"{query.get('id_list', [''])[0]}.xml"
        return self.status, (feed if feed.exists() else FEEDS / "empty.xml").read_bytes()


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArxiv]:
    fake = FakeArxiv()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            status, body = fake.answer(urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query))
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("PAPERS_ARXIV_API", f"http://127.0.0.1:{server.server_address[1]}/api/query")
    yield fake
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("ref", ["2303.09752", "arXiv:2303.09752v2", "https://arxiv.org/abs/2303.09752"])
def test_add_fills_title_authors_year_and_link_from_arxiv(papers: Invoke, arxiv: FakeArxiv, ref: str) -> None:
    result = papers("add", ref, "--tag", "RAG")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "colt5"
    paper = show_json(papers, "colt5")
    assert paper["title"] == "CoLT5: Faster Long-Range Transformers with Conditional Computation"
    assert paper["authors"][:4] == ["Joshua Ainslie", "Tao Lei", "Michiel de Jong", "Santiago Ontañón"]  # type: ignore[index]
    assert len(paper["authors"]) == 12  # type: ignore[arg-type]
    assert paper["year"] == 2023  # first version (published), not the latest update
    assert paper["url"] == "https://arxiv.org/abs/2303.09752"
    assert paper["tags"] == ["RAG"]
    assert arxiv.requests == [{"id_list": ["2303.09752"], "max_results": ["1"]}]


def test_options_win_over_fetched_values(papers: Invoke, arxiv: FakeArxiv) -> None:
    result = papers("add", "2303.09752", "--title", "CoLT5 (my title)", "--year", "2024", "--author", "Me")
    assert result.exit_code == 0, result.output
    paper = show_json(papers, result.stdout.strip())
    assert (paper["title"], paper["year"], paper["authors"]) == ("CoLT5 (my title)", 2024, ["Me"])
    assert paper["url"] == "https://arxiv.org/abs/2303.09752"


def test_paper_already_in_the_catalog_is_refused_before_asking_arxiv(papers: Invoke, arxiv: FakeArxiv) -> None:
    result = papers("add", "https://arxiv.org/pdf/2106.09685v2.pdf")
    assert result.exit_code == 1
    assert "arXiv 2106.09685 is already in the catalog as 'lora'" in result.stderr
    assert arxiv.requests == []


def test_unknown_id_is_an_error_and_writes_nothing(papers: Invoke, arxiv: FakeArxiv, small_catalog: Path) -> None:
    before = small_catalog.read_bytes()
    result = papers("add", "2106.99999")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: arXiv has no paper 2106.99999"
    assert small_catalog.read_bytes() == before


def test_timeout_is_an_error_and_writes_nothing(papers: Invoke, arxiv: FakeArxiv, small_catalog: Path) -> None:
    before = small_catalog.read_bytes()
    arxiv.delay = 2.0
    started = time.monotonic()
    result = papers("add", "2303.09752", "--timeout", "0.3")
    assert time.monotonic() - started < 1.8
    assert result.exit_code == 1
    assert "arXiv did not answer within 0.3 s" in result.stderr
    assert small_catalog.read_bytes() == before


def test_no_network_is_an_error_and_writes_nothing(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("PAPERS_ARXIV_API", f"http://127.0.0.1:{port}/api/query")
    before = small_catalog.read_bytes()
    result = papers("add", "2303.09752")
    assert result.exit_code == 1
    assert "cannot reach arXiv" in result.stderr
    assert "--title" in result.stderr
    assert small_catalog.read_bytes() == before


@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (503, b"Service Unavailable", "arXiv answered HTTP 503"),
        (200, b"Rate exceeded.", "arXiv is rate-limiting requests"),
        (200, b"<html><body>maintenance</body></html>", "not an Atom feed"),
        (200, b"\x00\x01 not xml", "not an Atom feed"),
    ],
)
def test_unusable_answers_are_errors(
    papers: Invoke, arxiv: FakeArxiv, small_catalog: Path, status: int, body: bytes, message: str
) -> None:
    arxiv.status, arxiv.body = status, body
    before = small_catalog.read_bytes()
    result = papers("add", "2303.09752")
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert small_catalog.read_bytes() == before


def test_arxiv_error_entry_is_reported() -> None:
    with pytest.raises(UsageError, match="arXiv rejected '1309.119': incorrect id format for 1309.119"):
        parse_atom_feed((FEEDS / "error.xml").read_bytes(), "1309.119")


def test_feed_for_another_paper_is_not_taken_for_this_one() -> None:
    with pytest.raises(ArxivError, match="arXiv has no paper 2303.09752"):
        parse_atom_feed((FEEDS / "2106.09685.xml").read_bytes(), "2303.09752")


def test_wrapped_titles_are_joined() -> None:
    feed = (
        (FEEDS / "2106.09685.xml")
        .read_bytes()
        .replace(b"Large Language Models</title>", b"Large\n  Language Models</title>")
    )
    assert parse_atom_feed(feed, "2106.09685").title == "LoRA: Low-Rank Adaptation of Large Language Models"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2106.09685", "2106.09685"),
        ("2106.09685v12", "2106.09685"),
        ("arXiv:2106.09685", "2106.09685"),
        ("  https://arxiv.org/abs/2106.09685  ", "2106.09685"),
        ("http://export.arxiv.org/abs/2106.09685v1", "2106.09685"),
        ("https://arxiv.org/pdf/2106.09685v2.pdf", "2106.09685"),
        ("arxiv.org/abs/1706.03762", "1706.03762"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
        ("0704.0001", "0704.0001"),  # 2007-2014 ids have four digits after the dot
        ("2106.096", None),
        ("https://example.org/abs/2106.09685", None),
        ("lora", None),
        ("", None),
    ],
)
def test_arxiv_refs(text: str, expected: str | None) -> None:
    assert parse_arxiv_ref(text) == expected


@given(
    yymm=st.integers(700, 3012).map(lambda n: f"{n:04d}"),
    number=st.integers(0, 99999).map(lambda n: f"{n:05d}"),
    version=st.one_of(st.just(""), st.integers(1, 30).map(lambda v: f"v{v}")),
    form=st.sampled_from(["{}", "arXiv:{}", "https://arxiv.org/abs/{}", "http://arxiv.org/pdf/{}.pdf"]),
)
def test_any_written_form_of_an_id_parses_to_the_bare_id(yymm: str, number: str, version: str, form: str) -> None:
    bare = f"{yymm}.{number}"
    assert parse_arxiv_ref(form.format(bare + version)) == bare
