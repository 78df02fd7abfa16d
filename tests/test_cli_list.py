from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import Invoke, json_ids, write_catalog


def test_list_shows_every_paper_in_a_table_and_counts_on_stderr(papers: Invoke) -> None:
    result = papers("list", "--table")  # CliRunner's stdout is no terminal: --table draws it anyway
    assert result.exit_code == 0, result.output
    for paper_id in ("lora", "qlora", "self-rag", "llava"):
        assert paper_id in result.stdout
    assert "LLaVA:经典的多模态大模型" in result.stdout
    assert result.stderr.strip() == "4 papers"


def test_list_json_is_only_a_json_array_with_model_keys_and_arxiv(papers: Invoke) -> None:
    result = papers("list", "--json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert [r["id"] for r in records] == ["lora", "qlora", "self-rag", "llava"]
    lora = records[0]
    assert lora["arxiv"] == "2106.09685"
    assert set(lora) == {
        "id",
        "kind",
        "title",
        "title_zh",
        "authors",
        "institutions",
        "year",
        "venue",
        "url",
        "code",
        "tags",
        "summary",
        "note",
        "arxiv",
    }


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--tag", "PEFT"], ["lora", "qlora"]),
        (["--tag", "peft"], ["lora", "qlora"]),
        (["-t", "检索增强生成"], ["self-rag"]),
        (["--tag", "RAG", "--tag", "QA"], ["self-rag"]),
        (["--tag", "RAG", "--tag", "PEFT"], []),
        (["--institution", "washington"], ["qlora", "self-rag"]),
        (["-i", "微软"], ["lora", "llava"]),
        (["--year", "2021"], ["lora"]),
        (["--since", "2022"], ["qlora", "self-rag", "llava"]),
        (["--until", "2021"], ["lora"]),
        (["--since", "2021", "--until", "2021"], ["lora"]),
        (["--venue", "neurips"], ["qlora"]),
        (["--author", "dettmers"], ["qlora"]),
        (["--search", "低秩"], ["lora"]),
        (["-q", "QUANTIZED"], ["qlora"]),
        (["-q", "clip 投影层"], ["llava"]),
        (["-q", "clip 量化"], []),
        (["--list", "starter"], ["qlora", "lora", "llava"]),
        (["--list", "starter", "--tag", "PEFT"], ["qlora", "lora"]),
        (["--sort", "year"], ["lora", "llava", "qlora", "self-rag"]),
        (["--sort", "year", "--reverse"], ["self-rag", "qlora", "llava", "lora"]),
        (["--sort", "title"], ["lora", "qlora", "self-rag", "llava"]),
        (["--sort", "id", "--limit", "2"], ["llava", "lora"]),
    ],
)
def test_filters_sorting_and_limits(papers: Invoke, args: list[str], expected: list[str]) -> None:
    result = papers("list", "--json", *args)
    assert result.exit_code == 0, result.output
    assert json_ids(result.stdout) == expected


def test_limit_reports_how_many_were_cut(papers: Invoke) -> None:
    result = papers("list", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "1 of 4 papers"


def test_unknown_tag_is_a_usage_error_with_suggestions(papers: Invoke) -> None:
    result = papers("list", "--tag", "PEFTT")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "unknown tag 'PEFTT'" in result.stderr
    assert "'PEFT'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--institution", "nowhere-university"], "no institution matches 'nowhere-university'"),
        (["--list", "must-reed"], "unknown reading list 'must-reed'"),
        (["--since", "2024", "--until", "2020"], "--since 2024 is after --until 2020"),
    ],
)
def test_bad_filter_values_are_usage_errors(papers: Invoke, args: list[str], message: str) -> None:
    result = papers("list", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("args", [["--sort", "colour"], ["--limit", "0"], ["--year", "soon"]])
def test_invalid_option_values_exit_2(papers: Invoke, args: list[str]) -> None:
    result = papers("list", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_a_paper_with_schema_errors_is_skipped_with_one_warning(papers: Invoke, small_catalog: Path) -> None:
    text = small_catalog.read_text(encoding="utf-8")
    write_catalog(small_catalog, text + '\n[[papers]]\nid = "broken"\ntitle = "Two\\nlines"\nyear = 1800\n')
    result = papers("list", "--json")
    assert result.exit_code == 0, result.output
    assert "broken" not in json_ids(result.stdout)
    assert len(json_ids(result.stdout)) == 4
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "papers check" in warnings[0]


def test_markup_in_titles_is_shown_literally(papers: Invoke, small_catalog: Path) -> None:
    text = small_catalog.read_text(encoding="utf-8").replace(
        'title = "Visual Instruction Tuning"', 'title = "[bold red]Visual[/] Instruction Tuning"'
    )
    write_catalog(small_catalog, text)
    result = papers("list", "--tag", "multimodal")
    assert result.exit_code == 0, result.output
    assert "[bold red]Visual[/] Instruction Tuning" in result.stdout
    assert "\x1b" not in result.stdout


def test_piped_output_has_no_colour_codes(papers: Invoke) -> None:
    result = papers("list")
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout


def test_piped_list_is_one_tab_separated_line_per_paper(papers: Invoke, small_catalog: Path) -> None:
    result = papers("list", "--sort", "id")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    listed = json.loads(papers("list", "--sort", "id", "--json").stdout)
    assert rows == [[p["id"], str(p["year"] or ""), p["title"], ", ".join(p["tags"])] for p in listed]
    assert "│" not in result.stdout


def test_a_tab_or_line_break_in_a_title_cannot_split_a_piped_row(papers: Invoke, small_catalog: Path) -> None:
    text = small_catalog.read_text(encoding="utf-8").replace('title = "LoRA:', 'title = "Lo\\tRA\\u001b[31m:', 1)
    small_catalog.write_text(text, encoding="utf-8")
    result = papers("list")
    assert all(len(line.split("\t")) == 4 for line in result.stdout.splitlines())
    assert "\x1b" not in result.stdout


def test_a_long_table_stops_and_says_how_to_see_more(
    papers: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from papercli.commands import listing

    monkeypatch.setattr(listing, "TABLE_ROWS", 2)
    result = papers("list", "--table")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "2 of 4 papers; --limit 4 shows them all"
    assert papers("list").stdout.count("\n") == 4  # piped output is never cut
