"""Writing an index from a checked catalog: one row per paper (every field), its tags and institutions
for filtering, its words for ranked search, the line span of every raw entry for writes, and the
catalog's vocabularies, reading lists and load problems (so read commands can warn without re-checking)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict

from papercli.catalog import LoadResult, load_catalog_bytes
from papercli.index.fts import index_text
from papercli.index.schema import CREATE, CREATE_FTS, INDEXES, INSERT_FTS, INSERT_PAPER
from papercli.links import link_identity
from papercli.models import Catalog, Paper, VocabularyEntry


def write_index(conn: sqlite3.Connection, data: bytes, source: str, meta: Mapping[str, str]) -> LoadResult:
    """Check the catalog `data` (its file's bytes) and fill an empty database with it, paper by paper:
    the papers are never all in memory at once. `meta` carries the freshness keys (catalog path,
    fingerprint, ...). Returns the load's result, whose catalog holds everything but the papers."""
    conn.executescript(CREATE)
    try:
        conn.executescript(CREATE_FTS)
        fts = True
    except sqlite3.OperationalError:  # "no such module: fts5"
        fts = False
    conn.execute("BEGIN")  # one transaction: FTS5 writes its pending terms out at every commit
    try:
        sink = _IndexSink(conn, fts)
        result = load_catalog_bytes(data, source, sink)
        sink.flush()
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)", [*meta.items(), *catalog_meta(result).items(), ("fts", str(int(fts)))]
        )
        conn.executemany("INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)", entry_rows(result))
        for statement in INDEXES.split(";"):  # not executescript(), which would commit first
            conn.execute(statement)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


class _IndexSink:
    """Receives the checked papers of a load and writes their rows, a batch at a time."""

    BATCH = 500

    def __init__(self, conn: sqlite3.Connection, fts: bool) -> None:
        self.conn = conn
        self.fts = fts
        self.position = 0
        self.batch: list[Paper] = []
        self.tags: dict[str, str] = {}
        self.institutions: dict[str, str] = {}

    def start(self, vocabulary: Catalog) -> None:
        self.tags = spelled(vocabulary.tags)
        self.institutions = spelled(vocabulary.institutions)

    def add(self, paper: Paper) -> None:
        self.batch.append(paper)
        if len(self.batch) >= self.BATCH:
            self.flush()

    def restart(self) -> None:
        self.batch.clear()
        self.position = 0
        for table in ("papers", "paper_tags", "paper_institutions"):
            self.conn.execute(f"DELETE FROM {table}")
        if self.fts:
            self.conn.execute("INSERT INTO fts (fts) VALUES ('delete-all')")

    def flush(self) -> None:
        numbered = list(enumerate(self.batch, start=self.position))
        self.position += len(self.batch)
        self.batch.clear()
        self.conn.executemany(INSERT_PAPER, (paper_row(pos, p) for pos, p in numbered))
        self.conn.executemany("INSERT INTO paper_tags VALUES (?, ?)", ((t, pos) for pos, p in numbered for t in p.tags))
        self.conn.executemany(
            "INSERT INTO paper_institutions VALUES (?, ?)", ((i, pos) for pos, p in numbered for i in p.institutions)
        )
        if self.fts:
            self.conn.executemany(INSERT_FTS, (fts_row(pos, p, self.tags, self.institutions) for pos, p in numbered))


def catalog_meta(result: LoadResult) -> dict[str, str]:
    catalog = result.catalog
    return {
        "title": json.dumps(catalog.title),
        "tags": json.dumps([asdict(t) for t in catalog.tags], ensure_ascii=False),
        "institutions": json.dumps([asdict(i) for i in catalog.institutions], ensure_ascii=False),
        "lists": json.dumps([asdict(rl) for rl in catalog.lists], ensure_ascii=False),
        "problems": json.dumps([asdict(p) for p in result.problems], ensure_ascii=False),
        "skipped": str(result.skipped),
        # the spans of the [[papers]] tables match the raw entries one to one (see `entries`)
        "spans_ok": "1" if len(result.spans.get("papers", [])) == len(result.raw_ids) else "0",
    }


def paper_row(pos: int, p: Paper) -> tuple[object, ...]:
    return (
        pos,
        p.id,
        p.kind,
        p.title,
        p.title_zh,
        json.dumps(p.authors, ensure_ascii=False),
        json.dumps(p.institutions, ensure_ascii=False),
        p.year,
        p.venue,
        p.url,
        p.code,
        json.dumps(p.tags, ensure_ascii=False),
        p.summary,
        p.note,
        p.arxiv,
        link_identity(p.url) if p.url else None,
        link_identity(p.code) if p.code else None,
    )


def entry_rows(result: LoadResult) -> Iterator[tuple[object, ...]]:
    for section, spans in result.spans.items():
        ids = result.raw_ids if section == "papers" else []
        for idx, span in enumerate(spans):
            yield section, idx, ids[idx] if idx < len(ids) else None, *span


def spelled(entries: Iterable[VocabularyEntry]) -> dict[str, str]:
    """Canonical name -> the name and its aliases as one text, for the FTS tags/institutions columns."""
    return {entry.name: " ; ".join([entry.name, *entry.aliases]) for entry in entries}


def fts_row(pos: int, p: Paper, tags: Mapping[str, str], institutions: Mapping[str, str]) -> tuple[object, ...]:
    return (
        pos,
        index_text(p.title),
        index_text(p.title_zh),
        index_text(" ; ".join(p.authors)),
        index_text(p.summary),
        index_text(" ; ".join(tags.get(t, t) for t in p.tags)),
        index_text(" ; ".join(institutions.get(i, i) for i in p.institutions)),
        index_text(p.note),
    )
