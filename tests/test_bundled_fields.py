"""Authors, institutions, venue and code of the bundled catalog: how many are filled (they must not fall),
where each added value comes from (data/SOURCES.md), and that venues are written so BibTeX can use them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from papercli.catalog import bundled_catalog_path, load_catalog
from papercli.cli import app
from papercli.models import Catalog, Paper

SOURCES = Path(__file__).parent.parent / "data" / "SOURCES.md"

# Papers with the field filled, as reached in issue 13 (before: 178, 116, 113, 125 of 215).
FLOORS = {"authors": 212, "institutions": 186, "venue": 148, "code": 145}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(bundled_catalog_path())
    assert result.errors == [], [str(p) for p in result.errors]
    return result.catalog


def _filled(paper: Paper, field: str) -> bool:
    return bool(getattr(paper, field))


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_filled_fields_do_not_fall(catalog: Catalog, field: str) -> None:
    filled = sum(_filled(p, field) for p in catalog.papers)
    assert filled >= FLOORS[field], f"{field}: {filled} papers filled, fewer than {FLOORS[field]}"


def test_most_papers_name_their_institutions(catalog: Catalog) -> None:
    with_institutions = sum(bool(p.institutions) for p in catalog.papers)
    assert with_institutions / len(catalog.papers) >= 0.85


def _source_rows() -> list[tuple[str, str, str]]:
    """(id, field, value) of every row of the filled-fields table in data/SOURCES.md."""
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (\w+) \| (.*?) \| .+ \|$", SOURCES.read_text(encoding="utf-8"), re.M)
    return [(pid, field, value.replace("\\|", "|")) for pid, field, value in rows]


def test_every_added_value_is_in_the_sources_file_with_its_value(catalog: Catalog) -> None:
    rows = _source_rows()
    assert len(rows) >= 150
    for pid, field, value in rows:
        paper = catalog.paper(pid)
        assert paper is not None, pid
        held = getattr(paper, field)
        shown = ", ".join(held) if isinstance(held, tuple | list) else str(held or "")
        value = re.sub(r" \(was .*\)$", "", value)  # a correction shows the old value too
        if value.endswith(", ..."):
            assert shown.startswith(value.removesuffix(", ...")), (pid, field)
        else:
            assert shown == value, (pid, field)


def test_new_institutions_are_declared_once_with_a_source(catalog: Catalog) -> None:
    text = SOURCES.read_text(encoding="utf-8").split("## Institutions added to the vocabulary", 1)[1]
    names = re.findall(r"^\| ([^|]+?) \| [^|]* \| [^|]+ \|$", text.split("\n## ", 1)[0], re.M)
    declared = {i.name for i in catalog.institutions}
    listed = [n for n in names if n not in ("name", "---")]
    assert len(listed) >= 50
    assert set(listed) <= declared
    used = {i for p in catalog.papers for i in p.institutions}
    assert set(listed) <= used


def test_venues_are_short_names_with_a_year(catalog: Catalog) -> None:
    for paper in catalog.papers:
        if paper.venue:
            assert "arxiv" not in paper.venue.lower() and "preprint" not in paper.venue.lower(), paper.id
            assert re.search(r"\b(19|20)\d\d\b", paper.venue) or paper.venue == "TMLR", paper.id
            assert not re.search(r"\d{4} (Findings|Demo|Industry)\b", paper.venue), paper.id


def test_every_paper_with_a_venue_is_not_misc_in_bibtex(catalog: Catalog) -> None:
    result = CliRunner().invoke(app, ["export", "--format", "bibtex"])
    assert result.exit_code == 0, result.output
    kinds = {key: kind for kind, key in re.findall(r"^@(\w+)\{([^,]+),", result.stdout, re.M)}
    published = [p.id for p in catalog.papers if p.venue and p.kind == "paper"]
    assert published
    assert [pid for pid in published if kinds.get(pid) not in ("inproceedings", "article")] == []
