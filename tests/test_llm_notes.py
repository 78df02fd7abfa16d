"""The `llm-notes` reading list against its source, seed 000 (杨夕's notes): same entries, same order, the
author's overview paragraphs kept whole. Expectations are read from the seed (tests/seed_notes.py)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from typer.testing import CliRunner

from papercli.cli import app
from papercli.models import Catalog, ReadingList, Section
from tests.helpers import bundled_catalog
from tests.seed_notes import SeedNotes, parse_seed, seed_paper_ids


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return bundled_catalog()


@pytest.fixture(scope="module")
def seed() -> SeedNotes:
    return parse_seed()


@pytest.fixture(scope="module")
def notes_list(catalog: Catalog) -> ReadingList:
    found = catalog.reading_list("llm-notes")
    assert found is not None
    return found


@pytest.fixture(scope="module")
def seed_ids(seed: SeedNotes, catalog: Catalog) -> list[str]:
    ids = seed_paper_ids(seed, catalog)
    unmatched = [e.title or e.address for e, i in zip(seed.entries, ids, strict=True) if i is None]
    assert unmatched == [], "seed entries with no paper in the catalog"
    return [i for i in ids if i is not None]


def test_every_seed_entry_is_a_catalog_paper(seed: SeedNotes, seed_ids: list[str]) -> None:
    assert len(seed.entries) > 100
    assert len(seed_ids) == len(seed.entries)
    # One paper appears twice in the document (ChatKBQA); every other entry is a paper of its own.
    assert [i for i, n in Counter(seed_ids).items() if n > 1] == ["chatkbqa"]


def test_the_list_has_the_sources_title(seed: SeedNotes, notes_list: ReadingList) -> None:
    assert notes_list.title == seed.title == "LLMs 论文研读社"


@pytest.mark.parametrize("list_id", ["must-read", "llm-notes"])
def test_every_entry_of_a_list_resolves_to_a_paper(catalog: Catalog, list_id: str) -> None:
    reading_list = catalog.reading_list(list_id)
    assert reading_list is not None
    ids = {p.id for p in catalog.papers}
    assert [pid for s in reading_list.sections for pid in s.papers if pid not in ids] == []


def test_sections_are_non_empty_with_distinct_titles(notes_list: ReadingList) -> None:
    assert len(notes_list.sections) > 20
    assert [s.title for s in notes_list.sections if not s.papers] == []
    titles = [s.title for s in notes_list.sections]
    assert len(set(titles)) == len(titles)


def test_sections_follow_the_seed_order(notes_list: ReadingList, seed_ids: list[str]) -> None:
    in_list = [pid for s in notes_list.sections for pid in s.papers]
    assert in_list == list(dict.fromkeys(seed_ids))


def test_every_seed_paper_is_in_exactly_one_section(notes_list: ReadingList, seed_ids: list[str]) -> None:
    placed = Counter(pid for s in notes_list.sections for pid in s.papers)
    assert {pid: n for pid, n in placed.items() if n != 1} == {}
    assert set(placed) == set(seed_ids)


def _section_starting_with(notes_list: ReadingList, paper_id: str) -> Section | None:
    return next((s for s in notes_list.sections if s.papers[0] == paper_id), None)


def test_overview_paragraphs_are_kept_whole_as_descriptions(
    seed: SeedNotes, notes_list: ReadingList, seed_ids: list[str]
) -> None:
    assert len(seed.overviews) >= 9
    holders = []
    for overview in seed.overviews:
        first = seed_ids[overview.next_entry]
        section = _section_starting_with(notes_list, first)
        assert section is not None, f"no section starts with {first!r}, the entry after {overview.lines[0]!r}"
        assert section.description is not None
        positions = [section.description.find(line) for line in overview.lines]
        assert -1 not in positions, (section.title, overview.lines)
        assert positions == sorted(positions)
        holders.append(section.title)
    described = [s.title for s in notes_list.sections if s.description]
    assert described == list(dict.fromkeys(holders))  # and no section has text the author did not write


def test_the_search_parts_are_titled_as_parts_of_the_search_section(
    seed: SeedNotes, notes_list: ReadingList, seed_ids: list[str]
) -> None:
    titles = [s.title for s in notes_list.sections]
    holders = [_section_starting_with(notes_list, seed_ids[o.next_entry]) for o in seed.overviews]
    parts = [titles.index(s.title) for s in holders if s is not None]
    parent = titles[min(parts) - 1]
    assert parent == "搜索 篇"
    part_titles = titles[min(parts) : max(parts) + 1]
    assert len(part_titles) >= 5
    assert all(t.startswith(parent + " / ") for t in part_titles)


def test_markdown_export_reads_like_the_source(notes_list: ReadingList, seed: SeedNotes) -> None:
    result = CliRunner().invoke(app, ["export", "--format", "md", "--list", "llm-notes", "--group-by", "list"])
    assert result.exit_code == 0, result.output
    doc = result.stdout
    assert doc.startswith(f"# {seed.title}\n")
    headings = re.findall(r"^## (.+)$", doc, flags=re.M)
    assert headings[1:] == [s.title for s in notes_list.sections]  # after "## Contents"
    for overview in seed.overviews:
        assert all(doc.count(line) == 1 for line in overview.lines[:1]), overview.lines[0]
    recall = next(o for o in seed.overviews if "Dense Retriever" in o.lines[0])
    heading_at = doc.rfind("\n## ", 0, doc.index(recall.lines[0]))
    paper_at = doc.rfind("\n### ", 0, doc.index(recall.lines[0]))
    assert paper_at < heading_at  # the paragraph stands under its section heading, before any paper
