"""Properties of catalog loading: valid catalogs load unchanged; broken ones are reported, never crash."""

from __future__ import annotations

import copy
import dataclasses
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papercli.catalog import LoadResult, load_catalog, load_catalog_text
from papercli.errors import CatalogError
from papercli.problems import Problem
from tests.strategies import ID_PATTERN, catalogs, lines, to_toml

SOURCE = "catalog.toml"


def field_defaults(model: Any) -> dict[str, Any]:
    """The default of every optional field of a model (dataclass) object."""
    return {
        f.name: f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        for f in dataclasses.fields(model)
        if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
    }


def assert_same_content(model: Any, raw: dict[str, Any], where: str = "catalog") -> None:
    """Every key of the raw data has the same value on the model; every other field kept its default."""
    for key, value in raw.items():
        loaded = getattr(model, key)
        if isinstance(value, list) and value and isinstance(value[0], dict):
            assert len(loaded) == len(value), f"{where}.{key}"
            for index, (item, raw_item) in enumerate(zip(loaded, value, strict=True)):
                assert_same_content(item, raw_item, f"{where}.{key}[{index}]")
        elif isinstance(value, list):
            assert isinstance(loaded, tuple), f"{where}.{key}: {loaded!r} is not a tuple"
            assert list(loaded) == value, f"{where}.{key}: {loaded!r} != {value!r}"
        else:
            assert loaded == value, f"{where}.{key}: {loaded!r} != {value!r}"
    for name, default in field_defaults(model).items():
        if name not in raw:
            assert getattr(model, name) == default, f"{where}.{name}"


def assert_well_formed(result: LoadResult, text: str, source: str) -> None:
    last_line = text.count("\n") + 1
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.source == source
        assert problem.message.strip()
        assert problem.line is None or 1 <= problem.line <= last_line, problem
        assert str(problem).startswith(source)


def assert_located(result: LoadResult, text: str) -> None:
    """A TOML problem's line is its entry's `[[...]]` header or the line of the field it is about."""
    rows = text.split("\n")
    for problem in result.problems:
        if problem.line is None:
            continue
        assert problem.line <= len(rows), f"line {problem.line} is past the end: {problem}"
        row = rows[problem.line - 1].strip()
        key = (problem.field or "").split(".")[0]
        assert row.startswith("[[") or (key and re.match(rf"{re.escape(key)}\s*=", row)), f"{problem}: {row!r}"


def load_or_error(text: str, source: str) -> LoadResult | None:
    """Load; a CatalogError is an accepted outcome (returns None). Any other exception fails the test."""
    try:
        result = load_catalog_text(text, source)
    except CatalogError as exc:
        assert str(exc).startswith(source), str(exc)
        return None
    assert_well_formed(result, text, source)
    return result


@settings(deadline=None, max_examples=60)
@given(catalogs(), st.booleans())
def test_valid_catalog_loads_without_problems(data: dict[str, Any], multiline: bool) -> None:
    text = to_toml(data, multiline)
    result = load_catalog_text(text, SOURCE)
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert result.skipped == 0
    assert_same_content(result.catalog, data)
    assert all(ID_PATTERN.match(p.id) for p in result.catalog.papers)


@settings(deadline=None, max_examples=30)
@given(catalogs())
def test_valid_catalog_as_json_loads_without_problems(data: dict[str, Any]) -> None:
    result = load_catalog_text(json.dumps(data, ensure_ascii=False), "catalog.json")
    assert result.problems == [], "\n".join(map(str, result.problems))
    assert_same_content(result.catalog, data)


# ---- corruptions of the data: each must be reported as at least one problem ----

BAD_IDS = ["", "UPPER", "with space", "-lead", "trail-", "double--hyphen", "under_score", "点", "a" * 81, "a/b"]
NOT_A_STRING: list[Any] = [0, 1.5, True, ["list"], {"table": "x"}]
NOT_A_LIST: list[Any] = ["a string", 3, {"table": "x"}, [1, 2]]
NOT_A_YEAR: list[Any] = ["nineteen", 1899, 99999, 2020.5, ["2020"], {"y": 2020}]


