"""Looking papers up on arXiv: the Atom feed of the arXiv API (stdlib HTTP only). Identifiers are parsed
in `papercli.links`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papercli.errors import ArxivError, UsageError
from papercli.links import arxiv_abs_url, parse_arxiv_ref

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

API_URL = "https://export.arxiv.org/api/query"
DEFAULT_TIMEOUT = 15.0
_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True)
class ArxivRecord:
    arxiv_id: str
    title: str
    authors: tuple[str, ...]
    year: int | None

    @property
    def url(self) -> str:
        return arxiv_abs_url(self.arxiv_id)


def fetch_arxiv(arxiv_id: str, timeout: float = DEFAULT_TIMEOUT) -> ArxivRecord:
    """Ask the arXiv API for one paper. Network trouble and unknown ids raise ArxivError."""
    import urllib.error
    import urllib.parse
    import urllib.request

    from papercli import __version__

    base = os.environ.get("PAPERS_ARXIV_API", API_URL)
    url = f"{base}?{urllib.parse.urlencode({'id_list': arxiv_id, 'max_results': 1})}"
    request = urllib.request.Request(url, headers={"User-Agent": f"papercli/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read()
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response's socket open
        raise ArxivError(f"arXiv answered HTTP {exc.code} for {arxiv_id}; try again later") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise ArxivError(_timeout_message(arxiv_id, timeout)) from None
        raise ArxivError(f"cannot reach arXiv ({exc.reason}); check the network, or add with --title") from None
    except TimeoutError:
        raise ArxivError(_timeout_message(arxiv_id, timeout)) from None
    except OSError as exc:
        raise ArxivError(f"cannot reach arXiv ({exc}); check the network, or add with --title") from None
    return parse_atom_feed(body, arxiv_id)


def _timeout_message(arxiv_id: str, timeout: float) -> str:
    return f"arXiv did not answer within {timeout:g} s for {arxiv_id}; try again, or add with --title"


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
        return ArxivRecord(arxiv_id, title, authors, year)
    raise ArxivError(f"arXiv has no paper {arxiv_id}")


def _text(element: Element, child: str) -> str:
    """The whitespace-collapsed text of a child element ('' when absent). arXiv hard-wraps titles."""
    return " ".join(element.findtext(f"{_ATOM}{child}", "").split())
