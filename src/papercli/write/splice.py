"""`papers add` at scale: append a paper without re-reading and re-checking the whole catalog.

The index knows every entry's place in the file (`entries`: lines and character offsets) and every
paper's id and link identity. Under the catalog's lock, with the index confirmed fresh for the very bytes
read, an addition is planned against the index (the same `plan_addition` rules: declared tags and
institutions, a free id, no paper with the same link or arXiv id), the new table is added to the small
region of text that holds the last `[[papers]]` entry (and the last `[[tags]]`/`[[institutions]]` for
new names) with tomlkit, exactly as a whole-document change would, and the regions are spliced back. The
new regions must parse (tomllib) to what was planned, and the file must be unchanged since it was read
(a hand edit meanwhile starts the cycle again). Then the file is replaced atomically and the index is
updated in place. When any of this does not apply (a catalog with errors, an index in memory, a region
tomlkit does not reproduce byte for byte), `append_paper` returns None and the caller makes the change
the general way (`transaction.change_catalog`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Container, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from papercli.catalog import BOM, read_source
from papercli.errors import PapersError
from papercli.index import freshness
from papercli.index.reader import CatalogIndex
from papercli.links import link_identity
from papercli.lint import papers_sharing_links
from papercli.models import Institution, Paper, Tag
from papercli.write.cycle import AGAIN, Again, holds, until_unchanged

if TYPE_CHECKING:
    import tomlkit
    from tomlkit.items import Table

    from papercli.write.atomic import Chunks
    from papercli.write.drafts import Addition, Draft
    from papercli.write.transaction import TextStyle


def _quiet(message: str) -> None:
    """Index warnings are the read commands' to give; a write falls back to the general path."""


class _Taken(Container[str]):
    def __init__(self, index: CatalogIndex) -> None:
        self.index = index

    def __contains__(self, paper_id: object) -> bool:
        return isinstance(paper_id, str) and self.index.has_id(paper_id)


class IndexPapers:
    """`drafts.PaperSet` answered by an index: duplicate checks query link identities by key."""

    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        self.tags = index.vocabulary.tags
        self.institutions = index.vocabulary.institutions
        self.taken: Container[str] = _Taken(index)

    def paper(self, paper_id: str) -> Paper | None:
        return self.index.by_id(paper_id)

    def sharing_links(self, paper: Paper) -> list[tuple[str, Paper]]:
        url_key = link_identity(paper.url) if paper.url else None
        code_key = link_identity(paper.code) if paper.code else None
        return papers_sharing_links(paper, self.index.papers_with_links(url_key, code_key))


def paper_set(path: Path) -> IndexPapers:
    from papercli.index.access import open_index

    return IndexPapers(open_index(path, warn=_quiet))


@dataclass(frozen=True)
class _Splice:
    section: str
    start: int  # character offsets of the region in the text, [start, stop)
    stop: int
    first_line: int
    old: str
    new: str
    kept_index: int  # raw index of the region's own (last) entry


def append_paper(path: Path, draft: Draft) -> Addition | None:
    from papercli.index.access import open_index
    from papercli.write.drafts import plan_addition
    from papercli.write.transaction import TextStyle

    def cycle() -> Addition | None | Again:
        data, info = read_source(path)
        index = open_index(path, warn=_quiet, source=(data, info))
        if not _applies(index, draft):
            return None
        if not _describes(index, info):
            return AGAIN  # saved by hand since the index was opened
        style = TextStyle.of(data)
        body = _body(data)
        addition = plan_addition(IndexPapers(index), draft)  # under the lock: ids may have been taken
        splices = _splices(body, index, addition, style)
        if splices is None:
            return None
        pieces: list[bytes | memoryview] = [style.bom.encode()]
        cursor = 0
        for splice in sorted(splices, key=lambda s: s.start):
            pieces += [body[cursor : splice.start], splice.new.encode("utf-8")]
            cursor = splice.stop
        written = [*pieces, body[cursor:]]  # written and hashed piece by piece: no copy of the whole file
        if not _unchanged(path, info, data):
            return AGAIN  # saved by hand while this change was being made
        from papercli.write.atomic import write_atomic

        write_atomic(path, written, locked=True)
        _update_index(index, path, written, splices, addition)
        return addition

    return until_unchanged(path, cycle)


def _applies(index: CatalogIndex, draft: Draft) -> bool:
    if not _usable(index):
        return False  # a catalog with errors is changed the general way, which reports them
    needed = (
        {"papers"} | ({"tags"} if draft.new_tags else set()) | ({"institutions"} if draft.new_institutions else set())
    )
    found = {row[0] for row in index.conn.execute("SELECT DISTINCT section FROM entries")}
    return needed <= found


