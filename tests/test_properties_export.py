"""Properties of the exporters: JSON loads back as the same catalog; Markdown is deterministic and its table
of contents links to headings that exist, with GitHub's heading ids computed here independently."""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papercli.catalog import load_catalog_text
from papercli.export.json_format import render_json
from papercli.export.markdown import render_markdown
from papercli.grouping import GroupBy
from papercli.models import Catalog
from tests.helpers import catalog_from_data
from tests.strategies import catalogs, to_toml

# ---- JSON ----


@settings(deadline=None, max_examples=60)
@given(catalogs())
def test_json_export_loads_back_as_the_same_catalog(data: dict[str, Any]) -> None:
    catalog = catalog_from_data(data)
    text = render_json(catalog, catalog.papers)
    result = load_catalog_text(text, "x.json")
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.catalog == catalog
    assert render_json(result.catalog, result.catalog.papers) == text


@st.composite
def selections(draw: st.DrawFn) -> tuple[Catalog, list[Any], str | None]:
    catalog = catalog_from_data(draw(catalogs()))
    papers = [p for p in catalog.papers if draw(st.booleans())]
    reading_list = draw(st.sampled_from([None, *(rl.id for rl in catalog.lists)]))
    return catalog, papers, reading_list


@settings(deadline=None, max_examples=40)
@given(selections())
def test_json_export_of_a_selection_is_a_valid_catalog(case: tuple[Catalog, list[Any], str | None]) -> None:
    catalog, papers, reading_list = case
    result = load_catalog_text(render_json(catalog, papers, GroupBy.none, reading_list), "x.json")
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert list(result.catalog.papers) == list(papers)
    assert result.catalog.tags == catalog.tags
    assert [rl.id for rl in result.catalog.lists] == [
        rl.id for rl in catalog.lists if reading_list is None or rl.id == reading_list
    ]


# ---- Markdown: a small reader for the parts of CommonMark/GFM that decide which headings exist ----

_LINE_END = re.compile(r"\r\n|\r|\n")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def inline_text(source: str) -> str:
    """The text a heading shows: backslash escapes and entity references resolved (the exporter escapes
    every other inline construct)."""
    out: list[str] = []
    i = 0
    while i < len(source):
        ch = source[i]
        if ch == "\\" and i + 1 < len(source) and source[i + 1] in _ASCII_PUNCTUATION:
            out.append(source[i + 1])
            i += 2
            continue
        entity = _ENTITY.match(source, i) if ch == "&" else None
        if entity:
            out.append(html.unescape(entity.group()))
            i = entity.end()
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def headings(document: str) -> list[str]:
    """The text of every ATX heading outside fenced code, in document order."""
    return [text for _, text in located_headings(document)]


