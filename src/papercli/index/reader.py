"""Questions read commands ask an index: the vocabularies, filtered and sorted papers, one paper, counts,
ranked search. Filters become SQL; only the rows asked for become `Paper` objects."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

from papercli.errors import PapersError
from papercli.index.schema import FTS_SHORT_COLUMNS, FTS_WEIGHTS, PAPER_COLUMNS
from papercli.models import Catalog, Institution, Paper, ReadingList, Section, Tag, VocabularyEntry
from papercli.problems import Problem
from papercli.query import (
    PaperFilter,
    ResolvedFilter,
    SortKey,
    VocabularyKind,
    matches,
    resolve_filter,
    searchable,
    sort_papers,
    usage_of,
)

if TYPE_CHECKING:
    from papercli.reading_log import ReadingLog

_SELECT = f"SELECT {', '.join(PAPER_COLUMNS[:14])} FROM papers"


@dataclass(frozen=True)
class SearchHit:
    paper: Paper
    score: float  # BM25, higher is better; comparable within a tier
    tier: int  # 1: every word in a short field (title, headline, authors, summary, tags, institutions); 2: not


def paper_from_row(row: tuple[Any, ...]) -> Paper:
    return Paper(
        id=row[1],
        kind=row[2],
        title=row[3],
        title_zh=row[4],
        authors=tuple(json.loads(row[5])),
        institutions=tuple(json.loads(row[6])),
        year=row[7],
        venue=row[8],
        url=row[9],
        code=row[10],
        tags=tuple(json.loads(row[11])),
        summary=row[12],
        note=row[13],
    )


def _any_author_contains(authors: str, term: str) -> bool:
    return any(term in a.casefold() for a in json.loads(authors))


def _has_all_terms(title: str, title_zh: str | None, summary: str | None, note: str, terms: str) -> bool:
    # The meaning of `query.matches` for `--search`: every word occurs in title, headline, summary or note.
    text = searchable(title, title_zh, summary, note)
    return all(term in text for term in json.loads(terms))


def _tuples(record: dict[str, Any]) -> dict[str, Any]:
    """A JSON object of a dataclass (`dataclasses.asdict`) with its arrays as the tuples models hold."""
    return {key: tuple(value) if isinstance(value, list) else value for key, value in record.items()}


def _casefold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


class CatalogIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        conn.create_function("casefold", 1, _casefold, deterministic=True)
        conn.create_function("any_author_contains", 2, _any_author_contains, deterministic=True)
        conn.create_function("has_all_terms", 5, _has_all_terms, deterministic=True)

    @cached_property
    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta"))

    @cached_property
    def vocabulary(self) -> Catalog:
        """The catalog without its papers: title, tags, institutions, reading lists."""
        meta = self.meta
        lists = tuple(
            ReadingList(**_tuples(rl) | {"sections": tuple(Section(**_tuples(s)) for s in rl["sections"])})
            for rl in json.loads(meta["lists"])
        )
        return Catalog(
            title=json.loads(meta["title"]),
            tags=tuple(Tag(**_tuples(t)) for t in json.loads(meta["tags"])),
            institutions=tuple(Institution(**_tuples(i)) for i in json.loads(meta["institutions"])),
            lists=lists,
        )

    @cached_property
    def problems(self) -> list[Problem]:
        return [Problem(**p) for p in json.loads(self.meta["problems"])]

    @property
    def skipped(self) -> int:
        return int(self.meta["skipped"])

    # -- filtering ---------------------------------------------------------------------------------------

    def select(
        self,
        spec: PaperFilter,
        sort: SortKey | None = None,
        reverse: bool = False,
        limit: int | None = None,
        reading_log: ReadingLog | None = None,
    ) -> tuple[Iterator[Paper], int]:
        """The papers matching `spec`, sorted as `query.sort_papers` does, at most `limit`; and how many
        match in all. Reading statuses and ratings come from `reading_log` (see `query.select_papers`).
        The papers are read from the index as they are consumed: a result of thousands of papers with
        their notes is never in memory at once."""
        resolved = resolve_filter(self.vocabulary, spec, reading_log)
        where, params = self._where(resolved)
        in_python = resolved.reading_log is not None or sort is SortKey.rating
        if resolved.order is not None or in_python:
            # A reading list's order, statuses and ratings live outside the index: the rows the query
            # selects are finished here (lists are short; a status filter reads every matching row).
            found = [paper_from_row(r) for r in self.conn.execute(f"{_SELECT} WHERE {where} ORDER BY pos", params)]
            if resolved.reading_log is not None:
                found = [p for p in found if matches(p, resolved)]
            if resolved.order is not None:
                rank = {pid: i for i, pid in enumerate(resolved.order)}
                found.sort(key=lambda p: rank[p.id])
            papers = sort_papers(found, sort, reverse, reading_log)
            return iter(papers[:limit] if limit is not None else papers), len(papers)
        total = self.conn.execute(f"SELECT count(*) FROM papers WHERE {where}", params).fetchone()[0]
        sql = f"{_SELECT} WHERE {where} ORDER BY {_order(sort, reverse)}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return (paper_from_row(r) for r in self.conn.execute(sql, params)), total

    def _where(self, f: ResolvedFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = ["1"]
        params: list[Any] = []
        for tag in sorted(f.tags):
            clauses.append("pos IN (SELECT pos FROM paper_tags WHERE tag = ?)")
            params.append(tag)
        if f.institutions is not None:
            marks = ", ".join("?" * len(f.institutions))
            clauses.append(f"pos IN (SELECT pos FROM paper_institutions WHERE institution IN ({marks}))")
            params.extend(sorted(f.institutions))
        for op, value in (("=", f.year), (">=", f.since), ("<=", f.until)):
            if value is not None:
                clauses.append(f"year {op} ?")
                params.append(value)
        if f.venue is not None:
            clauses.append("venue IS NOT NULL AND instr(casefold(venue), ?) > 0")
            params.append(f.venue)
        if f.author is not None:
            clauses.append("any_author_contains(authors, ?)")
            params.append(f.author)
        if f.terms:
            clauses.append("has_all_terms(title, title_zh, summary, note, ?)")
            params.append(json.dumps(f.terms))
        if f.members is not None:
            clauses.append("id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(f.members)))
        return " AND ".join(clauses), params

    # -- one paper ---------------------------------------------------------------------------------------

    def by_id(self, paper_id: str) -> Paper | None:
        row = self.conn.execute(f"{_SELECT} WHERE id = ?", (paper_id,)).fetchone()
        return paper_from_row(row) if row else None

    def by_arxiv(self, arxiv_id: str) -> Paper | None:
        row = self.conn.execute(f"{_SELECT} WHERE arxiv = ? ORDER BY pos LIMIT 1", (arxiv_id,)).fetchone()
        return paper_from_row(row) if row else None

    def has_id(self, paper_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM papers WHERE id = ?", (paper_id,)).fetchone() is not None

    def papers_with_links(self, url_key: str | None, code_key: str | None) -> list[Paper]:
        """The papers whose url or code link is the same as one of these (by `links.link_identity`)."""
        rows = self.conn.execute(
            f"{_SELECT} WHERE url_key = ? OR code_key = ? ORDER BY pos", (url_key or "\x00", code_key or "\x00")
        )
        return [paper_from_row(r) for r in rows]

    def ids_starting_with(self, prefix: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT id FROM papers WHERE id >= ? AND id < ? ORDER BY pos", (prefix, prefix + "\U0010ffff")
        )
        return [r[0] for r in rows]

    def ids_and_titles(self) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.conn.execute("SELECT id, title FROM papers ORDER BY pos")]

    def with_papers(self, ids: Iterable[str]) -> Catalog:
        """The vocabulary catalog holding just these papers (in catalog order): enough for views of a
        reading list, without reading every row."""
        wanted = json.dumps(sorted(set(ids)))
        rows = self.conn.execute(f"{_SELECT} WHERE id IN (SELECT value FROM json_each(?)) ORDER BY pos", (wanted,))
        return replace(self.vocabulary, papers=tuple(paper_from_row(r) for r in rows))

    # -- vocabularies ------------------------------------------------------------------------------------

    def vocabulary_usage(self, kind: VocabularyKind) -> list[tuple[VocabularyEntry, int]]:
        table, column = ("paper_tags", "tag") if kind == "tag" else ("paper_institutions", "institution")
        counts = dict(self.conn.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY {column}"))
        return usage_of(self.vocabulary, kind, counts)

    def names(self, kind: str) -> list[str]:
        """For shell completion: paper ids, or the spellings of tags, institutions, lists."""
        if kind == "id":
            return [r[0] for r in self.conn.execute("SELECT id FROM papers ORDER BY id")]
        vocab = self.vocabulary
        if kind == "list":
            return [rl.id for rl in vocab.lists]
        entries = vocab.tags if kind == "tag" else vocab.institutions
        return [s for e in entries for s in (e.name, *e.aliases)]

    # -- ranked search -----------------------------------------------------------------------------------

    def search(
        self, match: str, spec: PaperFilter, limit: int, reading_log: ReadingLog | None = None
    ) -> tuple[list[SearchHit], int]:
        """Papers matching the FTS5 expression `match` (see `fts.match_expression`) and `spec`, at most
        `limit`, and how many match in all. Best first, in two tiers: papers whose short fields (every
        column but the note) hold every word, by BM25 over those fields; then the others (a word occurs
        only in the note), by BM25 over every field. Both use the column weights.

        The tiers keep a title or tag match above any note-only one, and make the common case cheap:
        BM25 costs a lookup per scored row, and the second tier is scored only when the first has fewer
        than `limit` papers (a word in most notes matches most of the catalog)."""
        if self.meta.get("fts") != "1":
            raise PapersError(
                f"papers search needs SQLite's FTS5, which this Python's sqlite3 (SQLite {sqlite3.sqlite_version}) "
                "lacks; `papers list -q WORDS` finds papers containing words without it"
            )
        resolved = resolve_filter(self.vocabulary, spec, reading_log)
        where, params = self._where(resolved)
        narrowed = "" if where == "1" else f" WHERE pos IN (SELECT pos FROM papers WHERE {where})"
        in_fields = f"{{{' '.join(FTS_SHORT_COLUMNS)}}}: ({match})"
        if resolved.reading_log is not None:  # statuses live in the reading log: every match is read, then filtered
            first = self._tier(1, in_fields, narrowed, params, None, ())
            both = first + self._tier(2, match, narrowed, params, None, [h[0] for h in first])
            hits = [h for h in self._hits(both) if matches(h.paper, resolved)]
            return hits[:limit], len(hits)
        if narrowed:
            counted = "WITH m AS MATERIALIZED (SELECT rowid AS pos FROM fts WHERE fts MATCH ?) SELECT count(*) FROM m"
            total = self.conn.execute(counted + narrowed, [match, *params]).fetchone()[0]
        else:
            total = self.conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", [match]).fetchone()[0]
        ranked = self._tier(1, in_fields, narrowed, params, limit, ())
        if len(ranked) < min(limit, total):  # the rest: every match not already found (the same filters hold)
            ranked += self._tier(2, match, narrowed, params, limit - len(ranked), [h[0] for h in ranked])
        return self._hits(ranked), total

    def _tier(
        self, tier: int, match: str, narrowed: str, params: list[Any], limit: int | None, seen: Sequence[int]
    ) -> list[tuple[int, float, int]]:
        """(position, BM25, tier) of the papers matching `match` and the filter `narrowed`, but not at a
        position in `seen`; best first (ties in catalog order)."""
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        scored = f"SELECT rowid AS pos, bm25(fts, {weights}) AS score FROM fts WHERE fts MATCH ?"
        args: list[Any] = [match]
        if seen:
            scored += " AND rowid NOT IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(list(seen)))
        if narrowed:  # FTS5 finds and scores the matches once (materialised); filters then narrow them by position
            sql = f"WITH m AS MATERIALIZED ({scored}) SELECT pos, score FROM m{narrowed} ORDER BY score, pos"
            args += params
        else:
            sql = f"{scored} ORDER BY score, pos"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [(pos, score, tier) for pos, score in self.conn.execute(sql, args)]

    def _hits(self, ranked: Sequence[tuple[int, float, int]]) -> list[SearchHit]:
        positions = json.dumps([pos for pos, _, _ in ranked])
        rows = self.conn.execute(f"{_SELECT} WHERE pos IN (SELECT value FROM json_each(?))", (positions,))
        papers = {row[0]: paper_from_row(row) for row in rows}
        return [SearchHit(papers[pos], -score, tier) for pos, score, tier in ranked]

    def iter_papers(self) -> Iterator[Paper]:
        for row in self.conn.execute(f"{_SELECT} ORDER BY pos"):
            yield paper_from_row(row)


def _order(sort: SortKey | None, reverse: bool) -> str:
    d = " DESC" if reverse else ""
    if sort is None:
        return f"pos{d}"
    if sort is SortKey.year:  # dated papers by (year, id); undated last, in catalog order either way
        return f"year IS NULL, CASE WHEN year IS NULL THEN pos END, year{d}, id{d}"
    if sort is SortKey.title:
        return f"casefold(title){d}, id{d}"
    return f"id{d}"
