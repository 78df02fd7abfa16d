"""`papers edit` at scale: change one paper's entry in place through the index, like `splice` adds one.

The entry's region of text (its table, up to the next header) is read by its byte offsets, edited with
tomlkit as a one-entry document by the same code the general path runs, checked on its own (fields,
declared names, one-paper lint, no other paper with its link), confirmed to read back (tomllib), spliced
in, and the index row, FTS row and entry spans are updated in place. Anything unusual (a new id, an entry
with problems, a catalog with errors, a region tomlkit does not reproduce) returns None so the caller
takes the general path, which checks the whole catalog and reports problems in its usual words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from papercli.catalog import read_source
from papercli.errors import KeptChanging, NotFoundError
from papercli.index.reader import CatalogIndex
from papercli.lint import paper_findings
from papercli.models import Paper
from papercli.write.cycle import AGAIN, Again, until_unchanged
from papercli.write.splice import (
    IndexPapers,
    _body,
    _describes,
    _entry_region,
    _fresh_meta,
    _in_place,
    _quiet,
    _shift_entries,
    _unchanged,
    _usable,
)

if TYPE_CHECKING:
    import tomlkit

    from papercli.write.atomic import Chunks
    from papercli.write.transaction import Snapshot

Region = tuple[int, int, int, str, "tomlkit.TOMLDocument"]  # first line, start, stop, text, document


def entry_of(path: Path, ref: str) -> tuple[str, tomlkit.TOMLDocument] | None:
    """The id `ref` names and a document holding just its entry, or None (take the general path)."""
    from papercli.index.access import open_index
    from papercli.query import resolve_ref

    data, info = read_source(path)
    index = open_index(path, warn=_quiet, source=(data, info))
    if not _usable(index):
        return None
    try:
        paper_id = resolve_ref(index, ref).id
    except NotFoundError:
        return None
    if not _describes(index, info):
        return None
    region = _region(index, _body(data), paper_id)
    return (paper_id, region[4]) if region is not None else None


def edit_entry(path: Path, paper_id: str, change: Callable[[Snapshot], Paper]) -> Paper | None:
    """Apply `change` to the paper's one-entry document and write it, or return None (general path)."""
    from papercli.index.access import open_index
    from papercli.write.atomic import write_atomic
    from papercli.write.transaction import Snapshot, TextStyle

    def cycle() -> Paper | None | Again:
        data, info = read_source(path)
        index = open_index(path, warn=_quiet, source=(data, info))
        if not _usable(index):
            return None
        if not _describes(index, info):
            return AGAIN
        style = TextStyle.of(data)
        body = _body(data)
        region = _region(index, body, paper_id)
        if region is None:
            return None
        first_line, start, stop, old, doc = region
        intended = change(Snapshot(doc, index.vocabulary))
        if not _clean_entry(index, paper_id, intended):
            return None
        new = style.apply(doc.as_string())
        if not _reads_back(new, intended):
            return None
        # Written and hashed piece by piece: no copy of the whole file.
        written: list[bytes | memoryview] = [style.bom.encode(), body[:start], new.encode("utf-8"), body[stop:]]
        if not _unchanged(path, info, data):
            return AGAIN
        write_atomic(path, written, locked=True)
        _update_index(index, path, written, paper_id, intended, (start, stop, old, new))
        return intended

    try:
        return until_unchanged(path, cycle)
    except KeptChanging:
        return None  # the general path tries again, and says so if the file still keeps changing


def _region(index: CatalogIndex, body: memoryview, paper_id: str) -> Region | None:
    rows = index.conn.execute(
        "SELECT start, start_offset, stop_offset FROM entries WHERE section = 'papers' AND id = ?", (paper_id,)
    ).fetchall()
    if len(rows) != 1:
        return None
    first_line, start, stop = rows[0]
    region = _entry_region(body, start, stop, "papers")
    if region is None:
        return None
    old, doc = region
    if not _reads_back(old, index.by_id(paper_id)):
        return None  # the spans do not point at the paper the index has
    return first_line, start, stop, old, doc


def _reads_back(text: str, paper: Paper | None) -> bool:
    from papercli.catalog import parse_document
    from papercli.errors import PapersError
    from papercli.validation import validate

    try:
        entries = parse_document(text, "region.toml")["papers"]
    except (PapersError, KeyError):
        return False
    if len(entries) != 1 or paper is None:
        return False
    found, _ = validate(Paper, entries[0])
    return found == paper


def _clean_entry(index: CatalogIndex, paper_id: str, paper: Paper) -> bool:
    """Whether the edited paper passes, on its own, every check the whole catalog would run on it."""
    vocabulary = index.vocabulary
    tags = {t.name for t in vocabulary.tags}
    institutions = {i.name for i in vocabulary.institutions}
    return (
        paper.id == paper_id
        and set(paper.tags) <= tags
        and set(paper.institutions) <= institutions
        and not any(f.severity == "error" for f in paper_findings(paper))
        and not any(field == "url" for field, _ in IndexPapers(index).sharing_links(paper))
    )


def _update_index(
    index: CatalogIndex, path: Path, written: Chunks, paper_id: str, paper: Paper, splice: tuple[int, int, str, str]
) -> None:
    import sqlite3

    from papercli.index.build import fts_row, paper_row, spelled
    from papercli.index.schema import DELETE_FTS, INSERT_FTS, INSERT_PAPER

    start, stop, old, new = splice
    with _in_place(index, (sqlite3.Error, OSError, AssertionError, TypeError)) as conn:
        meta = _fresh_meta(path, written)
        pos = conn.execute("SELECT pos FROM papers WHERE id = ?", (paper_id,)).fetchone()[0]
        before = index.by_id(paper_id)
        assert before is not None
        tags, institutions = spelled(index.vocabulary.tags), spelled(index.vocabulary.institutions)
        lines, chars = _shift_entries(conn, stop, old, new)
        conn.execute(
            "UPDATE entries SET stop = stop + ?, stop_offset = stop_offset + ? WHERE section = 'papers' AND id = ?",
            (lines, chars, paper_id),
        )
        conn.execute("DELETE FROM papers WHERE pos = ?", (pos,))
        conn.execute(INSERT_PAPER, paper_row(pos, paper))
        for table, column, values in (
            ("paper_tags", "tag", paper.tags),
            ("paper_institutions", "institution", paper.institutions),
        ):
            conn.execute(f"DELETE FROM {table} WHERE pos = ?", (pos,))
            conn.executemany(f"INSERT INTO {table} ({column}, pos) VALUES (?, ?)", [(v, pos) for v in values])
        if index.meta.get("fts") == "1":
            conn.execute(DELETE_FTS, fts_row(pos, before, tags, institutions))
            conn.execute(INSERT_FTS, fts_row(pos, paper, tags, institutions))
        conn.executemany("UPDATE meta SET value = ? WHERE key = ?", [(v, k) for k, v in meta.items()])
