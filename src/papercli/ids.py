"""Paper ids derived from titles, the way the catalog's own ids are made: short, lowercase, hyphenated."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

MAX_NAME_WORDS = 4  # "Swin Transformer V2: ..." -> swin-transformer-v2; longer prefixes are sentences
MAX_TITLE_WORDS = 4
MAX_LENGTH = 48
_STOP_WORDS = frozenset(
    "a an and are as at be by can do does for from how in into is it its of on or the their this to towards "
    "using via what when where which who why with without".split()
)


def slugify(text: str) -> str:
    """ASCII lowercase words joined by single hyphens ('' when nothing is left)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def id_from_title(title: str) -> str:
    """`LoRA: Low-Rank Adaptation ...` -> `lora`; `Segment Anything` -> `segment-anything`.

    A short name before a colon is the paper's name and becomes its id; otherwise the first few
    significant words of the title do."""
    name, colon, _ = title.partition(":")
    if colon and 0 < len(name.split()) <= MAX_NAME_WORDS and _significant(name):
        return _shorten(slugify(" ".join(_significant(name))))
    return _shorten(slugify(" ".join(_significant(title)[:MAX_TITLE_WORDS])))


def _significant(text: str) -> list[str]:
    return [word for word in text.split() if slugify(word) and slugify(word) not in _STOP_WORDS]


def unique_id(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3`... whichever is free."""
    candidate = base or "paper"
    number = 2
    while candidate in taken:
        candidate = f"{base or 'paper'}-{number}"
        number += 1
    return candidate


def _shorten(slug: str) -> str:
    if len(slug) <= MAX_LENGTH:
        return slug
    return slug[:MAX_LENGTH].rsplit("-", 1)[0] or slug[:MAX_LENGTH]
