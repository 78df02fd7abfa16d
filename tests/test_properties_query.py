"""Properties of filtering and sorting: `select_papers` returns exactly the papers that match, checked
against a predicate written here from the documented meaning of each option (not with `query.matches`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papercli.catalog import load_catalog_text
from papercli.errors import UsageError
from papercli.query import PaperFilter, SortKey, select_papers, sort_papers
from tests.helpers import catalog_from_data
from tests.strategies import LATEST_YEAR, SHORT_LINE, catalogs, to_toml


def random_case(draw: st.DrawFn, text: str) -> str:
    """The same text with letters flipped to upper or lower case where that keeps it equal ignoring case."""
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    out = []
    for ch, flip in zip(text, flips, strict=True):
        other = ch.upper() if flip else ch.lower()
        out.append(other if other.casefold() == ch.casefold() else ch)
    return "".join(out)


def substring(draw: st.DrawFn, text: str) -> str:
    """A non-empty piece of the text (unless the text is empty)."""
    start = draw(st.integers(0, max(0, len(text) - 1)))
    end = draw(st.integers(min(start + 1, len(text)), len(text)))
    return text[start:end]


def padded(draw: st.DrawFn, text: str) -> str:
    """Surrounding spaces, as a shell user might type them; every option ignores them."""
    return draw(st.sampled_from(["", " ", "  "])) + text + draw(st.sampled_from(["", " "]))


@dataclass(frozen=True)
class Case:
    data: dict[str, Any]
    spec: PaperFilter
    tag_names: tuple[str, ...]  # canonical name each tag option was made from ("" for an undeclared one)
    list_id: str | None  # the reading list the list option was made from ("" for an unknown one)


CRITERIA = ["tags", "institution", "year", "since", "until", "venue", "author", "search", "reading_list"]
RARELY = st.sampled_from([False] * 9 + [True])  # e.g. an option that names nothing in the catalog


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A catalog and a filter with one to three criteria, each mostly made from text in the catalog."""
    data = draw(catalogs(min_papers=2))
    papers = data["papers"]
    tags = data.get("tags", [])
    lists = data.get("lists", [])
    # Options that need a vocabulary are mostly asked of catalogs that have one.
    text_pools = {
        "institution": [s for i in data.get("institutions", []) for s in (i["name"], *i.get("aliases", []))],
        "venue": [p["venue"] for p in papers if "venue" in p],
        "author": [a for p in papers for a in p.get("authors", [])],
    }
    years = [p["year"] for p in papers if "year" in p]
    unavailable = {"tags": not tags, "reading_list": not lists, "year": not years} | {
        name: not pool for name, pool in text_pools.items()
    }
    criteria = [c for c in CRITERIA if not unavailable.get(c) or draw(RARELY)]
    active = draw(st.sets(st.sampled_from(criteria), min_size=1, max_size=3))

    def from_pool(pool: list[str]) -> str:
        """A piece of one of these texts, in random case, or (rarely, or with no pool) a random line."""
        if not pool or draw(RARELY):
            return draw(SHORT_LINE)
        return padded(draw, random_case(draw, substring(draw, draw(st.sampled_from(pool)))))

    declared = {s.casefold(): t["name"] for t in tags for s in (t["name"], *t.get("aliases", []))}
    tag_options: list[str] = []
    tag_names: list[str] = []
    for _ in range(draw(st.integers(1, 2)) if "tags" in active else 0):
        if tags and not draw(RARELY):
            tag = draw(st.sampled_from(tags))
            spelling = draw(st.sampled_from([tag["name"], *tag.get("aliases", [])]))
            tag_options.append(padded(draw, random_case(draw, spelling)))
            tag_names.append(tag["name"])
        else:
            option = draw(SHORT_LINE)
            tag_options.append(option)
            # "name or alias, any case": a random line may still happen to spell a declared tag
            tag_names.append(declared.get(option.strip().casefold(), ""))

    options: dict[str, Any] = {name: from_pool(pool) for name, pool in text_pools.items() if name in active}

    if "search" in active:
        texts = [p[f] for p in papers for f in ("title", "title_zh", "summary", "note") if p.get(f)]
        words = [w for t in texts for w in t.split()]
        present = [random_case(draw, substring(draw, w)) for w in draw(st.lists(st.sampled_from(words), max_size=3))]
        absent = draw(st.lists(SHORT_LINE, max_size=1)) if draw(RARELY) else []
        options["search"] = " ".join(draw(st.permutations(present + absent)))

    for name in ("year", "since", "until"):
        if name in active:
            any_year = years == [] or draw(RARELY)
            options[name] = draw(st.integers(1890, LATEST_YEAR + 2) if any_year else st.sampled_from(years))
    if "since" in options and "until" in options and options["since"] > options["until"] and not draw(RARELY):
        options["since"], options["until"] = options["until"], options["since"]

    list_id = None
    if "reading_list" in active:
        if lists and not draw(RARELY):
            list_id = draw(st.sampled_from(lists))["id"]
            options["reading_list"] = padded(draw, draw(st.sampled_from([list_id, list_id.upper()])))
        else:
            list_id = options["reading_list"] = "no-such-list-here"  # generated ids have at most 3 parts

    return Case(data, PaperFilter(tags=tuple(tag_options), **options), tuple(tag_names), list_id)


# ---- the independent predicate: what each option means, stated on the raw data ----


def contains(haystack: str, needle: str) -> bool:
    """Needle (surrounding spaces ignored) occurs in haystack, ignoring case."""
    return needle.strip().casefold() in haystack.casefold()


def institutions_named(data: dict[str, Any], option: str) -> set[str]:
    institutions = data.get("institutions", [])
    return {i["name"] for i in institutions if any(contains(s, option) for s in (i["name"], *i.get("aliases", [])))}


