"""The reading log: which papers a reader has read, is reading, skipped or means to read, with a rating
and the date of every change. No I/O beyond reading the file; `papercli.write.reading_log` writes it.

The log is personal and separate from any catalog, so it works with the read-only bundled catalog and
with a catalog a team shares. It is a small, human-readable TOML file:

    [[papers]]
    id = "lora"
    arxiv = "2106.09685"          # remembered so the paper is still recognised under a new id
    status = "read"               # to-read, reading, read or skipped
    rating = 4                    # optional, 1 to 5
    history = [
      { status = "reading", at = 2026-11-28T21:03:11Z },
      { status = "read", at = 2026-11-30T08:15:40Z, rating = 4 },
    ]

Unlike a catalog, the log is all or nothing: any problem in it is a located error (file:line) and no
command writes a log it could not read, so a damaged log is never made worse.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from papercli.errors import CatalogError, PapersError, UsageError
from papercli.links import parse_arxiv_ref
from papercli.models import SLUG_PATTERN, Paper

if TYPE_CHECKING:
    from papercli.catalog import TableLocator

Status = Literal["to-read", "reading", "read", "skipped"]
STATUSES: tuple[Status, ...] = ("to-read", "reading", "read", "skipped")
DONE: frozenset[Status] = frozenset({"read", "skipped"})  # what `next` passes over and `unread` excludes
UNREAD = "unread"  # a filter value: neither read nor skipped (no entry counts as to-read)
RATINGS = range(1, 6)
ENV_VAR = "PAPERS_READING_LOG"
FILE_NAME = "reading-log.toml"
ENTRY_KEYS = ("id", "arxiv", "status", "rating", "history")
CHANGE_KEYS = ("status", "at", "rating")


class ReadingLogError(PapersError):
    """The reading log cannot be read, or a change to it cannot be made. Nothing was written."""

    exit_code = 2


@dataclass(frozen=True)
class Change:
    status: Status
    at: datetime.datetime  # timezone-aware (UTC when written by papers)
    rating: int | None = None


@dataclass(frozen=True)
class Entry:
    id: str
    status: Status
    arxiv: str | None = None
    rating: int | None = None
    history: tuple[Change, ...] = ()

    def last_read(self) -> datetime.datetime | None:
        """When the paper was last marked read, if it was."""
        return max((c.at for c in self.history if c.status == "read"), default=None)


@dataclass(frozen=True)
class ReadingLog:
    entries: tuple[Entry, ...] = ()
    exists: bool = False  # False: there is no log file yet (every paper counts as to-read)
    source: str = ""

    @cached_property
    def _by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}

    @cached_property
    def _by_arxiv(self) -> dict[str, Entry]:
        return {e.arxiv.lower(): e for e in self.entries if e.arxiv}

    def entry_for(self, paper: Paper) -> Entry | None:
        """The paper's entry: by id, else by arXiv id (the paper may have been renamed since)."""
        found = self._by_id.get(paper.id)
        if found is None and paper.arxiv:
            found = self._by_arxiv.get(paper.arxiv.lower())
        return found

    def status_of(self, paper: Paper) -> Status:
        entry = self.entry_for(paper)
        return entry.status if entry is not None else "to-read"

    def rating_of(self, paper: Paper) -> int | None:
        entry = self.entry_for(paper)
        return entry.rating if entry is not None else None


def matches_status(status: Status, wanted: Iterable[str]) -> bool:
    """Whether a paper with `status` passes a `--status` filter (any of `wanted`; `unread` = not done)."""
    return any(status == w or (w == UNREAD and status not in DONE) for w in wanted)


def check_status(value: str) -> Status:
    folded = value.strip().lower()
    if folded not in STATUSES:
        raise ReadingLogError(f"{value!r} is not a reading status; use one of: {', '.join(STATUSES)}")
    return folded


def check_filter_status(value: str) -> str:
    """A `--status` value: a reading status, or `unread` (neither read nor skipped)."""
    folded = value.strip().lower()
    if folded != UNREAD and folded not in STATUSES:
        raise UsageError(f"--status {value!r}: use one of {', '.join((*STATUSES, UNREAD))}")
    return folded


def check_rating(value: int) -> int:
    if value not in RATINGS:
        raise ReadingLogError(f"rating {value} is out of range; give a whole number from 1 to 5")
    return value


def default_log_path() -> Path:
    """$PAPERS_READING_LOG, else reading-log.toml in the user data folder (platformdirs)."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_path

    return user_data_path("papercli", appauthor=False) / FILE_NAME


def read_log_bytes(path: Path) -> bytes | None:
    """The log's bytes, or None when there is no log yet."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ReadingLogError(f"{path}: is a directory, not a reading log") from None
    except OSError as exc:
        raise ReadingLogError(f"{path}: cannot read the reading log: {exc.strerror}") from None


def decode_log(path: Path, data: bytes) -> str:
    """The log's text, decoded as catalogs are (a byte-order mark is dropped; bad bytes are located)."""
    from papercli.catalog import decode_text

    try:
        return decode_text(path, data)
    except CatalogError as exc:
        raise ReadingLogError(f"{exc}; the reading log was not changed") from None