def _usable(index: CatalogIndex) -> bool:
    """Whether a write may go through `index`: its entry spans are trusted, the catalog it describes has no
    errors, and it is a file (so updating it in place lasts)."""
    return (
        index.meta.get("spans_ok") == "1"
        and not index.skipped
        and not any(p.is_error for p in index.problems)
        and _index_file(index) is not None
    )


def _describes(index: CatalogIndex, info: os.stat_result) -> bool:
    """Whether `index` was built from the file as it is in `info` (not saved by hand since)."""
    return freshness.encode(freshness.fingerprint(info)) == index.meta["fingerprint"]


def _body(data: bytes) -> memoryview:
    """The file's bytes after any byte-order mark: the text the index's offsets count in."""
    skip = len(BOM.encode()) if data.startswith(BOM.encode()) else 0
    return memoryview(data)[skip:]


def _index_file(index: CatalogIndex) -> str | None:
    for _, name, file in index.conn.execute("PRAGMA database_list"):
        if name == "main" and file:
            return str(file)
    return None


def _unchanged(path: Path, info: os.stat_result, data: bytes) -> bool:
    try:
        now = os.stat(path)
    except OSError:
        return False
    if freshness.fingerprint(now) != freshness.fingerprint(info):
        return False
    if freshness.is_racy(freshness.fingerprint(now)):  # a same-size save within the timestamp tick
        return holds(path, data)
    return True


def _splices(text: memoryview, index: CatalogIndex, addition: Addition, style: TextStyle) -> list[_Splice] | None:
    from papercli.write import toml_edit

    wanted: list[tuple[str, list[Table]]] = [
        ("tags", [toml_edit.new_table({"name": n}) for n in addition.new_tags]),
        ("institutions", [toml_edit.new_table({"name": n}) for n in addition.new_institutions]),
        ("papers", [toml_edit.new_table(addition.record)]),
    ]
    splices = []
    for section, tables in wanted:
        if not tables:
            continue
        splice = _append_in_region(text, index, section, tables, style)
        if splice is None:
            return None
        splices.append(splice)
    if not _confirmed(splices, addition, index):
        return None
    return splices


def _append_in_region(
    text: memoryview, index: CatalogIndex, section: str, tables: list[Table], style: TextStyle
) -> _Splice | None:
    from tomlkit.exceptions import TOMLKitError

    from papercli.write import toml_edit

    row = index.conn.execute(
        "SELECT idx, start, start_offset, stop_offset FROM entries WHERE section = ? ORDER BY idx DESC LIMIT 1",
        (section,),
    ).fetchone()
    if row is None:
        return None
    idx, first_line, start, stop = row
    region = _entry_region(text, start, stop, section)
    if region is None:
        return None
    old, doc = region
    if section == "papers" and not _is_indexed_entry(old, index):
        return None
    try:
        for table in tables:
            toml_edit.append_entry(doc, section, table)
        new = style.apply(doc.as_string())  # tomlkit writes new lines with LF
    except TOMLKitError:
        return None
    return _Splice(section, start, stop, first_line, old, new, idx)