def _entries(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    return list(data.get(section, []))


@st.composite
def corrupted(draw: st.DrawFn) -> tuple[dict[str, Any], str, set[str] | None]:
    """A valid catalog with one defect, what was done, and the paper ids that must still load."""
    data = copy.deepcopy(draw(catalogs(min_papers=1)))
    papers = data["papers"]
    index = draw(st.integers(0, len(papers) - 1))
    paper = papers[index]
    others = {p["id"] for i, p in enumerate(papers) if i != index}
    tag_names = [t["name"] for t in data.get("tags", [])]
    kind = draw(
        st.sampled_from(
            [
                "missing-field",
                "wrong-type",
                "bad-year",
                "bad-id",
                "undeclared-tag",
                "undeclared-institution",
                "duplicate-id",
                "unknown-field",
                "multi-line-title",
                "blank-title",
                "bad-url",
                "bad-kind",
                "list-references-missing-paper",
                "bad-list",
                "vocabulary-clash",
                "not-a-table",
                "section-not-an-array",
                "unknown-top-level-key",
                "title-not-a-string",
            ]
        )
    )
    if kind == "missing-field":
        del paper[draw(st.sampled_from(["id", "title"]))]
    elif kind == "wrong-type":
        field = draw(st.sampled_from(["title", "id", "venue", "url", "note", "summary", "authors", "tags"]))
        paper[field] = draw(st.sampled_from(NOT_A_LIST if field in ("authors", "tags") else NOT_A_STRING))
    elif kind == "bad-year":
        paper["year"] = draw(st.sampled_from(NOT_A_YEAR))
    elif kind == "bad-id":
        paper["id"] = draw(st.sampled_from(BAD_IDS))
    elif kind == "undeclared-tag":
        aliases = [a for t in data.get("tags", []) for a in t.get("aliases", [])]
        undeclared = draw(lines().filter(lambda s: s not in tag_names))
        paper["tags"] = [*paper.get("tags", []), draw(st.sampled_from([undeclared, *aliases]))]
        others.add(paper["id"])  # a wrong reference is reported, but the paper stays
    elif kind == "undeclared-institution":
        names = {i["name"] for i in data.get("institutions", [])}
        paper["institutions"] = [*paper.get("institutions", []), draw(lines().filter(lambda s: s not in names))]
        others.add(paper["id"])
    elif kind == "duplicate-id":
        twin = {"id": paper["id"], "title": draw(lines())}
        papers.insert(draw(st.integers(index + 1, len(papers))), twin)
        others.add(paper["id"])  # the first one is kept
    elif kind == "unknown-field":
        paper[draw(st.sampled_from(["arxiv_id", "Title", "tag", "links", "标题"]))] = "x"
    elif kind == "multi-line-title":
        line_break = draw(st.sampled_from(["\n", "\r", "\r\n"]))
        paper[draw(st.sampled_from(["title", "title_zh", "venue"]))] = f"first{line_break}second"
    elif kind == "blank-title":
        paper["title"] = draw(st.sampled_from(["", " ", "\t", "\u3000", " padded", "padded\u00a0"]))
    elif kind == "bad-url":
        paper[draw(st.sampled_from(["url", "code"]))] = draw(
            st.sampled_from(["arxiv.org/abs/1706.03762", "ftp://x.org", "https://", "http://a b", "hhttps://x.org"])
        )
    elif kind == "bad-kind":
        paper["kind"] = draw(st.sampled_from(["article", "Paper", ""]))
    elif kind == "list-references-missing-paper":
        # Four-part ids: the generated ones have at most three parts, so these clash with nothing.
        broken = {"id": "list-with-a-gap", "title": "t", "sections": [{"title": "s", "papers": ["no-such-paper-id"]}]}
        data["lists"] = [*data.get("lists", []), broken]
        others.add(paper["id"])
    elif kind == "bad-list":
        bad: dict[str, Any] = draw(
            st.sampled_from(
                [{"title": "no id"}, {"id": "Bad Id", "title": "t"}, {"id": "ok", "title": "t", "sections": [{}]}]
            )
        )
        data["lists"] = [*data.get("lists", []), bad]
        others.add(paper["id"])
    elif kind == "vocabulary-clash":
        clash = draw(lines(max_pieces=2))
        data["tags"] = [*data.get("tags", []), {"name": clash}, {"name": clash + " 2", "aliases": [clash]}]
        others.add(paper["id"])
    elif kind == "not-a-table":
        papers.insert(index, draw(st.sampled_from(NOT_A_STRING[:-1] + ["string"])))
        others.add(paper["id"])
    elif kind == "section-not-an-array":
        data[draw(st.sampled_from(["papers", "tags", "lists"]))] = draw(st.sampled_from(["x", 1, {"a": 1}]))
        return data, kind, None
    elif kind == "unknown-top-level-key":
        data[draw(st.sampled_from(["paper", "Papers", "version", "tag"]))] = "x"
        others.add(paper["id"])
    else:
        data["title"] = draw(st.sampled_from([1, ["t"], "two\nlines"]))
        others.add(paper["id"])
    return data, kind, others


@settings(deadline=None, max_examples=100)
@given(corrupted(), st.sampled_from(["toml", "toml-multiline", "json"]))
def test_corrupted_catalog_reports_problems(case: tuple[dict[str, Any], str, set[str] | None], fmt: str) -> None:
    data, kind, must_survive = case
    if fmt == "json":
        source, text = "catalog.json", json.dumps(data, ensure_ascii=False)
    else:
        source, text = SOURCE, to_toml(data, multiline=fmt == "toml-multiline")
    result = load_or_error(text, source)
    assert result is not None, f"{kind}: valid TOML/JSON must not raise"
    assert result.errors, f"{kind}: no problem reported"
    if fmt != "json":
        assert_located(result, text)
    if must_survive is not None:
        loaded = {p.id for p in result.catalog.papers}
        assert must_survive <= loaded, f"{kind}: lost {must_survive - loaded}"


# ---- corruptions of the text: a problem list or a CatalogError, nothing else ----


@st.composite
def garbled_text(draw: st.DrawFn) -> tuple[str, str]:
    data = draw(catalogs())
    if draw(st.booleans()):
        source, text = "catalog.json", json.dumps(data, ensure_ascii=False, indent=draw(st.sampled_from([None, 2])))
    else:
        source, text = SOURCE, to_toml(data, multiline=draw(st.booleans()))
    operation = draw(st.sampled_from(["truncate", "insert", "replace", "drop-line", "swap-lines"]))
    if operation == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif operation in ("insert", "replace"):
        syntax = st.sampled_from("[]{}\"'=,.#\n\\")
        junk = draw(st.text(st.one_of(syntax, st.characters(exclude_categories=("Cs",))), max_size=5))
        at = draw(st.integers(0, len(text)))
        end = at + draw(st.integers(0, 5)) if operation == "replace" else at
        text = text[:at] + junk + text[end:]
    else:
        rows = text.split("\n")
        i = draw(st.integers(0, len(rows) - 1))
        if operation == "drop-line":
            del rows[i]
        else:
            j = draw(st.integers(0, len(rows) - 1))
            rows[i], rows[j] = rows[j], rows[i]
        text = "\n".join(rows)
    return source, text


@settings(deadline=None, max_examples=80)
@given(garbled_text())
def test_garbled_text_is_reported_or_refused(case: tuple[str, str]) -> None:
    source, text = case
    load_or_error(text, source)


@settings(deadline=None, max_examples=60)
@given(st.binary(max_size=300), st.sampled_from(["catalog.toml", "catalog.json"]))
def test_random_bytes_are_reported_or_refused(raw: bytes, name: str) -> None:
    load_or_error(raw.decode("utf-8", errors="replace"), name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(raw)
        try:
            result = load_catalog(path)
        except CatalogError as exc:
            assert str(exc).startswith(str(path))
        else:
            assert_well_formed(result, raw.decode("utf-8"), str(path))


HUGE = "1" * 5000  # more digits than int() converts from text by default
DEEP = 5000  # deeper than the recursion limit
PATHOLOGICAL = [
    pytest.param("catalog.toml", f'[[papers]]\nid = "a"\ntitle = "A"\nyear = {HUGE}\n', id="toml-huge-int"),
    pytest.param("catalog.json", f'{{"papers": [{{"id": "a", "title": "A", "year": {HUGE}}}]}}', id="json-huge-int"),
    pytest.param("catalog.toml", "x = " + "[" * DEEP + "]" * DEEP, id="toml-deep-nesting"),
    pytest.param("catalog.json", '{"x": ' + "[" * DEEP + "]" * DEEP + "}", id="json-deep-nesting"),
]


@pytest.mark.parametrize(("source", "text"), PATHOLOGICAL)
def test_pathological_syntax_raises_catalog_error(source: str, text: str) -> None:
    with pytest.raises(CatalogError, match=f"^{source}: "):
        load_catalog_text(text, source)


@pytest.mark.parametrize("title", ["", "   ", "first\rsecond", "first\nsecond", " padded "])
def test_blank_or_broken_catalog_title_is_reported(title: str) -> None:
    text = f'title = {json.dumps(title)}\n\n[[papers]]\nid = "a"\ntitle = "A"\n'
    result = load_or_error(text, SOURCE)
    assert result is not None
    assert result.errors, f"title {title!r} loaded without a problem"


# TOML forbids the other characters splitlines() breaks at (form feed, \x1c-\x1e) unless escaped.
@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_problem_lines_ignore_unicode_line_separators(separator: str) -> None:
    text = to_toml(
        {
            "papers": [
                {"id": "a", "title": "A", "note": f"page one{separator}page two"},
                {"id": "b", "title": "B", "year": "not a year"},
            ]
        }
    )
    result = load_or_error(text, SOURCE)
    assert result is not None
    assert [p.line for p in result.problems] == [text.split("\n").index('year = "not a year"') + 1]
