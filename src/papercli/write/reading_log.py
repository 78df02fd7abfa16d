"""Changing the reading log with the guarantees catalog writes have: one cycle of lock -> read -> change
(style-preserving, with tomlkit) -> check -> atomic replace. A log that cannot be read is never written;
a change that does not read back as intended is not written either."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Array

from papercli.models import Paper
from papercli.reading_log import ReadingLog, ReadingLogError, Status, parse_log, read_log_text
from papercli.write import toml_edit
from papercli.write.atomic import write_atomic
from papercli.write.lock import catalog_lock

NEW_LOG = """# papercli reading log: your reading status per paper (to-read, reading, read or skipped), an optional
# rating from 1 to 5, and when each change was made. Written by `papers mark`; you may edit it by hand
# (keep it valid TOML: any papers command that reads it reports a problem with its line).
"""
ENTRY_ORDER = ("id", "arxiv", "status", "rating", "history")


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
    source = str(path)
    with catalog_lock(path):
        text = read_log_text(path)
        log = parse_log(text, source) if text is not None else ReadingLog(source=source)  # raises: nothing written
        doc = toml_edit.parse(text if text is not None else NEW_LOG, source)
        results = [_mark_one(doc, log, paper, status, rating, moment) for paper in _unique(papers)]
        if not any(r.changed for r in results):
            return results
        new_text = doc.as_string()
        after = parse_log(new_text, source)
        for result, paper in zip(results, _unique(papers), strict=True):
            entry = after.entry_for(paper)
            if entry is None or entry.status != status or (rating is not None and entry.rating != rating):
                raise ReadingLogError(
                    f"nothing written: {result.paper_id!r} did not read back as marked (a papercli bug)"
                )
        write_atomic(path, new_text)
    return results


def _mark_one(
    doc: tomlkit.TOMLDocument,
    log: ReadingLog,
    paper: Paper,
    status: Status,
    rating: int | None,
    moment: datetime.datetime,
) -> Marked:
    entry = log.entry_for(paper)
    change = tomlkit.inline_table()
    change.update({"status": status, "at": moment})
    if rating is not None:
        change["rating"] = rating
    if entry is None:
        table = tomlkit.table()
        table.add("id", paper.id)
        if paper.arxiv:
            table.add("arxiv", paper.arxiv)
        table.add("status", status)
        if rating is not None:
            table.add("rating", rating)
        history = tomlkit.array()
        history.append(change)
        table.add("history", history.multiline(True))
        toml_edit.append_entry(doc, "papers", table)
        return Marked(paper.id, None, status, True)
    same = entry.status == status and (rating is None or entry.rating == rating)
    renamed = entry.id != paper.id
    arxiv_learned = paper.arxiv is not None and entry.arxiv != paper.arxiv
    if same and not renamed and not arxiv_learned:
        return Marked(paper.id, entry.status, status, False)
    index = _index(doc, entry.id)
    if renamed:  # found by its arXiv id under an old paper id: follow the catalog's new id
        toml_edit.set_value(doc, "papers", index, "id", paper.id)
    if arxiv_learned:
        toml_edit.set_value(doc, "papers", index, "arxiv", paper.arxiv)
    if not same:
        toml_edit.set_value(doc, "papers", index, "status", status)
        if rating is not None:
            toml_edit.set_value(doc, "papers", index, "rating", rating)
        _append_change(doc, index, change)
    return Marked(paper.id, entry.status, status, not same or renamed or arxiv_learned)


def _index(doc: tomlkit.TOMLDocument, paper_id: str) -> int:
    entries = doc.get("papers")
    if isinstance(entries, AoT):
        for index, table in enumerate(entries):
            if table.get("id") == paper_id:
                return index
    raise ReadingLogError(f"nothing written: entry {paper_id!r} not found in the log's TOML (a papercli bug)")


def _append_change(doc: tomlkit.TOMLDocument, index: int, change: tomlkit.items.InlineTable) -> None:
    table = doc["papers"][index]
    history = table.get("history")
    if isinstance(history, Array):
        history.append(change)
        return
    toml_edit.set_value(doc, "papers", index, "history", [])
    created = doc["papers"][index]["history"]
    assert isinstance(created, Array)
    created.append(change)
    created.multiline(True)


def _unique(papers: Sequence[Paper]) -> list[Paper]:
    return list({p.id: p for p in papers}.values())


def _make_folder(path: Path) -> None:
    folder = path.parent
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    except OSError as exc:
        raise ReadingLogError(f"{path}: cannot create the reading log's folder {folder}: {exc.strerror}") from None
