"""The index answers filters exactly as the in-memory query does: same papers, same order, same count,
same errors. (The in-memory `select_papers` is itself checked against the options' documented meaning
in test_properties_query.)"""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papercli.catalog import load_catalog_text
from papercli.errors import PapersError
from papercli.index.build import write_index
from papercli.index.reader import CatalogIndex
from papercli.models import Catalog
from papercli.query import PaperFilter, SortKey, select_papers, sort_papers
from tests.strategies import to_toml
from tests.test_properties_query import Case, cases


def in_memory_index(text: str) -> tuple[CatalogIndex, Catalog]:
    result = load_catalog_text(text, "catalog.toml")
    conn = sqlite3.connect(":memory:", isolation_level=None)
    meta = {"stamp": "-", "catalog": "-", "fingerprint": "-", "racy": "0", "hash": ""}
    write_index(conn, text.encode("utf-8", "surrogatepass"), "catalog.toml", meta)
    return CatalogIndex(conn), result.catalog


@settings(max_examples=150, deadline=None)
@given(
    case=cases(),
    sort=st.sampled_from([None, *SortKey]),
    reverse=st.booleans(),
    limit=st.one_of(st.none(), st.integers(1, 4)),
)
def test_index_selects_what_the_query_selects(
    case: Case, sort: SortKey | None, reverse: bool, limit: int | None
) -> None:
    index, catalog = in_memory_index(to_toml(case.data))
    try:
        expected = sort_papers(select_papers(catalog, case.spec), sort, reverse)
    except PapersError as exc:
        with pytest.raises(type(exc)) as raised:
            index.select(case.spec, sort, reverse, limit)
        assert str(raised.value) == str(exc)
        return
    found, total = index.select(case.spec, sort, reverse, limit)
    papers = list(found)
    assert total == len(expected)
    assert papers == (expected[:limit] if limit is not None else expected)


UNDATED = """
[[papers]]
id = "b"
title = "b"

[[papers]]
id = "c"
title = "C"
year = 2020

[[papers]]
id = "a"
title = "a"

[[papers]]
id = "d"
title = "D"
year = 2019
"""


@pytest.mark.parametrize("sort", [*SortKey, None])
@pytest.mark.parametrize("reverse", [False, True])
def test_undated_papers_and_mixed_case_titles_sort_as_in_memory(sort: SortKey | None, reverse: bool) -> None:
    index, catalog = in_memory_index(UNDATED)
    expected = sort_papers(catalog.papers, sort, reverse)
    assert [p.id for p in list(index.select(PaperFilter(), sort, reverse)[0])] == [p.id for p in expected]
