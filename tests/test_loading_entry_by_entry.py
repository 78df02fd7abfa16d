"""A TOML catalog is read entry by entry (each `[[section]]` table parsed on its own, papers handed on one at
a time) so that a large one fits in little memory. These tests hold that reading to the reading of the
whole document, which is what TOML defines: same catalog, same problems at the same lines, same spans,
and the same error for text that does not parse."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from papercli import catalog
from papercli.catalog import LoadResult, load_catalog_text
from papercli.errors import CatalogError
from papercli.toml_layout import Layout
from tests.helpers import BUNDLED, Invoke, write_catalog
from tests.strategies import catalogs, to_toml
from tests.test_properties_catalog import corrupted, garbled_text

SOURCE = "catalog.toml"


def read_as_whole(text: str) -> LoadResult:
    """The catalog checked from one parse of the whole text (the standard library's tomllib)."""
    import tomllib

    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(str(exc)) from None
    kept = catalog._KeptPapers()
    result = catalog._Builder(SOURCE, Layout(text.encode("utf-8")), kept).from_document(document)
    result.catalog = result.catalog.__class__(**{**result.catalog.__dict__, "papers": tuple(kept.papers)})
    return result


def assert_same_reading(text: str) -> None:
    try:
        whole = read_as_whole(text)
    except CatalogError:
        with pytest.raises(CatalogError, match=f"^{SOURCE}:"):
            load_catalog_text(text, SOURCE)
        return
    piecewise = load_catalog_text(text, SOURCE)
    assert [str(p) for p in piecewise.problems] == [str(p) for p in whole.problems]
    assert piecewise.catalog == whole.catalog
    assert piecewise.skipped == whole.skipped
    assert piecewise.spans == whole.spans
    assert piecewise.raw_ids == whole.raw_ids


@settings(deadline=None, max_examples=60)
@given(catalogs(min_papers=1))
def test_valid_catalogs_read_entry_by_entry_as_whole(data: dict[str, Any]) -> None:
    text = to_toml(data, multiline=True)
    assert Layout(text.encode()).elements() is not None  # the entry-by-entry path is the one taken
    assert_same_reading(text)


@settings(deadline=None, max_examples=120)
@given(corrupted())
def test_defective_catalogs_get_the_same_problems_at_the_same_lines(case: tuple[dict[str, Any], str, Any]) -> None:
    data, _, _ = case
    assert_same_reading(to_toml(data, multiline=True))


@settings(deadline=None, max_examples=120)
@given(garbled_text())
def test_garbled_text_gives_the_same_result_or_error(case: tuple[str, str]) -> None:
    source, text = case
    if source == SOURCE:
        assert_same_reading(text)


def test_the_bundled_catalog_reads_the_same_both_ways() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    assert Layout(text.encode()).elements() is not None
    assert_same_reading(text)


@pytest.mark.parametrize(
    "text",
    [
        # a plain table and a sub-table outside its element: only the whole document says what they are
        'title = "t"\n[meta]\nx = 1\n[[papers]]\nid = "a"\ntitle = "A"\n',
        '[papers.extra]\nx = 1\n[[papers]]\nid = "a"\ntitle = "A"\n',
        # quoted header names
        '[["papers"]]\nid = "a"\ntitle = "A"\n',
    ],
)
def test_texts_that_are_not_a_series_of_entries_are_read_as_a_whole(text: str) -> None:
    assert Layout(text.encode()).elements() is None
    assert_same_reading(text)


def test_a_key_set_at_the_top_and_again_as_an_array_is_the_parser_s_error() -> None:
    text = 'papers = []\n[[papers]]\nid = "a"\ntitle = "A"\n'
    with pytest.raises(CatalogError, match=rf"^{SOURCE}:2:"):
        load_catalog_text(text, SOURCE)
    assert_same_reading(text)


def paper_toml(number: int) -> str:
    return f'[[papers]]\nid = "paper-{number}"\ntitle = "Paper {number}"\nyear = 2024\n'


# A value whose line looks like an array-of-tables header: `[[1]]` inside an array is a nested array of
# integers, valid TOML. Cut at that line, neither piece parses on its own, so the catalog is read as a whole.
LOOKS_LIKE_A_HEADER = '[[papers]]\nid = "odd-one"\ntitle = "Odd"\nextra = [\n[[1]]\n]\n'


def test_a_value_that_looks_like_a_header_is_read_as_toml_defines_it() -> None:
    text = paper_toml(1) + LOOKS_LIKE_A_HEADER + paper_toml(2)
    result = load_catalog_text(text, SOURCE)
    assert [p.id for p in result.catalog.papers] == ["paper-1", "paper-2"]
    assert [(p.subject, p.field, p.line) for p in result.errors] == [("paper 'odd-one'", "extra", 8)]
    assert_same_reading(text)


def test_an_index_built_after_a_restart_holds_each_paper_once(
    papers: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback when an entry does not read on its own, injected after more papers than one batch
    of index rows: rows were already written when the reading started over."""
    parse_piece = catalog._parse_piece

    def refuse_one(piece: bytes) -> dict[str, Any]:
        if b'"paper-1100"' in piece:
            raise catalog._ReadAsWhole
        return parse_piece(piece)

    monkeypatch.setattr(catalog, "_parse_piece", refuse_one)
    body = "".join(paper_toml(n) for n in range(1200))
    result = papers("list", "--json", catalog=write_catalog(tmp_path / "catalog.toml", body))
    assert result.exit_code == 0, result.output
    assert [paper["id"] for paper in json.loads(result.stdout)] == [f"paper-{n}" for n in range(1200)]


def test_a_syntax_error_names_the_line_in_the_file_not_in_the_entry() -> None:
    text = "".join(paper_toml(n) for n in range(5)) + '[[papers]]\nid = "broken"\ntitle = = "x"\n' + paper_toml(9)
    with pytest.raises(CatalogError, match=rf"^{SOURCE}:23:9: TOML syntax error"):
        load_catalog_text(text, SOURCE)


def test_bytes_that_are_not_utf8_are_named_by_their_offset_in_the_file(tmp_path: Path) -> None:
    head = "".join(paper_toml(n) for n in range(3)).encode()
    path = tmp_path / "catalog.toml"
    path.write_bytes(catalog.BOM_BYTES + head + b'[[papers]]\nid = "x"\ntitle = "\xff"\n')
    offset = len(catalog.BOM_BYTES) + len(head) + len(b'[[papers]]\nid = "x"\ntitle = "')
    line = head.count(b"\n") + 3
    with pytest.raises(CatalogError, match=rf"catalog\.toml:{line}: not UTF-8 text: byte 0xff at offset {offset}$"):
        catalog.load_catalog(path)