def satisfies(paper: dict[str, Any], case: Case) -> bool:
    spec = case.spec
    year = paper.get("year")
    if any(name not in paper.get("tags", []) for name in case.tag_names):
        return False
    if spec.institution is not None and not institutions_named(case.data, spec.institution) & set(
        paper.get("institutions", [])
    ):
        return False
    if spec.year is not None and year != spec.year:
        return False
    if spec.since is not None and (year is None or year < spec.since):
        return False
    if spec.until is not None and (year is None or year > spec.until):
        return False
    if spec.venue is not None and ("venue" not in paper or not contains(paper["venue"], spec.venue)):
        return False
    if spec.author is not None and not any(contains(a, spec.author) for a in paper.get("authors", [])):
        return False
    if spec.search:
        texts = [paper[f] for f in ("title", "title_zh", "summary", "note") if paper.get(f)]
        if not all(any(contains(t, word) for t in texts) for word in spec.search.split()):
            return False
    if case.list_id is not None:
        reading_list = next(rl for rl in case.data["lists"] if rl["id"] == case.list_id)
        if not any(paper["id"] in s.get("papers", []) for s in reading_list.get("sections", [])):
            return False
    return True


def expected_usage_error(case: Case) -> bool:
    spec = case.spec
    return (
        "" in case.tag_names
        or (spec.institution is not None and not institutions_named(case.data, spec.institution))
        or (spec.since is not None and spec.until is not None and spec.since > spec.until)
        or case.list_id == "no-such-list-here"
    )


def expected_order(case: Case, ids: list[str]) -> list[str]:
    if case.list_id is None:
        return ids
    reading_list = next(rl for rl in case.data["lists"] if rl["id"] == case.list_id)
    order = list(dict.fromkeys(pid for s in reading_list.get("sections", []) for pid in s.get("papers", [])))
    return [pid for pid in order if pid in ids]


@settings(deadline=None, max_examples=100)
@given(cases())
def test_select_papers_returns_exactly_the_matching_papers(case: Case) -> None:
    catalog = catalog_from_data(case.data)
    if expected_usage_error(case):
        with pytest.raises(UsageError):
            select_papers(catalog, case.spec)
        return
    selected = select_papers(catalog, case.spec)
    raw = {p["id"]: p for p in case.data.get("papers", [])}
    returned = [p.id for p in selected]
    wrong = [pid for pid in returned if not satisfies(raw[pid], case)]
    assert not wrong, f"returned papers that do not match {case.spec}: {wrong}"
    missing = [pid for pid, paper in raw.items() if satisfies(paper, case) and pid not in returned]
    assert not missing, f"matching papers not returned for {case.spec}: {missing}"
    assert len(returned) == len(set(returned)), "a paper returned twice"
    assert returned == expected_order(case, [pid for pid in raw if pid in returned])


@settings(deadline=None, max_examples=60)
@given(catalogs(), st.sampled_from([None, *SortKey]), st.booleans())
def test_sort_papers_is_an_ordered_permutation(data: dict[str, Any], key: SortKey | None, reverse: bool) -> None:
    papers = catalog_from_data(data).papers
    ordered = sort_papers(papers, key, reverse)
    assert Counter(p.id for p in ordered) == Counter(p.id for p in papers)
    assert len(ordered) == len(papers)
    if key is None:
        assert ordered == list(papers[::-1] if reverse else papers)
    elif key is SortKey.year:
        dated = [p.year for p in ordered if p.year is not None]
        assert dated == sorted(dated, reverse=reverse)
        # papers without a year go last, whichever the direction
        assert all(p.year is None for p in ordered[len(dated) :])
    elif key is SortKey.title:
        titles = [p.title.casefold() for p in ordered]
        assert titles == sorted(titles, reverse=reverse)
    elif key is SortKey.rating:  # no reading log here: nothing is rated, the order stays
        assert ordered == list(papers)
    else:
        ids = [p.id for p in ordered]
        assert ids == sorted(ids, reverse=reverse)


@pytest.mark.parametrize(
    ("name", "aliases", "option"),
    [
        pytest.param("RAG ", [], "RAG ", id="padded-name"),
        pytest.param("RAG", [" retrieval"], " retrieval", id="padded-alias"),
        pytest.param("RAG", ["\u3000retrieval"], "\u3000retrieval", id="ideographic-space"),
    ],
)
def test_tag_spelled_with_surrounding_whitespace_is_reported_or_selectable(
    name: str, aliases: list[str], option: str
) -> None:
    # A padded spelling used to load cleanly, yet no --tag value could select it (resolve_tag strips the
    # option, not the spelling). Either way of fixing that is fine: refuse it at load, or match it.
    data = {"tags": [{"name": name, "aliases": aliases}], "papers": [{"id": "a", "title": "A", "tags": [name]}]}
    # The loader refuses the padded spelling (so no --tag value is needed to reach it).
    result = load_catalog_text(to_toml(data), "catalog.toml")
    assert [p.message for p in result.problems if p.subject == f"tag {name!r}"] == [
        "must not start or end with whitespace"
    ]


def test_a_status_filter_without_a_reading_log_is_refused_not_read_from_disk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """Filtering is pure: the commands read the reading log and pass it. A caller that forgets gets an
    error, never the user's log read behind its back."""
    import papercli.reading_log

    def no_reading(*args: object) -> None:
        raise AssertionError("the query layer read the reading log itself")

    monkeypatch.setattr(papercli.reading_log, "load_log", no_reading)
    catalog = load_catalog_text('[[papers]]\nid = "a"\ntitle = "A"\n', "catalog.toml").catalog
    with pytest.raises(ValueError, match="reading log"):
        select_papers(catalog, PaperFilter(statuses=("unread",)))
