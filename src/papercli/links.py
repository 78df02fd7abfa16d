"""Paper links: arXiv identifiers in every form people write them, when two links are the same, and which
links a page may make clickable.

The one home of these rules: the model's derived `arxiv`, `show`/`edit` references, `add`'s duplicate
check and arXiv lookup, `check`'s link lint and the static site's hrefs all call the functions here.
"""

from __future__ import annotations

import re

_NEW_ID = r"\d{4}\.\d{4,5}"  # 2106.09685 (since 2007)
_OLD_ID = r"[a-z][a-z-]*(?:\.[a-z]{2})?/\d{7}"  # hep-th/9901001, math.GT/0309136 (before 2007)
_VERSION = r"(?:v\d+)?"
_BARE = re.compile(rf"^(?:arxiv:\s*)?(?P<id>{_NEW_ID}|{_OLD_ID}){_VERSION}$", re.IGNORECASE)
_LINK = re.compile(
    rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/(?P<id>{_NEW_ID}|{_OLD_ID}){_VERSION}"
    r"(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
# Scheme, then a host that does not start with a delimiter; no whitespace or control characters anywhere.
_WEB_LINK = re.compile(r"(?i:https?)://[^\s\x00-\x1f\x7f-\x9f/?#@:][^\s\x00-\x1f\x7f-\x9f]*\Z")
_NEW_STYLE = re.compile(r"^(\d{2})(\d{2})\.(\d{4,5})$")
_SUBJECT_CLASS = re.compile(r"\.([a-z]{2})/", re.IGNORECASE)


def _normalise(found: str) -> str:
    if "/" not in found:
        return found
    # Old-style ids: archive names are lowercase, subject classes uppercase (math.GT/0309136).
    return _SUBJECT_CLASS.sub(lambda m: f".{m.group(1).upper()}/", found.lower())


def arxiv_id_from_url(url: str | None) -> str | None:
    """The arXiv id of an arXiv abs/pdf/html link (any version, with or without scheme), else None."""
    if not url:
        return None
    match = _LINK.match(url.strip())
    return _normalise(match.group("id")) if match else None


def parse_arxiv_ref(text: str) -> str | None:
    """What a user typed -> an arXiv id: `2106.09685`, `arXiv:2106.09685v2`, `https://arxiv.org/pdf/2106.09685`
    and the like all give `2106.09685`. None when `text` is no arXiv reference."""
    value = text.strip()
    match = _BARE.match(value)
    if match:
        return _normalise(match.group("id"))
    return arxiv_id_from_url(value)


def arxiv_abs_url(arxiv_id: str) -> str:
    """The canonical link the catalog stores for an arXiv paper."""
    return f"https://arxiv.org/abs/{arxiv_id}"


def arxiv_pdf_url(arxiv_id: str) -> str:
    return f"https://arxiv.org/pdf/{arxiv_id}"


def arxiv_link_problem(url: str) -> str | None:
    """Why an arXiv link is malformed or not canonical, or None when it is fine (or not an arXiv link)."""
    if "arxiv.org" not in url.casefold():
        return None
    arxiv = arxiv_id_from_url(url)
    if arxiv is None:
        return f"malformed arXiv link {url!r} (expected https://arxiv.org/abs/<id>)"
    match = _NEW_STYLE.match(arxiv)
    if match:
        year, month, number = int(match.group(1)), int(match.group(2)), match.group(3)
        if not 1 <= month <= 12:
            return f"arXiv id {arxiv} has no month {month:02d}"
        if (year, month) >= (15, 1) and len(number) != 5:
            return f"arXiv id {arxiv} looks truncated: ids since 1501 have 5 digits after the dot"
        if (year, month) < (15, 1) and len(number) != 4:
            return f"arXiv id {arxiv} is malformed: ids before 1501 have 4 digits after the dot"
    if url != arxiv_abs_url(arxiv):
        return f"arXiv link {url!r} is not in the canonical form {arxiv_abs_url(arxiv)}"
    return None


def link_identity(url: str) -> str:
    """What a link points at, for comparing links: the arXiv paper for any arXiv link form, otherwise
    the address without scheme, `www.`, trailing slashes and case."""
    arxiv = arxiv_id_from_url(url)
    if arxiv is not None:
        return f"arxiv:{arxiv.lower()}"
    key = url.strip().casefold()
    for prefix in ("https://", "http://"):
        key = key.removeprefix(prefix)
    return key.removeprefix("www.").rstrip("/")


def is_web_link(url: str) -> bool:
    """Whether `url` may become an href on a page: an absolute http(s) link with a host and no whitespace
    or control characters. Stricter than the catalog's link fields accept on load (control characters
    there are left to `check`), and also applied to links written inside notes."""
    return _WEB_LINK.match(url) is not None
