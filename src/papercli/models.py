"""The catalog's data model: frozen dataclasses with their validation rules attached. No I/O here.

The rules are written as `Annotated` constraints that pydantic enforces when a catalog is loaded
(`papercli.validation`); the classes themselves are plain dataclasses so that commands reading a cached
catalog never pay for importing pydantic (see benchmarks/README.md).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_ARXIV_URL = re.compile(
    r"^https?://(?:www\.)?(?:export\.)?arxiv\.org/(?:abs|pdf)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$"
)
FORBID_EXTRA: Any = {"extra": "forbid"}  # pydantic config for every model: unknown fields are errors


class Rule:
    """A validation rule pydantic applies after the base type check (an `Annotated` marker)."""

    def __init__(self, check: Callable[[Any], Any]) -> None:
        self.check = check

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.check, handler(source))


def _single_line(value: str) -> str:
    # Control characters are tolerated here (renderers strip them, `papers check` flags them);
    # a line break is not: it would break every one-line view of the field.
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    if not value.strip():
        raise ValueError("must not be blank")
    if value != value.strip():
        raise ValueError("must not start or end with whitespace")
    return value


def check_single_line(value: str) -> str | None:
    """The problem with `value` as a one-line field, or None."""
    try:
        _single_line(value)
    except ValueError as exc:
        return str(exc)
    return None


def _slug(value: str) -> str:
    if len(value) > 80 or not SLUG_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a valid id (lowercase letters, digits and single hyphens)")
    return value


def _url(value: str) -> str:
    if not _URL_PATTERN.match(value):
        raise ValueError(f"{value!r} is not an http(s) link")
    return value


def _year_in_range(value: int) -> int:
    latest = datetime.date.today().year + 1
    if not 1900 <= value <= latest:
        raise ValueError(f"must be between 1900 and {latest}")
    return value


Slug = Annotated[str, Rule(_slug)]
Line = Annotated[str, Rule(_single_line)]
Url = Annotated[str, Rule(_single_line), Rule(_url)]
Year = Annotated[int, Rule(_year_in_range)]


def arxiv_id_from_url(url: str | None) -> str | None:
    """The arXiv identifier of an arXiv abs/pdf link (version dropped), or None."""
    if not url:
        return None
    match = _ARXIV_URL.match(url)
    return match.group("id") if match else None


@dataclass(frozen=True)
class VocabularyEntry:
    """A canonical name that papers use, with the other spellings users may type for it."""

    __pydantic_config__ = FORBID_EXTRA
    name: Line
    description: Line | None = None
    aliases: list[Line] = field(default_factory=list)

    def is_spelled(self, text: str) -> bool:
        """Whether `text` is this entry's name or one of its aliases, in any case."""
        folded = text.strip().casefold()
        return any(folded == spelling.casefold() for spelling in (self.name, *self.aliases))


class Tag(VocabularyEntry):
    """A topic label."""


class Institution(VocabularyEntry):
    """An organisation papers come from."""


@dataclass(frozen=True)
class Paper:
    __pydantic_config__ = FORBID_EXTRA
    id: Slug
    title: Line
    kind: Literal["paper", "project"] = "paper"
    title_zh: Line | None = None
    authors: list[Line] = field(default_factory=list)
    institutions: list[Line] = field(default_factory=list)
    year: Year | None = None
    venue: Line | None = None
    url: Url | None = None
    code: Url | None = None
    tags: list[Line] = field(default_factory=list)
    summary: str | None = None
    note: str = ""

    @property
    def arxiv(self) -> str | None:
        return arxiv_id_from_url(self.url)


@dataclass(frozen=True)
class Section:
    """A part of a reading list: its title, the author's own text at its head, and its papers in order."""

    __pydantic_config__ = FORBID_EXTRA
    title: Line
    description: str | None = None
    papers: list[Slug] = field(default_factory=list)


@dataclass(frozen=True)
class ReadingList:
    __pydantic_config__ = FORBID_EXTRA
    id: Slug
    title: Line
    description: str | None = None
    sections: list[Section] = field(default_factory=list)

    def paper_ids(self) -> list[str]:
        """Every id in reading order, each once (a list may repeat a paper across sections)."""
        return list(dict.fromkeys(pid for section in self.sections for pid in section.papers))


@dataclass(frozen=True)
class Catalog:
    title: str | None = None
    tags: list[Tag] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)
    lists: list[ReadingList] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)

    def paper(self, paper_id: str) -> Paper | None:
        return next((p for p in self.papers if p.id == paper_id), None)

    def reading_list(self, list_id: str) -> ReadingList | None:
        return next((rl for rl in self.lists if rl.id == list_id), None)

    def lists_containing(self, paper_id: str) -> list[ReadingList]:
        return [rl for rl in self.lists if any(paper_id in s.papers for s in rl.sections)]


PAPER_FIELDS = (
    "id",
    "kind",
    "title",
    "title_zh",
    "authors",
    "institutions",
    "year",
    "venue",
    "url",
    "code",
    "tags",
    "summary",
    "note",
)