def load_log(path: Path) -> ReadingLog:
    data = read_log_bytes(path)
    if data is None:
        return ReadingLog(source=str(path))
    return parse_log(decode_log(path, data), str(path))


def parse_log(text: str, source: str) -> ReadingLog:
    """Log text -> ReadingLog. Any problem raises ReadingLogError naming file:line (the first problem,
    with a count of the others)."""
    from papercli.catalog import TableLocator, parse_document

    try:
        data = parse_document(text, source.removesuffix(".json"))  # always TOML, whatever the name
    except CatalogError as exc:
        raise ReadingLogError(f"{exc}; the reading log was not changed") from None
    problems = _Problems(source, TableLocator(text))
    for key in data:
        if key != "papers":
            problems.add(f"unknown top-level key {key!r} (a reading log holds [[papers]] entries only)")
    raw = data.get("papers", [])
    if not isinstance(raw, list):
        problems.add("'papers' must be an array of tables ([[papers]])")
        raw = []
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        entry = _Checker(problems, index).entry(item)
        if entry is None:
            continue
        if entry.id in seen:
            problems.add(f"paper {entry.id!r} is logged twice (first at entry {seen[entry.id] + 1})", index, "id")
            continue
        seen[entry.id] = index
        entries.append(entry)
    if problems.messages:
        more = f" (and {len(problems.messages) - 1} more)" if len(problems.messages) > 1 else ""
        raise ReadingLogError(f"{problems.messages[0]}{more}; the reading log was not changed")
    return ReadingLog(tuple(entries), exists=True, source=source)


class _Problems:
    def __init__(self, source: str, locator: TableLocator) -> None:
        self.source = source
        self.locator = locator
        self.messages: list[str] = []

    def add(self, message: str, index: int | None = None, key: str | None = None) -> None:
        line = self.locator.line("papers", index, key) if index is not None else None
        where = f"{self.source}:{line}" if line else self.source
        self.messages.append(f"{where}: {message}")


class _Checker:
    """Checks one raw [[papers]] entry, reporting each problem at its line."""

    def __init__(self, problems: _Problems, index: int) -> None:
        self.problems = problems
        self.index = index
        self.found = 0

    def problem(self, message: str, key: str | None = None) -> None:
        self.found += 1
        self.problems.add(message, self.index, key)

    def entry(self, item: object) -> Entry | None:
        if not isinstance(item, dict):
            self.problem("each [[papers]] entry must be a table")
            return None
        for key in item:
            if key not in ENTRY_KEYS:
                self.problem(f"unknown field {key!r} (expected: {', '.join(ENTRY_KEYS)})", key)
        paper_id = item.get("id")
        if not isinstance(paper_id, str) or not SLUG_PATTERN.match(paper_id):
            self.problem(f"id: {paper_id!r} is not a paper id (lowercase letters, digits, single hyphens)", "id")
        status = self.status(item.get("status"), "status", "status")
        arxiv = item.get("arxiv")
        if arxiv is not None and (not isinstance(arxiv, str) or parse_arxiv_ref(arxiv) != arxiv):
            self.problem(f"arxiv: {arxiv!r} is not an arXiv id like 2106.09685", "arxiv")
        rating = self.rating(item.get("rating"), "rating", "rating")
        history = self.history(item.get("history", []))
        if self.found:
            return None
        return Entry(cast(str, paper_id), cast(Status, status), cast("str | None", arxiv), rating, history)

    def status(self, value: object, what: str, key: str) -> Status | None:
        if not isinstance(value, str) or value not in STATUSES:
            shown = "missing" if value is None else f"{value!r} is not one of {', '.join(STATUSES)}"
            self.problem(f"{what}: {shown}", key)
            return None
        return value

    def rating(self, value: object, what: str, key: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
            self.problem(f"{what}: {value!r} is not a rating from 1 to 5", key)
            return None
        return value

    def history(self, value: object) -> tuple[Change, ...]:
        if not isinstance(value, list):
            self.problem("history: must be an array of { status, at } tables", "history")
            return ()
        changes: list[Change] = []
        for number, item in enumerate(value, start=1):
            what = f"history item {number}"
            if not isinstance(item, dict):
                self.problem(
                    f'{what}: must be a table like {{ status = "read", at = 2026-11-30T08:00:00Z }}', "history"
                )
                continue
            unknown = [k for k in item if k not in CHANGE_KEYS]
            if unknown:
                self.problem(f"{what}: unknown field {unknown[0]!r} (expected: {', '.join(CHANGE_KEYS)})", "history")
            status = self.status(item.get("status"), f"{what} status", "history")
            at = _moment(item.get("at"))
            if at is None:
                self.problem(f"{what}: 'at' must be a date or date-time like 2026-11-30T08:00:00Z", "history")
            rating = self.rating(item.get("rating"), f"{what} rating", "history")
            if status is not None and at is not None:
                changes.append(Change(status, at, rating))
        return tuple(changes)


def _moment(value: object) -> datetime.datetime | None:
    """A TOML date or date-time as an aware datetime (local date-times and dates are taken as UTC)."""
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=datetime.timezone.utc)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.timezone.utc)
    return None
