from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from papercli.catalog import load_catalog, load_catalog_text
from tests.helpers import Invoke


def test_markdown_export_is_a_whole_document_with_working_toc(papers: Invoke) -> None:
    result = papers("export", "--format", "md")
    assert result.exit_code == 0, result.output
    doc = result.stdout
    assert doc.startswith("# Test catalog\n")
    assert "## Contents" in doc
    headings = {_github_anchor(h) for h in re.findall(r"^#+ (.+)$", doc, flags=re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", doc)
    assert links, "the table of contents has links"
    assert set(links) <= headings
    assert "`lora` · 2021 · ICLR 2022" in doc
    assert "[arXiv:2106.09685](<https://arxiv.org/abs/2106.09685>)" in doc
    assert "- **动机**:全参数微调太贵。" in doc


def _github_anchor(heading: str) -> str:
    text = heading.replace("\\", "").strip().lower()
    return "".join(ch for ch in text if ch.isalnum() or ch in " -_").replace(" ", "-")


def test_markdown_export_is_byte_identical_across_runs(papers: Invoke) -> None:
    first = papers("export", "--group-by", "tag").stdout
    second = papers("export", "--group-by", "tag").stdout
    assert first == second


def test_group_by_list_follows_the_reading_list_and_repeats_as_links(papers: Invoke) -> None:
    result = papers("export", "--list", "starter", "--group-by", "list")
    assert result.exit_code == 0, result.output
    doc = result.stdout
    assert doc.startswith("# Starter list\n")
    assert doc.index("## Part one") < doc.index("## Part two")
    assert doc.index("### QLoRA") < doc.index("### LoRA") < doc.index("### Visual Instruction Tuning")
    assert doc.count("### LoRA: Low-Rank") == 1  # the second mention links back instead of repeating
    assert "(see above)" in doc


def test_group_by_tag_puts_papers_under_each_of_their_tags(papers: Invoke) -> None:
    doc = papers("export", "--group-by", "tag").stdout
    assert "## RAG" in doc and "## QA" in doc and "## PEFT" in doc
    rag_part = doc[doc.index("## RAG") : doc.index("## PEFT")]
    assert "Self-RAG" in rag_part


def test_export_honours_filters(papers: Invoke) -> None:
    doc = papers("export", "--tag", "PEFT").stdout
    assert "QLoRA" in doc and "Self-RAG" not in doc


def test_json_export_round_trips_to_equal_models(papers: Invoke, small_catalog: Path, tmp_path: Path) -> None:
    result = papers("export", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"title", "papers", "tags", "institutions", "lists"}
    reloaded = load_catalog_text(result.stdout, "export.json")
    assert reloaded.problems == []
    assert reloaded.catalog == load_catalog(small_catalog).catalog


def test_json_export_can_be_used_as_a_catalog(papers: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    assert papers("export", "--format", "json", "--output", str(out)).exit_code == 0
    result = papers("list", "--json", "--tag", "PEFT", catalog=out)
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == ["lora", "qlora"]


def test_filtered_json_export_still_loads(papers: Invoke) -> None:
    result = papers("export", "--format", "json", "--tag", "multimodal")
    reloaded = load_catalog_text(result.stdout, "x.json")
    assert reloaded.problems == []
    assert [p.id for p in reloaded.catalog.papers] == ["llava"]
    assert reloaded.catalog.lists[0].paper_ids() == ["llava"]


def test_output_writes_the_file_and_reports_on_stderr(papers: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "out.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    result = papers("export", "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "wrote 4 papers" in result.stderr
    assert out.read_text(encoding="utf-8").startswith("# Test catalog")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.md")] == []


def test_output_refuses_to_overwrite_the_catalog(papers: Invoke, small_catalog: Path) -> None:
    before = small_catalog.read_bytes()
    result = papers("export", "--output", str(small_catalog))
    assert result.exit_code != 0
    assert "refusing to overwrite the catalog" in result.stderr
    assert small_catalog.read_bytes() == before


@pytest.mark.parametrize("target", ["missing-dir/out.md", "."])
def test_unwritable_output_is_a_clean_error(papers: Invoke, tmp_path: Path, target: str) -> None:
    result = papers("export", "--output", str(tmp_path / target))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.stderr.strip()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_folder_keeps_the_old_file(papers: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    out = folder / "out.md"
    out.write_text("keep me", encoding="utf-8")
    folder.chmod(0o500)
    try:
        result = papers("export", "--output", str(out))
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "keep me"
