"""Changing the reading log with the guarantees catalog writes have: one cycle of lock -> read -> change
(style-preserving, with tomlkit) -> check -> atomic replace, started again if the log was saved by hand
meanwhile (`cycle`). A log that cannot be read is never written; a change that does not read back as
intended is not written either.

Only the entries that change go through tomlkit, whose parser costs ~1.6 ms an entry: the log's text is
cut at its `[[papers]]` headers (found by the catalog's locator, which skips lines inside multi-line
strings), each changed entry's piece is parsed and edited alone, and new entries are appended as text. So
marking a paper costs the same in a log of ten entries or ten thousand, apart from the (fast, tomllib)
check of the whole result."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.items import Array, InlineTable

from papercli.models import Paper
from papercli.reading_log import (
    Entry,
    ReadingLog,
    ReadingLogError,
    Status,
    decode_log,
    parse_log,
    read_log_bytes,
)
from papercli.write import toml_edit
from papercli.write.atomic import write_atomic
from papercli.write.cycle import AGAIN, Again, until_unchanged
from papercli.write.transaction import TextStyle

NEW_LOG = """# papercli reading log: your reading status per paper (to-read, reading, read or skipped), an optional
# rating from 1 to 5, and when each change was made. Written by `papers mark`; you may edit it by hand
# (keep it valid TOML: any papers command that reads it reports a problem with its line).
"""


@dataclass(frozen=True)
class Marked:
    """What `mark` did to one paper."""

    paper_id: str
    before: Status | None  # None: the paper was not in the log
    after: Status
    changed: bool


def now_utc() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def mark_papers(
    path: Path,
    papers: Sequence[Paper],
    status: Status,
    rating: int | None = None,
    at: datetime.datetime | None = None,
) -> list[Marked]:
    """Set the status (and rating) of `papers` in the log at `path`, creating it if needed."""
    moment = at or now_utc()
    _make_folder(path)
    unique = list({p.id: p for p in papers}.values())
    return until_unchanged(path, functools.partial(_mark, path, unique, status, rating, moment))


def _mark(
    path: Path, papers: list[Paper], status: Status, rating: int | None, moment: datetime.datetime
) -> list[Marked] | Again:
    """One cycle, under the log's lock: read, change, check, and replace the log unless it was saved by hand
    meanwhile."""
    source = str(path)
    data = read_log_bytes(path)
    text = decode_log(path, data) if data is not None else None
    log = parse_log(text, source) if text is not None else ReadingLog(source=source)  # raises: nothing written
    style = TextStyle.of(data or b"")  # a byte-order mark and CRLF line endings are kept
    pieces = _LogPieces(text if text is not None else NEW_LOG, len(log.entries))
    index = {entry.id: i for i, entry in enumerate(log.entries)}
    results = []
    for paper in papers:
        entry = log.entry_for(paper)
        if entry is None:
            pieces.append(_new_entry(paper, status, rating, moment))
            results.append(Marked(paper.id, None, status, True))
        else:
            change = functools.partial(_change, entry=entry, paper=paper, status=status, rating=rating, moment=moment)
            results.append(pieces.edit(index[entry.id], change))
    if not any(r.changed for r in results):
        return results
    new_text = style.apply(pieces.text())
    after = parse_log(new_text, source)
    for result, paper in zip(results, papers, strict=True):
        entry = after.entry_for(paper)
        if entry is None or entry.status != status or (rating is not None and entry.rating != rating):
            raise ReadingLogError(f"nothing written: {result.paper_id!r} did not read back as marked (a papercli bug)")
    if read_log_bytes(path) != data:  # saved by hand while this change was being made
        return AGAIN
    write_atomic(path, style.bom + new_text, locked=True)
    return results


class _LogPieces:
    """The log's text as a prefix (comments before the first entry), one piece per `[[papers]]` entry (its
    header up to the next entry's), and entries to append."""

    def __init__(self, text: str, entries: int) -> None:
        from papercli.catalog import TableLocator

        locator = TableLocator(text)
        line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        starts = []
        for i in range(entries):
            line = locator.entry_line("papers", i)
            if line is None:
                raise ReadingLogError(
                    f"nothing written: entry {i + 1} of the log not found in its text (a papercli bug)"
                )
            starts.append(line_starts[line - 1])
        bounds = [*starts, len(text)]
        self.prefix = text[: bounds[0]] if starts else text
        self.pieces = [text[bounds[i] : bounds[i + 1]] for i in range(entries)]
        self.appended: list[str] = []

    def edit(self, index: int, change: Callable[[tomlkit.TOMLDocument], Marked]) -> Marked:
        doc = tomlkit.parse(self.pieces[index])
        marked = change(doc)
        if marked.changed:
            self.pieces[index] = doc.as_string()
        return marked

    def append(self, entry_text: str) -> None:
        self.appended.append(entry_text)

    def text(self) -> str:
        text = self.prefix + "".join(self.pieces)
        for entry in self.appended:
            if text and not text.endswith("\n"):
                text += "\n"
            text += ("\n" if text.strip() else "") + entry
        return text


def _new_entry(paper: Paper, status: Status, rating: int | None, moment: datetime.datetime) -> str:
    table = tomlkit.table()
    table.add("id", paper.id)
    if paper.arxiv:
        table.add("arxiv", paper.arxiv)
    table.add("status", status)
    if rating is not None:
        table.add("rating", rating)
    history = tomlkit.array()
    history.append(_change_item(status, rating, moment))
    table.add("history", history.multiline(True))
    doc = tomlkit.document()
    toml_edit.append_entry(doc, "papers", table)
    return doc.as_string().strip("\n") + "\n"


def _change_item(status: Status, rating: int | None, moment: datetime.datetime) -> InlineTable:
    change = tomlkit.inline_table()
    change.update({"status": status, "at": moment})
    if rating is not None:
        change["rating"] = rating
    return change


def _change(
    doc: tomlkit.TOMLDocument,
    entry: Entry,
    paper: Paper,
    status: Status,
    rating: int | None,
    moment: datetime.datetime,
) -> Marked:
    """Edit one entry (the only one in `doc`) to the new status and rating."""
    same = entry.status == status and (rating is None or entry.rating == rating)
    renamed = entry.id != paper.id
    arxiv_learned = paper.arxiv is not None and entry.arxiv != paper.arxiv
    if same and not renamed and not arxiv_learned:
        return Marked(paper.id, entry.status, status, False)
    if renamed:  # found by its arXiv id under an old paper id: follow the catalog's new id
        toml_edit.set_value(doc, "papers", 0, "id", paper.id)
    if arxiv_learned:
        toml_edit.set_value(doc, "papers", 0, "arxiv", paper.arxiv)
    if not same:
        toml_edit.set_value(doc, "papers", 0, "status", status)
        if rating is not None:
            toml_edit.set_value(doc, "papers", 0, "rating", rating)
        _append_change(doc, _change_item(status, rating, moment))
    return Marked(paper.id, entry.status, status, True)


def _append_change(doc: tomlkit.TOMLDocument, change: InlineTable) -> None:
    history = doc["papers"][0].get("history")
    if isinstance(history, Array):
        history.append(change)
        return
    toml_edit.set_value(doc, "papers", 0, "history", [])
    created = doc["papers"][0]["history"]
    assert isinstance(created, Array)
    created.append(change)
    created.multiline(True)


def _make_folder(path: Path) -> None:
    folder = path.parent
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise ReadingLogError(f"{path}: cannot create the reading log's folder {folder}: {exc.strerror}") from None
