"""Invariants of the catalog that ships with papercli (data/papers.toml)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from papercli.lint import lint
from papercli.models import SLUG_PATTERN, Catalog
from tests.helpers import bundled_catalog

# Distinct papers and projects named by the two seed documents, counted while curating (see the
# issue note): 118 entries of the notes document + 101 of the must-read list - 4 named in both.
EXPECTED_ENTRIES = 215


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return bundled_catalog()


def test_loads_and_lints_without_errors(catalog: Catalog) -> None:
    problems = lint(catalog, "papers.toml", lambda paper_id, field: None)
    assert [str(p) for p in problems if p.is_error] == []


def test_entry_count_matches_the_seeds(catalog: Catalog) -> None:
    assert len(catalog.papers) == EXPECTED_ENTRIES


def test_ids_are_unique_and_well_formed(catalog: Catalog) -> None:
    ids = [p.id for p in catalog.papers]
    assert len(set(ids)) == len(ids)
    assert all(SLUG_PATTERN.match(i) and len(i) <= 40 for i in ids)


def test_no_two_papers_share_a_url_or_a_title(catalog: Catalog) -> None:
    urls = Counter(p.url.rstrip("/").lower() for p in catalog.papers if p.url)
    titles = Counter(re.sub(r"\W+", " ", p.title).strip().lower() for p in catalog.papers)
    assert [u for u, n in urls.items() if n > 1] == []
    assert [t for t, n in titles.items() if n > 1] == []


def test_every_paper_has_a_title_a_tag_and_a_link(catalog: Catalog) -> None:
    for paper in catalog.papers:
        assert paper.title.strip(), paper.id
        assert paper.tags, paper.id
        assert paper.url, paper.id
        assert paper.note.strip() or paper.summary, paper.id


def test_links_are_canonical(catalog: Catalog) -> None:
    for paper in catalog.papers:
        if paper.url and "arxiv.org" in paper.url:
            assert re.fullmatch(r"https://arxiv\.org/abs/\d{4}\.\d{4,5}", paper.url), paper.id
        if paper.code and "github" in paper.code:
            assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+(/tree/[\w./-]+)?", paper.code), paper.id
        for text in (paper.url or "", paper.code or "", paper.note):
            assert "luolix" not in text and "hhttps" not in text, paper.id


def test_vocabularies_are_declared_and_used(catalog: Catalog) -> None:
    assert 20 <= len(catalog.tags) <= 45
    assert all(t.description and t.aliases for t in catalog.tags)
    used = {t for p in catalog.papers for t in p.tags}
    assert used == {t.name for t in catalog.tags}
    aliases = {a for i in catalog.institutions for a in i.aliases}
    assert {"微软研究院", "谷歌研究院", "斯坦福大学", "清华大学"} <= aliases


def test_must_read_list_has_seven_parts_that_resolve(catalog: Catalog) -> None:
    must_read = catalog.reading_list("must-read")
    assert must_read is not None
    assert len(must_read.sections) == 7
    assert [s.title[:4] for s in must_read.sections] == [
        "第一部分",
        "第二部分",
        "第三部分",
        "第四部分",
        "第五部分",
        "第六部分",
        "第七部分",
    ]
    ids = {p.id for p in catalog.papers}
    assert all(pid in ids for s in must_read.sections for pid in s.papers)
    first = must_read.sections[0].papers
    assert first[:4] == ("gpt-1", "gpt-2", "gpt-3", "instructgpt")


@pytest.mark.parametrize(
    ("paper_id", "arxiv", "code"),
    [
        ("lora", "2106.09685", "https://github.com/microsoft/LoRA"),
        ("qlora", "2305.14314", "https://github.com/artidoro/qlora"),
        ("self-rag", "2310.11511", "https://github.com/AkariAsai/self-rag"),
        ("llava", "2304.08485", "https://github.com/haotian-liu/LLaVA"),
        ("gpt-3", "2005.14165", None),
        ("instructgpt", "2203.02155", None),
        ("flashattention", "2205.14135", "https://github.com/Dao-AILab/flash-attention"),
        ("flan", "2109.01652", "https://github.com/google-research/flan"),
        ("self-instruct", "2212.10560", "https://github.com/yizhongw/self-instruct"),
        ("transformer", "1706.03762", "https://github.com/tensorflow/tensor2tensor"),
        ("clip", "2103.00020", "https://github.com/openai/CLIP"),
        ("sam", "2304.02643", "https://github.com/facebookresearch/segment-anything"),
        ("longbench", "2308.14508", "https://github.com/THUDM/LongBench"),
        ("flare", "2305.06983", None),
    ],
)
def test_well_known_papers(catalog: Catalog, paper_id: str, arxiv: str, code: str | None) -> None:
    paper = catalog.paper(paper_id)
    assert paper is not None
    assert paper.arxiv == arxiv
    if code is not None:
        assert paper.code == code


def test_rag_tag_lists_the_seed_rag_papers(catalog: Catalog) -> None:
    rag = {p.id for p in catalog.papers if "RAG" in p.tags}
    assert {"self-rag", "flare", "ragtruth", "carexpert"} <= rag
    assert "lora" not in rag and "llava" not in rag


def test_papers_named_in_both_seeds_carry_both_notes(catalog: Catalog) -> None:
    lora = catalog.paper("lora")
    assert lora is not None
    assert "旁路" in lora.note and "必读清单评注" in lora.note


def test_the_must_read_item_without_a_paper_is_explained(catalog: Catalog) -> None:
    # Item 2.32 of the must-read list names a survey by topic only; no source identifies it.
    must_read = catalog.reading_list("must-read")
    assert must_read is not None and must_read.description is not None
    assert "Efficient sequence modeling" in must_read.description
    assert not any("sequence modeling" in p.title.lower() for p in catalog.papers)
