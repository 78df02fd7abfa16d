"""`papers search`: ranked full-text search, on the bundled catalog with real queries and on small ones."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papercli.catalog import bundled_catalog_path, load_catalog
from papercli.index.fts import index_text, match_expression
from papercli.models import Catalog, Paper
from tests.helpers import Invoke, write_catalog


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog(bundled_catalog_path()).catalog


def search(papers: Invoke, *args: str, catalog: Path | None = None) -> list[dict[str, Any]]:
    result = papers("search", *args, "--json", "--limit", "1000", catalog=catalog)
    assert result.exit_code == 0, result.output
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def searchable(catalog: Catalog, paper: Paper) -> str:
    """Everything search looks at, written out from the catalog: fields, tag and institution spellings."""
    tags = [s for t in catalog.tags if t.name in paper.tags for s in (t.name, *t.aliases)]
    institutions = [s for i in catalog.institutions if i.name in paper.institutions for s in (i.name, *i.aliases)]
    fields = [paper.title, paper.title_zh or "", *paper.authors, paper.summary or "", paper.note, *tags, *institutions]
    return "\n".join(fields).casefold()


@pytest.mark.parametrize("word", ["检索", "对齐", "微调", "幻觉"])
def test_two_character_chinese_words_find_exactly_the_papers_containing_them(
    papers: Invoke, bundled: Catalog, word: str
) -> None:
    expected = {p.id for p in bundled.papers if word in searchable(bundled, p)}
    assert expected, f"the bundled catalog mentions {word}"
    assert {r["id"] for r in search(papers, word, catalog=None)} == expected


def test_a_tag_alias_finds_every_paper_with_that_tag(papers: Invoke, bundled: Catalog) -> None:
    found = {r["id"] for r in search(papers, "对齐", catalog=None)}  # an alias of the tag "alignment"
    tagged = {p.id for p in bundled.papers if "alignment" in p.tags}
    assert tagged and tagged <= found


def test_an_institution_alias_finds_its_papers(papers: Invoke, bundled: Catalog) -> None:
    found = {r["id"] for r in search(papers, "微软", catalog=None)}
    microsoft = {p.id for p in bundled.papers if any(i.startswith("Microsoft") for i in p.institutions)}
    assert microsoft and microsoft <= found


def test_lora_puts_the_lora_paper_first(papers: Invoke) -> None:
    records = search(papers, "LoRA", catalog=None)
    assert records[0]["id"] == "lora"
    order = [(r["tier"], -r["score"]) for r in records]
    assert order == sorted(order)  # tier 1 first, best score first within a tier
    assert {r["tier"] for r in records} == {1, 2}
    assert [r["rank"] for r in records] == list(range(1, len(records) + 1))


def test_filters_narrow_the_results(papers: Invoke) -> None:
    records = search(papers, "检索", "--tag", "RAG", "--since", "2023", catalog=None)
    assert records and all("RAG" in r["tags"] and r["year"] >= 2023 for r in records)
    everything = search(papers, "检索", catalog=None)
    assert len(records) < len(everything)


def test_a_title_match_outranks_a_mention_in_a_long_note(papers: Invoke, tmp_path: Path) -> None:
    filler = " ".join(f"word{i}" for i in range(400))
    catalog = write_catalog(
        tmp_path / "rank.toml",
        f'''[[papers]]
id = "long-note"
title = "Something else entirely"
note = """
{filler} retrieval {filler}
"""

[[papers]]
id = "titled"
title = "Retrieval for everyone"
note = "short"
''',
    )
    assert [r["id"] for r in search(papers, "retrieval", catalog=catalog)] == ["titled", "long-note"]


FILLER = " ".join(f"filler{i}" for i in range(300))
TIERS = f'''[[tags]]
name = "greek"
aliases = ["zeta"]

[[papers]]
id = "note-heavy"
title = "Nothing here"
year = 2020
note = "zeta zeta zeta zeta zeta zeta omega"

[[papers]]
id = "by-author"
title = "Something else"
authors = ["Ann Zeta"]
year = 2021
note = "{FILLER}"

[[papers]]
id = "note-light"
title = "Also nothing"
year = 2022
note = "one zeta in {FILLER}"

[[papers]]
id = "tagged"
title = "Tagged paper"
tags = ["greek"]
year = 2023
note = "{FILLER} omega"

[[papers]]
id = "unrelated"
title = "Unrelated"
note = "omega"
'''


@pytest.fixture
def tiers_catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "tiers.toml", TIERS)


def plain_bm25_order(catalog: Path, word: str) -> list[str]:
    """The papers' order under plain BM25 with the index's column weights, without tiers."""
    from papercli.index.build import fts_row, spelled
    from papercli.index.schema import FTS_COLUMNS, FTS_WEIGHTS

    loaded = load_catalog(catalog).catalog
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE fts USING fts5({', '.join(FTS_COLUMNS)}, content='')")
    marks = ", ".join("?" * (1 + len(FTS_COLUMNS)))
    tags, institutions = spelled(loaded.tags), spelled(loaded.institutions)
    for pos, paper in enumerate(loaded.papers):
        conn.execute(
            f"INSERT INTO fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES ({marks})",
            fts_row(pos, paper, tags, institutions),
        )
    weights = ", ".join(map(str, FTS_WEIGHTS))
    sql = f"SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, {weights}), rowid"
    return [loaded.papers[pos].id for (pos,) in conn.execute(sql, (match_expression(word),))]


def test_every_word_in_a_short_field_ranks_above_any_note_only_match(papers: Invoke, tiers_catalog: Path) -> None:
    # Plain BM25 would put six mentions in a short note above one author's name in a long paper.
    assert plain_bm25_order(tiers_catalog, "zeta")[0] == "note-heavy"
    records = search(papers, "zeta", catalog=tiers_catalog)
    assert [(r["id"], r["tier"]) for r in records[:2]] in (
        [("tagged", 1), ("by-author", 1)],
        [("by-author", 1), ("tagged", 1)],
    )  # a tag alias counts as a short field
    assert [(r["id"], r["tier"]) for r in records[2:]] == [("note-heavy", 2), ("note-light", 2)]
    assert records[0]["score"] >= records[1]["score"] and records[2]["score"] > records[3]["score"]


def test_a_word_only_in_the_note_puts_a_paper_in_the_second_tier(papers: Invoke, tiers_catalog: Path) -> None:
    records = search(papers, "zeta omega", catalog=tiers_catalog)  # tagged: zeta in its tags, omega in its note
    assert [(r["id"], r["tier"]) for r in records] == [("note-heavy", 2), ("tagged", 2)] or [
        (r["id"], r["tier"]) for r in records
    ] == [("tagged", 2), ("note-heavy", 2)]


@pytest.mark.parametrize("narrowing", [[], ["--since", "2020"], ["--status", "unread"]])
def test_every_limit_shows_a_prefix_of_the_whole_ranking(
    papers: Invoke, tiers_catalog: Path, narrowing: list[str]
) -> None:
    everything = [r["id"] for r in search(papers, "zeta", *narrowing, catalog=tiers_catalog)]
    assert sorted(everything) == ["by-author", "note-heavy", "note-light", "tagged"]  # no note-only match dropped
    for limit in range(1, len(everything) + 1):
        result = papers("search", "zeta", *narrowing, "--limit", str(limit), "--json", catalog=tiers_catalog)
        assert result.exit_code == 0, result.output
        assert [r["id"] for r in json.loads(result.stdout)] == everything[:limit]
        total = "4 papers" if limit == 4 else f"{limit} of 4 papers"
        assert result.stderr.strip() == f"{total} match"


def test_the_table_has_rank_id_title_and_the_snippet(papers: Invoke) -> None:
    result = papers("search", "检索", "--limit", "2", "--table", catalog=None)
    assert result.exit_code == 0, result.output
    first, second = search(papers, "检索", catalog=None)[:2]
    assert "│  1 │ " + first["id"] in result.stdout and "│  2 │ " + second["id"] in result.stdout
    assert "检索" in result.stdout
    assert "2 of " in result.stderr


def test_piped_output_is_one_tab_separated_line_per_paper_in_rank_order(papers: Invoke) -> None:
    result = papers("search", "检索", "--limit", "5", catalog=None)
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    found = search(papers, "检索", catalog=None)[:5]
    assert rows == [[str(r["rank"]), r["id"], str(r["year"] or ""), r["title"], r["snippet"]] for r in found]
    assert "│" not in result.stdout and "\x1b" not in result.stdout
    assert result.stderr.startswith("5 of ")


def test_a_tab_or_line_break_in_a_title_cannot_split_a_piped_row(papers: Invoke, small_catalog: Path) -> None:
    text = small_catalog.read_text(encoding="utf-8").replace('title = "LoRA:', 'title = "Lo\\tRA\\u001b[31m\\n:', 1)
    small_catalog.write_text(text, encoding="utf-8")
    result = papers("search", "LoRA")
    assert result.exit_code == 0, result.output
    assert result.stdout and all(len(line.split("\t")) == 5 for line in result.stdout.splitlines())
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("table", [[], ["--table"]])
def test_markup_in_catalog_text_is_shown_literally(papers: Invoke, small_catalog: Path, table: list[str]) -> None:
    text = small_catalog.read_text(encoding="utf-8").replace('title = "LoRA:', 'title = "[bold]LoRA[/bold]:', 1)
    small_catalog.write_text(text, encoding="utf-8")
    result = papers("search", "LoRA", *table)
    assert result.exit_code == 0, result.output
    assert "[bold]LoRA[/bold]" in result.stdout


@pytest.mark.parametrize("query", ['"', "*", "NEAR", "-", ":", "(", "AND", 'lo"ra', "lora*", "-lora", "title:lora"])
def test_fts5_syntax_in_a_query_is_text_not_an_error(papers: Invoke, query: str) -> None:
    result = papers("search", "--", query)
    assert result.exit_code in (0, 2), result.output  # 2: nothing to search for in a lone symbol
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stderr.startswith("error: nothing to search for")


def fts_with(text: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t (rowid, x) VALUES (1, ?)", (index_text(text),))
    return conn


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_text_searched_for_finds_itself_and_never_breaks_the_query(text: str) -> None:
    expression = match_expression(text)
    conn = fts_with(text)
    if expression is None:
        assert not any(ch.isalnum() for ch in text)
        return
    found = conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    assert found == [(1,)], (text, expression)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from('检索增强生成对齐 ab"*:-()^NEAR'), max_size=20), st.text(max_size=20))
def test_a_query_of_syntax_characters_finds_only_what_contains_its_words(query: str, other: str) -> None:
    expression = match_expression(query)
    if expression is None:
        return
    conn = fts_with(other)
    found = conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (expression,)).fetchall()
    if found:  # every word of the query occurs in the other text, as text (ignoring case and accents,
        # as the index's tokenizer does: `remove_diacritics 2` finds "AA" in "AÀ")
        folded = _without_accents(other.casefold())
        for word in query.split():
            for piece in "".join(c if c.isalnum() else " " for c in word).split():
                assert _without_accents(piece.casefold()) in folded or len(piece) == 1, (query, other)


def _without_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
