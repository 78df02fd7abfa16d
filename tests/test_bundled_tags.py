"""The bundled catalog's tags answer the words its readers type: the seed's own topic labels, the Chinese
words of issue 13, and no paper missing a tag its neighbours carry."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from papercli.catalog import bundled_catalog_path, load_catalog
from papercli.cli import app
from papercli.models import Catalog
from tests.seed_notes import seed_000_text


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(bundled_catalog_path())
    assert result.errors == [], [str(p) for p in result.errors]
    return result.catalog


def _listed(*args: str) -> list[str]:
    result = CliRunner().invoke(app, ["list", *args, "--json"])
    assert result.exit_code == 0, result.output
    return [p["id"] for p in json.loads(result.stdout)]


def _seed_topics() -> list[str]:
    """Every value of a 相关领域 (topics) field of seed 000, each once."""
    text = seed_000_text()
    values = (v.strip() for line in re.findall(r"相关领域\s*:(.*)", text) for v in re.split(r"[、,]", line))
    return list(dict.fromkeys(v for v in values if v))


def test_the_seed_uses_topic_labels() -> None:
    topics = _seed_topics()
    assert len(topics) >= 10
    assert "模型结构改进" in topics


def test_every_seed_topic_label_is_a_tag() -> None:
    finding_nothing = [topic for topic in _seed_topics() if not _listed("-t", topic)]
    assert finding_nothing == [], f"papers list -t finds nothing for {finding_nothing}"


@pytest.mark.parametrize(
    ("word", "tag"),
    [
        ("模型结构改进", "architecture"),
        ("奖励模型", "alignment"),
        ("数据集构建", "datasets"),
        ("指令调优", "instruction-tuning"),
        ("指令精调", "instruction-tuning"),
        ("监督微调", "instruction-tuning"),
        ("搜索", "retrieval"),
        ("搜索引擎", "retrieval"),
        ("稠密检索", "retrieval"),
        ("向量检索", "retrieval"),
        ("多模态大模型", "multimodal"),
        ("视觉语言", "multimodal"),
        ("提示微调", "prompting"),
        ("推理", "reasoning"),
        ("小样本", "zero-shot"),
    ],
)
def test_chinese_words_find_their_tag(word: str, tag: str) -> None:
    found = _listed("-t", word)
    assert found and found == _listed("-t", tag)


@pytest.mark.parametrize(
    ("tag", "paper_ids"),
    [
        ("RAG", ["chatdoctor", "self-rag", "medqa-em-explanations"]),
        ("retrieval", ["inpars", "inpars-v2", "inpars-light", "upr", "rankgpt", "chatgpt-retrievalqa", "exaranker"]),
        ("instruction-tuning", ["tinyllama-chat", "chatlm-mini-chinese", "character-llm"]),
    ],
)
def test_tag_gaps_of_issue_13_are_closed(tag: str, paper_ids: list[str]) -> None:
    assert set(paper_ids) <= set(_listed("-t", tag))


def test_reranking_and_query_rewriting_papers_are_retrieval_papers(catalog: Catalog) -> None:
    for paper in catalog.papers:
        if {"reranking", "query-rewriting"} & set(paper.tags):
            assert "retrieval" in paper.tags, paper.id


def test_the_notes_entry_named_prompt_tuning_is_found_by_that_name(catalog: Catalog) -> None:
    assert "pre-train-prompt-predict" in _listed("-q", "Prompt Tuning")
    survey = catalog.paper("pre-train-prompt-predict")
    assert survey is not None and survey.summary is not None
    assert '"Prompt Tuning"' in survey.summary
