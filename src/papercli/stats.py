"""What a catalog holds, in numbers: papers per year, the most used tags and institutions, kinds, how many
papers have notes, code links and venues, and reading progress from a reading log. Pure, no Rich."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from papercli.models import Catalog
from papercli.reading import Counts, count_statuses, pace
from papercli.reading_log import ReadingLog

TOP = 10


@dataclass(frozen=True)
class ReadingStats:
    counts: Counts
    rated: int
    mean_rating: float | None
    pace: dict[int, int]


@dataclass(frozen=True)
class CatalogStats:
    papers: int
    kinds: tuple[tuple[str, int], ...]
    years: tuple[tuple[int, int], ...]  # every year from the first to the last, zeros included
    undated: int
    tags: tuple[tuple[str, int], ...]  # the most used, most first
    institutions: tuple[tuple[str, int], ...]
    having: tuple[tuple[str, int], ...]  # ("notes", n), ("code_links", n), ...: how many papers have each
    reading: ReadingStats | None  # None when there is no reading log

    def as_json(self) -> dict[str, Any]:
        reading: dict[str, Any] | None = None
        if self.reading is not None:
            c = self.reading.counts
            reading = {
                "read": c.read,
                "reading": c.reading,
                "skipped": c.skipped,
                "to_go": c.to_go,
                "rated": self.reading.rated,
                "mean_rating": self.reading.mean_rating,
                "pace": {f"last_{days}_days": n for days, n in self.reading.pace.items()},
            }
        return {
            "papers": self.papers,
            "kinds": dict(self.kinds),
            "years": {str(year): n for year, n in self.years},
            "undated": self.undated,
            "tags": [{"name": name, "papers": n} for name, n in self.tags],
            "institutions": [{"name": name, "papers": n} for name, n in self.institutions],
            "having": dict(self.having),
            "reading": reading,
        }


def catalog_stats(catalog: Catalog, log: ReadingLog | None, now: datetime.datetime, top: int = TOP) -> CatalogStats:
    papers = catalog.papers
    kinds: Counter[str] = Counter(p.kind for p in papers)
    per_year = Counter(p.year for p in papers if p.year is not None)
    years = tuple((y, per_year[y]) for y in range(min(per_year), max(per_year) + 1)) if per_year else ()
    tags = Counter(t for p in papers for t in p.tags)
    institutions = Counter(i for p in papers for i in p.institutions)
    having = (
        ("notes", sum(bool(p.note.strip()) for p in papers)),
        ("summaries", sum(bool(p.summary) for p in papers)),
        ("code_links", sum(p.code is not None for p in papers)),
        ("venues", sum(p.venue is not None for p in papers)),
        ("arxiv_ids", sum(p.arxiv is not None for p in papers)),
    )
    reading = None
    if log is not None and log.exists:
        ratings = [r for p in papers if (r := log.rating_of(p)) is not None]
        reading = ReadingStats(
            count_statuses(papers, log),
            len(ratings),
            round(sum(ratings) / len(ratings), 2) if ratings else None,
            pace(log, now),
        )
    return CatalogStats(
        papers=len(papers),
        kinds=_top(kinds, len(kinds)),
        years=years,
        undated=len(papers) - sum(per_year.values()),
        tags=_top(tags, top),
        institutions=_top(institutions, top),
        having=having,
        reading=reading,
    )


def _top(counter: Counter[str], n: int) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n])
