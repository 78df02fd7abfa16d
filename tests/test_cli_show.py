from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import Invoke, show_json, write_catalog


@pytest.mark.parametrize("ref", ["lora", "LoRA", "2106.09685", "2106.09685v2", "arXiv:2106.09685"])
def test_show_resolves_ids_case_insensitively_and_arxiv_ids(papers: Invoke, ref: str) -> None:
    result = papers("show", ref, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "lora"


def test_show_resolves_a_unique_prefix(papers: Invoke) -> None:
    result = papers("show", "sel", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "self-rag"


def test_show_renders_metadata_lists_and_note(papers: Invoke) -> None:
    result = papers("show", "lora", "--pretty")  # CliRunner's stdout is no terminal: --pretty draws the view anyway
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in (
        "LoRA: Low-Rank Adaptation of Large Language Models",
        "LoRA:低秩适配",
        "Edward J. Hu",
        "Microsoft Research",
        "ICLR 2022",
        "2021",
        "https://arxiv.org/abs/2106.09685",
        "https://github.com/microsoft/LoRA",
        "PEFT",
        "starter 1.2  Part one",
        "动机",
        "旁路低秩分解",
    ):
        assert expected in out, expected
    assert "**" not in out  # the note went through the Markdown renderer


def test_show_json_has_the_same_keys_as_list_json(papers: Invoke) -> None:
    shown = json.loads(papers("show", "qlora", "--json").stdout)
    listed = json.loads(papers("list", "--json").stdout)
    assert shown == next(r for r in listed if r["id"] == "qlora")


def test_ambiguous_ref_lists_candidates_and_exits_1(papers: Invoke) -> None:
    result = papers("show", "l")
    assert result.exit_code == 1
    assert "ambiguous" in result.stderr
    assert "llava" in result.stderr and "lora" in result.stderr
    assert result.stdout == ""


def test_unknown_ref_suggests_close_ids_and_exits_1(papers: Invoke) -> None:
    result = papers("show", "qlroa")
    assert result.exit_code == 1
    assert "no paper matches 'qlroa'" in result.stderr
    assert "did you mean" in result.stderr and "'qlora'" in result.stderr


def test_unknown_ref_suggests_by_title(papers: Invoke) -> None:
    result = papers("show", "Visual Instruction Tuning")
    assert result.exit_code == 1
    assert "'llava'" in result.stderr


@pytest.mark.parametrize("view", [[], ["--pretty"]], ids=["plain", "pretty"])
def test_terminal_escapes_are_stripped_and_markup_is_literal(
    papers: Invoke, small_catalog: Path, view: list[str]
) -> None:
    hostile = (
        '\n[[papers]]\nid = "hostile"\nkind = "project"\n'
        'title = "[bold]Not bold[/] \\u001b[31mred\\u001b[0m"\ntags = ["QA"]\n'
        'summary = "C1 CSI \\u009b31m here and a bell \\u0007 there"\n'
        'note = "OSC \\u001b]8;;https://evil.example\\u0007link\\u001b]8;;\\u0007 and [red]literal[/red]"\n'
    )
    write_catalog(small_catalog, small_catalog.read_text(encoding="utf-8") + hostile)
    result = papers("show", "hostile", *view)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\x9b" not in result.stdout
    assert "[bold]Not bold[/] red" in result.stdout
    assert "[red]literal[/red]" in result.stdout
    assert "evil.example" not in result.stdout


def test_piped_show_is_key_value_lines_then_the_note_as_written(papers: Invoke) -> None:
    result = papers("show", "lora")  # CliRunner's stdout is no terminal
    assert result.exit_code == 0, result.output
    head, separator, note = result.stdout.partition("\n--\n")
    assert separator, result.stdout
    fields = dict(line.split(":\t", 1) for line in head.splitlines())
    assert fields["title"] == "LoRA: Low-Rank Adaptation of Large Language Models"
    assert fields["title_zh"] == "LoRA:低秩适配"
    assert fields["id"] == "lora"
    assert fields["venue"] == "ICLR 2022"
    assert fields["year"] == "2021"
    assert fields["arxiv"] == "2106.09685"
    assert fields["code"] == "https://github.com/microsoft/LoRA"
    assert "Edward J. Hu" in fields["authors"].split(", ")
    assert [line for line in head.splitlines() if line.startswith("lists:")] == [
        "lists:\tstarter 1.2  Part one",
        "lists:\tstarter 2.2  Part two",
    ]
    assert "kind" not in fields  # a paper; only a project says what it is
    assert note.startswith("- **动机**")  # the Markdown as written, not rendered
    assert show_json(papers, "lora")["note"].strip() == note.strip()
