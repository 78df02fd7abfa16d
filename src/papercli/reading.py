"""Reading through a list: its items numbered as the list numbers them (2.3 = part 2, item 3), progress
per part, the next paper to read, and the reading pace. Pure functions over a Catalog and a ReadingLog."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from papercli.errors import UsageError
from papercli.models import Catalog, Paper, ReadingList, Section
from papercli.reading_log import DONE, ReadingLog, Status

PACE_DAYS = (7, 30)


@dataclass(frozen=True)
class ListItem:
    number: str  # "2.3": the third paper of the list's second section
    paper: Paper


@dataclass(frozen=True)
class ListPart:
    number: int  # 1-based, as the list orders its sections
    section: Section
    items: tuple[ListItem, ...]


def list_parts(catalog: Catalog, reading_list: ReadingList, section: int | None = None) -> list[ListPart]:
    """The list's sections (or the one numbered `section`) with their papers, numbered as written. Ids
    that name no loaded paper keep their number (the list's numbering is the author's) but are left out."""
    parts: list[ListPart] = []
    for number in _section_numbers(reading_list, section):
        current = reading_list.sections[number - 1]
        items = tuple(
            ListItem(f"{number}.{position}", paper)
            for position, pid in current.numbered()
            if (paper := catalog.paper(pid)) is not None
        )
        parts.append(ListPart(number, current, items))
    return parts


def restrict_parts(parts: Sequence[ListPart], paper_ids: Iterable[str]) -> list[ListPart]:
    """The parts with only the items of these papers (numbers unchanged); parts left empty are dropped."""
    kept = set(paper_ids)
    restricted = [ListPart(p.number, p.section, tuple(i for i in p.items if i.paper.id in kept)) for p in parts]
    return [p for p in restricted if p.items]


def statuses_of(papers: Iterable[Paper], log: ReadingLog) -> dict[str, Status]:
    return {p.id: log.status_of(p) for p in papers}


def _section_numbers(reading_list: ReadingList, section: int | None) -> range:
    count = len(reading_list.sections)
    if section is None:
        return range(1, count + 1)
    if not 1 <= section <= count:
        raise UsageError(
            f"--section {section}: list {reading_list.id!r} has sections 1 to {count}"
            if count
            else f"--section {section}: list {reading_list.id!r} has no sections"
        )
    return range(section, section + 1)


def positions(catalog: Catalog, paper_id: str) -> list[tuple[ReadingList, ListPart, str]]:
    """Every place the paper sits in a reading list: (list, section, item number)."""
    found: list[tuple[ReadingList, ListPart, str]] = []
    for reading_list in catalog.lists_containing(paper_id):
        for part in list_parts(catalog, reading_list):
            found += [(reading_list, part, item.number) for item in part.items if item.paper.id == paper_id]
    return found


@dataclass(frozen=True)
class Counts:
    total: int = 0
    read: int = 0
    reading: int = 0
    skipped: int = 0

    @property
    def to_go(self) -> int:
        """Neither read nor skipped (to-read and reading)."""
        return self.total - self.read - self.skipped

    @property
    def done(self) -> int:
        return self.read + self.skipped


def count_statuses(papers: Sequence[Paper], log: ReadingLog) -> Counts:
    statuses = [log.status_of(p) for p in {p.id: p for p in papers}.values()]
    return Counts(len(statuses), statuses.count("read"), statuses.count("reading"), statuses.count("skipped"))


@dataclass(frozen=True)
class PartProgress:
    number: int
    title: str
    counts: Counts


@dataclass(frozen=True)
class ListProgress:
    reading_list: ReadingList
    counts: Counts
    parts: tuple[PartProgress, ...]


def list_progress(catalog: Catalog, reading_list: ReadingList, log: ReadingLog) -> ListProgress:
    parts = list_parts(catalog, reading_list)
    every = [item.paper for part in parts for item in part.items]
    return ListProgress(
        reading_list,
        count_statuses(every, log),
        tuple(
            PartProgress(part.number, part.section.title, count_statuses([i.paper for i in part.items], log))
            for part in parts
        ),
    )


def pace(log: ReadingLog, now: datetime.datetime) -> dict[int, int]:
    """Days -> how many papers were marked read within that many days before `now` (7 and 30)."""
    last_read = [moment for entry in log.entries if entry.status == "read" and (moment := entry.last_read())]
    return {days: sum(now - moment <= datetime.timedelta(days=days) for moment in last_read) for days in PACE_DAYS}


def next_item(parts: Sequence[ListPart], log: ReadingLog) -> tuple[ListPart, ListItem, Status] | None:
    """The first paper in list order that is neither read nor skipped, with its part and status."""
    for part in parts:
        for item in part.items:
            status = log.status_of(item.paper)
            if status not in DONE:
                return part, item, status
    return None


def resolve_section_list(catalog: Catalog, list_name: str | None) -> ReadingList:
    """The list `--list` names; without it, the catalog's only list, or its first one."""
    from papercli.query import resolve_list

    if list_name is not None:
        return resolve_list(catalog, list_name)
    if not catalog.lists:
        raise UsageError("the catalog has no reading lists")
    return catalog.lists[0]