def _entry_region(body: memoryview, start: int, stop: int, section: str) -> tuple[str, tomlkit.TOMLDocument] | None:
    """The text of `body[start:stop]` and its tomlkit document, when that is one `[[section]]` entry that
    tomlkit writes back byte for byte (so an edit of it changes nothing else); None otherwise."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import AoT

    try:
        old = bytes(body[start:stop]).decode("utf-8")
        doc = tomlkit.parse(old)
        if doc.as_string() == old and isinstance(doc.get(section), AoT) and len(doc[section]) == 1:
            return old, doc
    except (UnicodeDecodeError, TOMLKitError):
        pass
    return None


def _is_indexed_entry(region: str, index: CatalogIndex) -> bool:
    """Whether the region holds exactly the paper the index has there (so the spans can be trusted)."""
    from papercli.catalog import parse_document
    from papercli.validation import validate

    try:
        raw = parse_document(region, "region.toml")["papers"][0]
    except (PapersError, KeyError, IndexError, TypeError):
        return False
    paper, _ = validate(Paper, raw)
    return paper is not None and index.by_id(paper.id) == paper


def _confirmed(splices: list[_Splice], addition: Addition, index: CatalogIndex) -> bool:
    """The new regions read back (tomllib) as the entries they held plus exactly what was planned."""
    from papercli.catalog import parse_document
    from papercli.validation import validate

    for splice in splices:
        try:
            entries = parse_document(splice.new, "region.toml")[splice.section]
        except (PapersError, KeyError):
            return False
        if splice.section == "papers":
            paper, _ = validate(Paper, entries[-1] if entries else {})
            if len(entries) != 2 or paper != addition.paper:
                raise PapersError(f"nothing written: paper {addition.paper.id!r} did not read back as entered")
        else:
            names = addition.new_tags if splice.section == "tags" else addition.new_institutions
            if [e.get("name") for e in entries[1:]] != list(names):
                raise PapersError("nothing written: the new names did not read back as entered")
    return True


@contextlib.contextmanager
def _in_place(index: CatalogIndex, errors: tuple[type[Exception], ...]) -> Iterator[sqlite3.Connection]:
    """One transaction that brings the index up to date with the file just written. If it fails with one
    of `errors`, the index is deleted (the next read rebuilds it), so it never answers for a file it does
    not describe."""
    conn = index.conn
    file = _index_file(index)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except errors:
        conn.close()
        if file:
            with contextlib.suppress(OSError):
                os.unlink(file)


def _shift_entries(conn: sqlite3.Connection, stop: int, old: str, new: str) -> tuple[int, int]:
    """Move the spans of the entries from offset `stop` on by what replacing `old` with `new` before them
    added: returns that (lines, characters)."""
    chars = len(new.encode("utf-8")) - len(old.encode("utf-8"))
    lines = new.count("\n") - old.count("\n")
    conn.execute(
        "UPDATE entries SET start = start + ?, stop = stop + ?, start_offset = start_offset + ?, "
        "stop_offset = stop_offset + ? WHERE start_offset >= ?",
        (lines, lines, chars, chars, stop),
    )
    return lines, chars


def _fresh_meta(path: Path, written: Chunks) -> dict[str, str]:
    """The index's record of the file just written (so reads find it fresh)."""
    current = freshness.fingerprint(os.stat(path))
    racy = freshness.is_racy(current)
    return {
        "fingerprint": freshness.encode(current),
        "racy": "1" if racy else "0",
        "hash": freshness.content_hash(written) if racy else "",
    }


def _update_index(index: CatalogIndex, path: Path, written: Chunks, splices: list[_Splice], addition: Addition) -> None:
    from papercli.catalog import TableLocator
    from papercli.index.build import fts_row, paper_row, spelled
    from papercli.index.schema import INSERT_FTS, INSERT_PAPER

    vocabulary = index.vocabulary
    tags = vocabulary.tags + tuple(Tag(name) for name in addition.new_tags)
    institutions = vocabulary.institutions + tuple(Institution(name) for name in addition.new_institutions)
    with _in_place(index, (sqlite3.Error, OSError, ValueError, KeyError)) as conn:
        meta = _fresh_meta(path, written)
        for splice in sorted(splices, key=lambda s: s.start, reverse=True):
            _shift_entries(conn, splice.stop, splice.old, splice.new)
            spans = TableLocator(splice.new).spans().get(splice.section, [])
            ids = [addition.paper.id] if splice.section == "papers" else []
            old_id = conn.execute(
                "SELECT id FROM entries WHERE section = ? AND idx = ?", (splice.section, splice.kept_index)
            ).fetchone()[0]
            conn.execute("DELETE FROM entries WHERE section = ? AND idx >= ?", (splice.section, splice.kept_index))
            for number, (first, last, start, stop) in enumerate(spans):
                conn.execute(
                    "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        splice.section,
                        splice.kept_index + number,
                        old_id if number == 0 else (ids[number - 1] if number - 1 < len(ids) else None),
                        splice.first_line + first - 1,
                        splice.first_line + last - 1,
                        splice.start + start,
                        splice.start + stop,
                    ),
                )
        pos = conn.execute("SELECT coalesce(max(pos) + 1, 0) FROM papers").fetchone()[0]
        paper = addition.paper
        conn.execute(INSERT_PAPER, paper_row(pos, paper))
        conn.executemany("INSERT INTO paper_tags VALUES (?, ?)", [(t, pos) for t in paper.tags])
        conn.executemany("INSERT INTO paper_institutions VALUES (?, ?)", [(i, pos) for i in paper.institutions])
        if index.meta.get("fts") == "1":
            conn.execute(INSERT_FTS, fts_row(pos, paper, spelled(tags), spelled(institutions)))
        meta |= {
            "tags": json.dumps([asdict(t) for t in tags], ensure_ascii=False),
            "institutions": json.dumps([asdict(i) for i in institutions], ensure_ascii=False),
        }
        conn.executemany("UPDATE meta SET value = ? WHERE key = ?", [(v, k) for k, v in meta.items()])
