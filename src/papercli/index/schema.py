"""The index's tables. Bump FORMAT whenever they (or what goes into them) change: an index of another
format is rebuilt."""

from __future__ import annotations

FORMAT = 3

PAPER_COLUMNS = (
    "pos",  # catalog order among the papers that loaded (0-based); the FTS rowid
    "id",
    "kind",
    "title",
    "title_zh",
    "authors",  # JSON array
    "institutions",  # JSON array
    "year",
    "venue",
    "url",
    "code",
    "tags",  # JSON array
    "summary",
    "note",
    "arxiv",  # derived from url
    "url_key",  # links.link_identity(url): what `add` compares for duplicates
    "code_key",
)

# Weighted, in bm25() order: a word in a title counts far more than the same word in a long note.
FTS_COLUMNS = ("title", "title_zh", "authors", "summary", "tags", "institutions", "note")
FTS_WEIGHTS = (10.0, 8.0, 3.0, 4.0, 5.0, 3.0, 1.0)
# Search ranks papers with every word in these first (`CatalogIndex.search`); it changes no table.
FTS_SHORT_COLUMNS = tuple(c for c in FTS_COLUMNS if c != "note")

# One row of each, as `build.paper_row` and `build.fts_row` make it (the FTS row starts with its rowid).
INSERT_PAPER = f"INSERT INTO papers VALUES ({', '.join('?' * len(PAPER_COLUMNS))})"
_FTS_MARKS = ", ".join("?" * (1 + len(FTS_COLUMNS)))
INSERT_FTS = f"INSERT INTO fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES ({_FTS_MARKS})"
# A contentless FTS5 table forgets a row when given the very values it indexed for it.
DELETE_FTS = f"INSERT INTO fts (fts, rowid, {', '.join(FTS_COLUMNS)}) VALUES ('delete', {_FTS_MARKS})"

CREATE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE papers (
    pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, title TEXT NOT NULL, title_zh TEXT,
    authors TEXT NOT NULL, institutions TEXT NOT NULL, year INTEGER, venue TEXT, url TEXT, code TEXT,
    tags TEXT NOT NULL, summary TEXT, note TEXT NOT NULL, arxiv TEXT, url_key TEXT, code_key TEXT
);
CREATE TABLE paper_tags (tag TEXT NOT NULL, pos INTEGER NOT NULL);
CREATE TABLE paper_institutions (institution TEXT NOT NULL, pos INTEGER NOT NULL);
-- every raw [[section]] entry of the source (valid or not) with its lines, for writes
CREATE TABLE entries (
    section TEXT NOT NULL, idx INTEGER NOT NULL, id TEXT,
    start INTEGER NOT NULL, stop INTEGER NOT NULL,  -- first and last line
    -- [start, stop) in bytes of the UTF-8 text after any byte-order mark
    start_offset INTEGER NOT NULL, stop_offset INTEGER NOT NULL,
    PRIMARY KEY (section, idx)
);
"""
# Only where SQLite has FTS5 (most builds do); without it everything but `papers search` works.
CREATE_FTS = """
CREATE VIRTUAL TABLE fts USING fts5(
    title, title_zh, authors, summary, tags, institutions, note,
    content='', tokenize='unicode61 remove_diacritics 2'
);
"""

INDEXES = """
CREATE INDEX paper_tags_by_tag ON paper_tags (tag, pos);
CREATE INDEX paper_institutions_by_name ON paper_institutions (institution, pos);
CREATE INDEX papers_by_arxiv ON papers (arxiv);
CREATE INDEX papers_by_url_key ON papers (url_key);
CREATE INDEX papers_by_code_key ON papers (code_key);
CREATE INDEX papers_by_year ON papers (year);
CREATE INDEX entries_by_id ON entries (section, id);
"""
