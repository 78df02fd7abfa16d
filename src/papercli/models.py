"""The catalog's data model. Pure pydantic: no file or terminal I/O here."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    computed_field,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_ARXIV_URL = re.compile(
    r"^https?://(?:www\.)?(?:export\.)?arxiv\.org/(?:abs|pdf)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$"
)


def _single_line(value: str) -> str:
    # Control characters are tolerated here (renderers strip them, `papers check` flags them);
    # a line break is not: it would break every one-line view of the field.
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    if not value.strip():
        raise ValueError("must not be blank")
    return value


def _year_in_range(value: int) -> int:
    latest = datetime.date.today().year + 1
    if not 1900 <= value <= latest:
        raise ValueError(f"must be between 1900 and {latest}")
    return value


Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=80)]
Line = Annotated[str, AfterValidator(_single_line)]
Url = Annotated[Line, StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$")]
Year = Annotated[int, AfterValidator(_year_in_range)]


def arxiv_id_from_url(url: str | None) -> str | None:
    """The arXiv identifier of an arXiv abs/pdf link (version dropped), or None."""
    if not url:
        return None
    match = _ARXIV_URL.match(url)
    return match.group("id") if match else None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tag(_Strict):
    name: Line
    description: Line | None = None
    aliases: list[Line] = Field(default_factory=list)


class Institution(_Strict):
    name: Line
    description: Line | None = None
    aliases: list[Line] = Field(default_factory=list)


class Paper(_Strict):
    id: Slug
    kind: Literal["paper", "project"] = "paper"
    title: Line
    title_zh: Line | None = None
    authors: list[Line] = Field(default_factory=list)
    institutions: list[Line] = Field(default_factory=list)
    year: Year | None = None
    venue: Line | None = None
    url: Url | None = None
    code: Url | None = None
    tags: list[Line] = Field(default_factory=list)
    summary: str | None = None
    note: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def arxiv(self) -> str | None:
        return arxiv_id_from_url(self.url)


class Section(_Strict):
    title: Line
    papers: list[Slug] = Field(default_factory=list)


class ReadingList(_Strict):
    id: Slug
    title: Line
    description: str | None = None
    sections: list[Section] = Field(default_factory=list)

    def paper_ids(self) -> list[str]:
        """Every id in reading order, each once (a list may repeat a paper across sections)."""
        return list(dict.fromkeys(pid for section in self.sections for pid in section.papers))


class Catalog(_Strict):
    title: Line | None = None
    tags: list[Tag] = Field(default_factory=list)
    institutions: list[Institution] = Field(default_factory=list)
    lists: list[ReadingList] = Field(default_factory=list)
    papers: list[Paper] = Field(default_factory=list)

    def paper(self, paper_id: str) -> Paper | None:
        return next((p for p in self.papers if p.id == paper_id), None)

    def reading_list(self, list_id: str) -> ReadingList | None:
        return next((rl for rl in self.lists if rl.id == list_id), None)

    def lists_containing(self, paper_id: str) -> list[ReadingList]:
        return [rl for rl in self.lists if any(paper_id in s.papers for s in rl.sections)]
