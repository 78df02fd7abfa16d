"""Selecting papers: filters, sorting and reference resolution. Pure functions over a `Catalog`.

What a filter means is defined here: `resolve_filter` and `matches`, with `select_papers` applying them to
a catalog in memory. Read commands ask the index (`index.reader.CatalogIndex.select`), which turns the same
resolved filter into SQL and is checked against `select_papers` (tests/test_properties_index.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Literal, Protocol

from papercli.errors import AmbiguousRefError, NotFoundError, UsageError
from papercli.links import parse_arxiv_ref
from papercli.models import Catalog, Paper, ReadingList, Tag, VocabularyEntry
from papercli.spelling import closest, did_you_mean, resolve_spelled, spellings, unknown

if TYPE_CHECKING:
    from papercli.reading_log import ReadingLog

VocabularyKind = Literal["tag", "institution"]


class SortKey(Enum):
    year = "year"
    title = "title"
    id = "id"
    rating = "rating"  # your rating in the reading log, best first; unrated papers last


@dataclass(frozen=True)
class PaperFilter:
    """What the user asked for. Every given criterion must hold (AND)."""

    tags: tuple[str, ...] = ()
    institution: str | None = None
    year: int | None = None
    since: int | None = None
    until: int | None = None
    venue: str | None = None
    author: str | None = None
    search: str | None = None
    reading_list: str | None = None
    statuses: tuple[str, ...] = ()  # reading statuses from the reading log, any of which may hold; or "unread"


@dataclass(frozen=True)
class ResolvedFilter:
    """A PaperFilter with names resolved against the catalog's vocabularies."""

    tags: frozenset[str] = frozenset()  # canonical tag names, each of which a paper must carry
    institutions: frozenset[str] | None = None  # a paper must carry one of these canonical names
    year: int | None = None
    since: int | None = None
    until: int | None = None
    venue: str | None = None  # casefolded
    author: str | None = None  # casefolded
    terms: tuple[str, ...] = ()  # casefolded search terms, all of which must occur
    order: tuple[str, ...] | None = None  # reading-list order of ids, when a list was asked for
    members: frozenset[str] | None = field(default=None)
    statuses: tuple[str, ...] = ()
    reading_log: ReadingLog | None = None  # where statuses come from, when statuses are asked for


def select_papers(catalog: Catalog, spec: PaperFilter, reading_log: ReadingLog | None = None) -> list[Paper]:
    """The papers matching every criterion, in catalog order (or reading-list order with `reading_list`).
    A status filter reads `reading_log`, which it then needs."""
    resolved = resolve_filter(catalog, spec, reading_log)
    matching = [p for p in catalog.papers if matches(p, resolved)]
    if resolved.order is None:
        return matching
    by_id = {p.id: p for p in matching}
    return [by_id[pid] for pid in resolved.order if pid in by_id]


def resolve_filter(catalog: Catalog, spec: PaperFilter, reading_log: ReadingLog | None = None) -> ResolvedFilter:
    if spec.statuses:
        from papercli.reading_log import check_filter_status

        statuses = tuple(check_filter_status(s) for s in spec.statuses)
        if reading_log is None:  # statuses live in the reading log, which the caller reads (no I/O here)
            raise ValueError("a status filter needs the reading log")
    if spec.since is not None and spec.until is not None and spec.since > spec.until:
        raise UsageError(f"--since {spec.since} is after --until {spec.until}")
    order: tuple[str, ...] | None = None
    if spec.reading_list is not None:
        order = tuple(resolve_list(catalog, spec.reading_list).paper_ids())
    return ResolvedFilter(
        tags=frozenset(resolve_tag(catalog, t).name for t in spec.tags),
        institutions=(resolve_institutions(catalog, spec.institution) if spec.institution is not None else None),
        year=spec.year,
        since=spec.since,
        until=spec.until,
        venue=_fold(spec.venue),
        author=_fold(spec.author),
        terms=tuple(spec.search.casefold().split()) if spec.search else (),
        order=order,
        members=frozenset(order) if order is not None else None,
        statuses=statuses if spec.statuses else (),
        reading_log=reading_log if spec.statuses else None,
    )


def matches(paper: Paper, f: ResolvedFilter) -> bool:
    if f.members is not None and paper.id not in f.members:
        return False
    if f.tags and not f.tags.issubset(paper.tags):
        return False
    if f.institutions is not None and f.institutions.isdisjoint(paper.institutions):
        return False
    if f.year is not None and paper.year != f.year:
        return False
    if f.since is not None and (paper.year is None or paper.year < f.since):
        return False
    if f.until is not None and (paper.year is None or paper.year > f.until):
        return False
    if f.venue is not None and (paper.venue is None or f.venue not in paper.venue.casefold()):
        return False
    if f.author is not None and not any(f.author in a.casefold() for a in paper.authors):
        return False
    if f.reading_log is not None and not _status_matches(f.reading_log, paper, f.statuses):
        return False
    if f.terms:
        text = searchable_text(paper)
        if not all(term in text for term in f.terms):
            return False
    return True


def _status_matches(reading_log: ReadingLog, paper: Paper, statuses: tuple[str, ...]) -> bool:
    from papercli.reading_log import matches_status

    return matches_status(reading_log.status_of(paper), statuses)


def searchable_text(paper: Paper) -> str:
    return searchable(paper.title, paper.title_zh, paper.summary, paper.note)


