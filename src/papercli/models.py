"""The catalog's data model: frozen dataclasses with their validation rules attached. No I/O here.

Why dataclasses that pydantic validates, rather than pydantic models: importing pydantic's BaseModel
machinery costs more start-up time than the whole budget of a read command (benchmarks/README.md), and
most commands never need it. So the classes are plain frozen dataclasses with tuple fields (immutable all
the way down), and the rules live next to each field as `Annotated` constraints. pydantic enforces them
only where raw data enters: `papercli.validation.validate(Model, mapping)` is the one entry point that
turns a raw mapping (a TOML table, a JSON object, an edited entry) into a checked object. Types are
strict: `year = "2021"` or `year = 2021.0` is an error, not silently converted.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal

from papercli.links import arxiv_id_from_url, arxiv_pdf_url

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
FORBID_EXTRA: Any = {"extra": "forbid"}  # pydantic config for every model: unknown fields are errors
PaperKind = Literal["paper", "project"]
PAPER_KINDS: tuple[PaperKind, ...] = ("paper", "project")
DEFAULT_KIND: PaperKind = "paper"


class Strict:
    """Marks a type as strict: pydantic must not convert into it (no "2021" -> 2021, no 2021.0 -> 2021)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["strict"] = True
        return schema


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


def _positive(value: int) -> int:
    if value < 1:
        raise ValueError("must be 1 or more")
    return value


Text = Annotated[str, Strict()]
Slug = Annotated[str, Strict(), Rule(_slug)]
Line = Annotated[str, Strict(), Rule(_single_line)]
Url = Annotated[str, Strict(), Rule(_single_line), Rule(_url)]
Year = Annotated[int, Strict(), Rule(_year_in_range)]
ItemNumber = Annotated[int, Strict(), Rule(_positive)]


@dataclass(frozen=True)
class VocabularyEntry:
    """A canonical name that papers use, with the other spellings users may type for it."""

    __pydantic_config__ = FORBID_EXTRA
    name: Line
    description: Line | None = None
    aliases: tuple[Line, ...] = ()

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
    """One catalog entry: a paper (or, with kind "project", a code base or model release) and its notes.

    `tags` and `institutions` hold canonical vocabulary names; `note` is Markdown; `arxiv` is derived
    from `url`, never stored."""

    __pydantic_config__ = FORBID_EXTRA
    id: Slug
    title: Line
    kind: PaperKind = DEFAULT_KIND
    title_zh: Line | None = None
    authors: tuple[Line, ...] = ()
    institutions: tuple[Line, ...] = ()
    year: Year | None = None
    venue: Line | None = None
    url: Url | None = None
    code: Url | None = None
    tags: tuple[Line, ...] = ()
    summary: Text | None = None
    note: Text = ""

    @property
    def arxiv(self) -> str | None:
        return arxiv_id_from_url(self.url)

    def links(self) -> dict[str, str]:
        """The paper's links by kind, those it has: "page" (its url), "pdf" (arXiv's PDF), "code"."""
        found = {"page": self.url, "pdf": arxiv_pdf_url(self.arxiv) if self.arxiv else None, "code": self.code}
        return {kind: link for kind, link in found.items() if link}


@dataclass(frozen=True)
class Section:
    """A part of a reading list: its title, the author's own text at its head, and its papers in order.

    Items are numbered from 1 as the list's author numbers them; `gaps` are the author's item numbers that
    have no entry here (an item naming no identifiable paper), so the items after a gap keep their number."""

    __pydantic_config__ = FORBID_EXTRA
    title: Line
    description: Text | None = None
    papers: tuple[Slug, ...] = ()
    gaps: tuple[ItemNumber, ...] = ()

    def numbered(self) -> list[tuple[int, str]]:
        """(item number, paper id) for each paper in order, numbers passing over the gaps."""
        gaps = set(self.gaps)
        numbered: list[tuple[int, str]] = []
        number = 0
        for paper_id in self.papers:
            number += 1
            while number in gaps:
                number += 1
            numbered.append((number, paper_id))
        return numbered


@dataclass(frozen=True)
class ReadingList:
    __pydantic_config__ = FORBID_EXTRA
    id: Slug
    title: Line
    description: Text | None = None
    sections: tuple[Section, ...] = ()

    def paper_ids(self) -> list[str]:
        """Every id in reading order, each once (a list may repeat a paper across sections)."""
        return list(dict.fromkeys(pid for section in self.sections for pid in section.papers))


@dataclass(frozen=True)
class Catalog:
    """A whole checked catalog: its vocabularies (tags, institutions), reading lists and papers, in file
    order. Built by `papercli.catalog`, which guarantees paper ids are unique and every name a paper or
    list uses is declared (or reports a problem)."""

    title: str | None = None
    tags: tuple[Tag, ...] = ()
    institutions: tuple[Institution, ...] = ()
    lists: tuple[ReadingList, ...] = ()
    papers: tuple[Paper, ...] = ()

    def paper(self, paper_id: str) -> Paper | None:
        return self._by_id.get(paper_id)

    @cached_property
    def _by_id(self) -> dict[str, Paper]:
        return {p.id: p for p in self.papers}

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