def located_headings(document: str) -> list[tuple[int, str]]:
    """(line index, text) of every ATX heading outside fenced code, in document order."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    for number, line in enumerate(_LINE_END.split(document)):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                if not opening.group(2).strip():
                    fence = None
            continue
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            continue
        atx = _ATX.match(line)
        if atx:
            content = _CLOSING_HASHES.sub("", atx.group(2) or "")
            found.append((number, inline_text(content.strip(" \t"))))
    return found


def slug(text: str) -> str:
    """GitHub's heading id before numbering: lower case, only letters, digits (with combining marks),
    spaces, hyphens and underscores kept, spaces turned into hyphens."""
    kept = (ch for ch in text.lower() if ch.isalnum() or ch in " -_" or _is_mark(ch))
    return "".join(kept).replace(" ", "-")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def github_anchors(document: str) -> list[tuple[str, str]]:
    """(id, heading text) for every heading, repeats numbered -1, -2... in document order."""
    seen: dict[str, int] = {}
    anchors = []
    for text in headings(document):
        base = slug(text)
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchors.append((base if count == 0 else f"{base}-{count}", text))
    return anchors


_TOC_LINK = re.compile(r"^\s*- \[(.*)\]\(#([^)\s]*)\)$")


def toc_links(document: str) -> list[tuple[str, str]]:
    """(link text, target) of every entry in the Contents section."""
    rows = document.split("\n")
    start = rows.index("## Contents") + 2
    links = []
    for row in rows[start:]:
        if not row:
            break
        match = _TOC_LINK.match(row)
        if match:
            links.append((inline_text(match.group(1)), match.group(2)))
        else:
            assert row == "(no papers)", row
    return links


@st.composite
def markdown_cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[str], GroupBy, str | None]:
    data = draw(catalogs())
    ids = [p["id"] for p in data.get("papers", [])]
    chosen = [pid for pid in ids if draw(st.integers(0, 3)) > 0]
    reading_list = draw(st.sampled_from([None, *(rl["id"] for rl in data.get("lists", []))]))
    return data, chosen, draw(st.sampled_from(list(GroupBy))), reading_list


def render(case: tuple[dict[str, Any], list[str], GroupBy, str | None]) -> str:
    data, chosen, group_by, reading_list = case
    catalog = catalog_from_data(data)
    papers = [p for p in catalog.papers if p.id in chosen]
    return render_markdown(catalog, papers, group_by, reading_list)


@settings(deadline=None, max_examples=80)
@given(markdown_cases())
def test_markdown_export_is_deterministic(case: tuple[dict[str, Any], list[str], GroupBy, str | None]) -> None:
    # Two renderings, from two separately loaded catalogs: no dependence on object identity or set order.
    assert render(case).encode() == render(case).encode()


@settings(deadline=None, max_examples=80)
@given(markdown_cases())
def test_markdown_contents_links_point_at_existing_headings(
    case: tuple[dict[str, Any], list[str], GroupBy, str | None],
) -> None:
    document = render(case)
    anchors = {anchor for anchor, _ in github_anchors(document)}
    links = toc_links(document)
    if case[2] is GroupBy.none:
        assert len(links) == len(case[1]), "one Contents entry per selected paper"
    for text, target in links:
        assert target in anchors, f"Contents link {text!r} -> #{target}, but the document has no such heading"


_META_LINE = re.compile(r"^`[a-z0-9-]+`(?: · |$)")


def assert_links_land_on_paper_headings(document: str) -> None:
    """In a one-group document, the i-th Contents link targets the id GitHub gives the i-th paper heading
    (a paper heading is the `## ` heading followed by its paper's metadata line)."""
    anchors = github_anchors(document)
    rows = _LINE_END.split(document)
    paper_headings = [
        i
        for i, (number, _) in enumerate(located_headings(document))
        if rows[number].startswith("## ") and number + 2 < len(rows) and _META_LINE.match(rows[number + 2])
    ]
    for (text, target), index in zip(toc_links(document), paper_headings, strict=True):
        assert anchors[index][0] == target, f"Contents link {text!r} -> #{target}; GitHub gives that heading "
        f"#{anchors[index][0]}"


@pytest.mark.parametrize("title", ["\u00a0 LoRA", "LoRA \u3000"])
def test_title_with_unicode_edge_whitespace_is_reported_or_linked_right(title: str) -> None:
    # CommonMark strips only spaces and tabs from a heading, Python's str.strip() any whitespace: such a
    # title must either be refused at load or get the contents link GitHub's id for it.
    papers = [{"id": "a", "title": title}]
    # The loader refuses such a title, so no Markdown is ever made from it.
    result = load_catalog_text(to_toml({"papers": papers}), "catalog.toml")
    assert [(p.field, p.message) for p in result.problems] == [("title", "must not start or end with whitespace")]
    assert result.catalog.papers == ()


ANCHOR_CASES = [
    pytest.param([{"id": "a", "title": "R&amp;D"}], id="html-entity-in-title"),
    pytest.param(
        [{"id": "a", "title": "Setup", "note": "# Results"}, {"id": "b", "title": "Results"}],
        id="heading-in-an-earlier-note",
    ),
]


@pytest.mark.parametrize("papers", ANCHOR_CASES)
def test_markdown_contents_links_land_on_the_paper_heading(papers: list[dict[str, Any]]) -> None:
    assert_links_land_on_paper_headings(render(({"papers": papers}, [p["id"] for p in papers], GroupBy.none, None)))


_NOTE_LINES = ["# Results", "## Setup ##", "text", "```", "~~~", "    # indented code", "### R&amp;D", "\\# not one"]
_TITLES = ["Setup", "Results", "R&amp;D", "Results!", "setup"]


@settings(deadline=None, max_examples=120)
@given(
    st.lists(
        st.tuples(st.sampled_from(_TITLES), st.lists(st.sampled_from(_NOTE_LINES), max_size=6)),
        min_size=1,
        max_size=5,
    )
)
def test_contents_links_survive_headings_inside_notes(entries: list[tuple[str, list[str]]]) -> None:
    papers = [{"id": f"p{i}", "title": title, "note": "\n".join(lines)} for i, (title, lines) in enumerate(entries)]
    assert_links_land_on_paper_headings(render(({"papers": papers}, [p["id"] for p in papers], GroupBy.none, None)))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@settings(deadline=None, max_examples=150)
@given(st.lists(JSON_VALUES, max_size=5))
def test_a_json_array_written_value_by_value_is_the_document_dumps_writes(values: list[object]) -> None:
    """`list --json` streams its records (a long result is never one string in memory): byte for byte
    what `dumps` makes of the whole list, terminal-safe escapes included."""
    import io

    from papercli.export.json_format import dumps, write_array

    out = io.StringIO()
    assert write_array(iter(values), out) == len(values)
    assert out.getvalue() == dumps(values)
