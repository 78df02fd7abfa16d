from __future__ import annotations

import json

from tests.helpers import Invoke


def test_tags_table_shows_counts_and_aliases(papers: Invoke) -> None:
    result = papers("tags")
    assert result.exit_code == 0, result.output
    assert "参数高效微调" in result.stdout
    assert result.stderr.strip() == "4 tags"


def test_tags_json_counts_papers(papers: Invoke) -> None:
    rows = {r["name"]: r for r in json.loads(papers("tags", "--json").stdout)}
    assert rows["PEFT"]["papers"] == 2
    assert rows["RAG"] == {
        "name": "RAG",
        "papers": 1,
        "aliases": ["检索增强生成"],
        "description": "Retrieval-augmented generation.",
    }


def test_institutions_json_counts_papers(papers: Invoke) -> None:
    rows = {r["name"]: r for r in json.loads(papers("institutions", "--json").stdout)}
    assert rows["Microsoft Research"]["papers"] == 2
    assert rows["Microsoft Research"]["aliases"] == ["微软研究院"]
    assert rows["Columbia University"]["papers"] == 1
