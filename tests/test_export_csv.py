from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papercli.catalog import load_catalog
from papercli.export.csv_format import render_csv
from papercli.grouping import GroupBy
from papercli.models import Catalog, Paper
from tests.helpers import export_run

HEADER = [
    "id",
    "kind",
    "title",
    "title_zh",
    "authors",
    "institutions",
    "year",
    "venue",
    "url",
    "arxiv",
    "code",
    "tags",
    "summary",
]

CATALOG = r'''
title = "CSV test catalog"

[[tags]]
name = "PEFT"

[[tags]]
name = "survey"

[[institutions]]
name = "Microsoft"

[[institutions]]
name = "Tsinghua University"

[[papers]]
id = "lora"
title = "LoRA: {Low-Rank} Adaptation, \"quoted\" & 100%"
title_zh = "LoRA:低秩适配"
authors = ["Edward J. Hu", "Yelong Shen"]
institutions = ["Microsoft", "Tsinghua University"]
year = 2021
venue = "ICLR 2022"
url = "https://arxiv.org/abs/2106.09685"
code = "https://github.com/microsoft/LoRA"
tags = ["PEFT", "survey"]
summary = """Line one, with a comma.
Line two."""
note = """
- NOTE-MARKER: 多行笔记
"""

[[papers]]
id = "formulas"
title = "=HYPERLINK(\"http://evil.example\",\"click\")"
title_zh = "'=already quoted"
authors = ["@attacker", "-minus"]
year = 2023
venue = "+venue"
tags = ["survey"]
summary = "-1 is a number"

[[papers]]
id = "toolkit"
kind = "project"
title = "A Toolkit"
url = "https://github.com/example/toolkit"
tags = ["PEFT"]
'''

_NEUTRALISED = re.compile(r"^'(?='*[=+\-@\t])")


def read_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert reader.fieldnames == HEADER
    return [{k: _NEUTRALISED.sub("", v) for k, v in row.items()} for row in reader]


def expected_row(paper: Paper) -> dict[str, str]:
    return {
        "id": paper.id,
        "kind": paper.kind,
        "title": paper.title,
        "title_zh": paper.title_zh or "",
        "authors": "; ".join(paper.authors),
        "institutions": "; ".join(paper.institutions),
        "year": "" if paper.year is None else str(paper.year),
        "venue": paper.venue or "",
        "url": paper.url or "",
        "arxiv": paper.arxiv or "",
        "code": paper.code or "",
        "tags": "; ".join(paper.tags),
        "summary": paper.summary or "",
    }


@pytest.fixture
def catalog_path(tmp_path: Path) -> Path:
    path = tmp_path / "papers.toml"
    path.write_text(CATALOG, encoding="utf-8")
    return path


def test_csv_rows_equal_the_catalog(catalog_path: Path) -> None:
    result = export_run(catalog_path, "csv")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    catalog = load_catalog(catalog_path).catalog
    assert read_rows(result.stdout) == [expected_row(p) for p in catalog.papers]
    lora = read_rows(result.stdout)[0]
    assert lora["arxiv"] == "2106.09685"
    assert lora["title_zh"] == "LoRA:低秩适配"
    assert lora["summary"] == "Line one, with a comma.\nLine two."
    assert lora["institutions"] == "Microsoft; Tsinghua University"


def test_csv_is_plain_utf8_with_newline_rows_and_no_notes(catalog_path: Path) -> None:
    text = export_run(catalog_path, "csv").stdout
    assert text.startswith(",".join(HEADER) + "\n")
    assert "\r" not in text and not text.startswith("\ufeff")
    assert "NOTE-MARKER" not in text
    assert text == export_run(catalog_path, "csv").stdout


def test_cells_that_would_be_formulas_are_quoted(catalog_path: Path) -> None:
    reader = csv.DictReader(io.StringIO(export_run(catalog_path, "csv").stdout, newline=""))
    raw = [row for row in reader if row["id"] == "formulas"][0]
    assert raw["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert raw["title_zh"] == "''=already quoted"
    assert raw["authors"] == "'@attacker; -minus"
    assert raw["venue"] == "'+venue"
    assert raw["summary"] == "'-1 is a number"
    for row in csv.reader(io.StringIO(export_run(catalog_path, "csv").stdout, newline="")):
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in row)


def test_csv_export_honours_filters(catalog_path: Path) -> None:
    result = export_run(catalog_path, "csv", "--tag", "PEFT")
    assert result.exit_code == 0, result.output
    assert [row["id"] for row in read_rows(result.stdout)] == ["lora", "toolkit"]


def test_csv_export_writes_the_output_file(catalog_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "papers.csv"
    result = export_run(catalog_path, "csv", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "wrote 3 papers" in result.stderr
    assert target.read_bytes().decode("utf-8") == export_run(catalog_path, "csv").stdout


def test_control_characters_are_dropped() -> None:
    paper = Paper(id="p", title="a\x1b[31mb\x00")
    (row,) = read_rows(render_csv(Catalog(), [paper]))
    assert row["title"] == "ab"


_SPECIALS = st.sampled_from(list("=+-@'\",;\t\\ \n") + ["\n\n", '""', "'='"])
_CHARS = st.characters(blacklist_categories=("Cc", "Cs"))
_LINE = st.lists(st.one_of(_SPECIALS, _CHARS), min_size=1, max_size=30).map("".join)
_TEXT = _LINE.filter(lambda s: s.strip())
_SINGLE = _LINE.map(lambda s: s.replace("\n", "")).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None)
@given(title=_SINGLE, authors=st.lists(_SINGLE, max_size=4), summary=st.none() | _TEXT)
def test_any_title_authors_and_summary_survive_a_csv_round_trip(
    title: str, authors: list[str], summary: str | None
) -> None:
    paper = Paper(id="p", title=title, authors=authors, summary=summary)
    assert read_rows(render_csv(Catalog(), [paper], GroupBy.none)) == [expected_row(paper)]