def searchable(title: str, title_zh: str | None, summary: str | None, note: str) -> str:
    """What `--search` words are looked for in (casefolded): title, headline, summary and note."""
    return "\n".join(s for s in (title, title_zh, summary, note) if s).casefold()


def sort_papers(
    papers: Sequence[Paper], key: SortKey | None, reverse: bool = False, reading_log: ReadingLog | None = None
) -> list[Paper]:
    """Sort by the key; papers without a year (or a rating) go last either way. No key keeps the given
    order. Ratings come from `reading_log`, or the user's reading log when none is given."""
    if key is None:
        return list(reversed(papers)) if reverse else list(papers)
    if key is SortKey.rating:
        from papercli.reading_log import default_log_path, load_log

        log = reading_log if reading_log is not None else load_log(default_log_path())
        ratings = {p.id: log.rating_of(p) for p in papers}
        sign = 1 if reverse else -1  # best first; ties keep their order
        rated = sorted((p for p in papers if ratings[p.id] is not None), key=lambda p: sign * (ratings[p.id] or 0))
        return rated + [p for p in papers if ratings[p.id] is None]
    if key is SortKey.year:
        dated = sorted((p for p in papers if p.year is not None), key=lambda p: (p.year or 0, p.id), reverse=reverse)
        return dated + [p for p in papers if p.year is None]
    if key is SortKey.title:
        return sorted(papers, key=lambda p: (p.title.casefold(), p.id), reverse=reverse)
    return sorted(papers, key=lambda p: p.id, reverse=reverse)


def resolve_tag(catalog: Catalog, value: str) -> Tag:
    return resolve_spelled(catalog.tags, value, "tag", "`papers tags` lists them")


def resolve_institutions(catalog: Catalog, value: str) -> frozenset[str]:
    """Every institution whose name or alias contains `value` (any case)."""
    folded = value.strip().casefold()
    found = frozenset(i.name for i in catalog.institutions if any(folded in s.casefold() for s in (i.name, *i.aliases)))
    if not found:
        raise unknown(
            "no institution matches", value, spellings(catalog.institutions), "`papers institutions` lists them"
        )
    return found


def resolve_list(catalog: Catalog, value: str) -> ReadingList:
    found = catalog.reading_list(value.strip().lower())
    if found is None:
        names = [rl.id for rl in catalog.lists]
        available = f"lists: {', '.join(names)}" if names else "the catalog has no reading lists"
        raise unknown("unknown reading list", value, names, available)
    return found


class PaperLookup(Protocol):
    """What resolving a reference needs from a catalog, in memory or in an index."""

    def by_id(self, paper_id: str) -> Paper | None: ...
    def by_arxiv(self, arxiv_id: str) -> Paper | None: ...
    def ids_starting_with(self, prefix: str) -> list[str]: ...
    def ids_and_titles(self) -> list[tuple[str, str]]: ...


class CatalogLookup:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def by_id(self, paper_id: str) -> Paper | None:
        return self.catalog.paper(paper_id)

    def by_arxiv(self, arxiv_id: str) -> Paper | None:
        return next((p for p in self.catalog.papers if p.arxiv == arxiv_id), None)

    def ids_starting_with(self, prefix: str) -> list[str]:
        return [p.id for p in self.catalog.papers if p.id.startswith(prefix)]

    def ids_and_titles(self) -> list[tuple[str, str]]:
        return [(p.id, p.title) for p in self.catalog.papers]


def resolve_ref(catalog: Catalog | PaperLookup, ref: str) -> Paper:
    """An id (case-insensitive), a unique id prefix, or an arXiv id -> the paper it names."""
    lookup = CatalogLookup(catalog) if isinstance(catalog, Catalog) else catalog
    wanted = ref.strip().lower()
    if not wanted:
        raise NotFoundError("an empty reference names no paper")
    found = lookup.by_id(wanted)
    if found is not None:
        return found
    arxiv = parse_arxiv_ref(ref)
    if arxiv is not None:
        found = lookup.by_arxiv(arxiv)
        if found is not None:
            return found
    prefixed = lookup.ids_starting_with(wanted)
    if len(prefixed) == 1:
        paper = lookup.by_id(prefixed[0])
        assert paper is not None
        return paper
    if prefixed:
        raise AmbiguousRefError(ref, prefixed)
    pairs = lookup.ids_and_titles()
    titles = {title: pid for pid, title in pairs}
    guesses = closest(ref, [pid for pid, _ in pairs]) + [titles[t] for t in closest(ref, list(titles))]
    raise NotFoundError(f"no paper matches {ref!r}" + did_you_mean(list(dict.fromkeys(guesses))[:5]))


def _fold(value: str | None) -> str | None:
    return value.strip().casefold() if value is not None else None


def vocabulary_usage(catalog: Catalog, kind: VocabularyKind) -> list[tuple[VocabularyEntry, int]]:
    """Each declared tag (or institution) with the number of papers that carry it, in catalog order."""
    from collections import Counter

    counts = Counter(name for p in catalog.papers for name in (p.tags if kind == "tag" else p.institutions))
    return usage_of(catalog, kind, counts)


def usage_of(catalog: Catalog, kind: VocabularyKind, counts: Mapping[str, int]) -> list[tuple[VocabularyEntry, int]]:
    entries: tuple[VocabularyEntry, ...] = catalog.tags if kind == "tag" else catalog.institutions
    return [(entry, counts.get(entry.name, 0)) for entry in entries]
