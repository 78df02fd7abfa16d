"""Rules with one home: an arXiv link means the same to every command, "the same link" means the same
to `add` and `check`, and what a write command accepts, `check` accepts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import Invoke, show_json, write_catalog


@pytest.mark.parametrize(
    "ref",
    [
        "https://arxiv.org/abs/2106.09685",
        "http://arxiv.org/pdf/2106.09685v2.pdf",
        "https://www.arxiv.org/abs/2106.09685/",
        "arxiv.org/html/2106.09685v1",
        "arXiv:2106.09685v3",
        "2106.09685",
    ],
)
def test_show_finds_a_paper_by_any_arxiv_form_add_accepts(papers: Invoke, ref: str) -> None:
    assert show_json(papers, ref)["id"] == "lora"


def check_status(papers: Invoke) -> tuple[int, str]:
    result = papers("check")
    return result.exit_code, result.stdout


@pytest.mark.parametrize(
    "url",
    [
        "https://www.example.org/x",
        "http://example.org/x/",
        "https://Example.org/x",
    ],
)
def test_add_refuses_a_link_check_would_call_the_same(papers: Invoke, small_catalog: Path, url: str) -> None:
    assert papers("add", "--title", "First", "--url", "https://example.org/x").exit_code == 0
    before = small_catalog.read_bytes()
    result = papers("add", "--title", "Second", "--url", url)
    assert result.exit_code == 1, result.output
    assert "already in the catalog as 'first'" in result.stderr
    assert small_catalog.read_bytes() == before
    assert check_status(papers)[0] == 0


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("https://arxiv.org/abs/2301.0001", "looks truncated"),
        ("https://arxiv.org/abs/2313.00001", "has no month 13"),
        ("https://arxiv.org/pdf/2301.00001", "not in the canonical form"),
    ],
)
def test_add_refuses_an_arxiv_link_check_rejects(papers: Invoke, small_catalog: Path, url: str, message: str) -> None:
    before = small_catalog.read_bytes()
    result = papers("add", "--title", "Truncated", "--url", url)
    assert result.exit_code == 2, result.output
    assert "--url: arXiv" in result.stderr and message in result.stderr
    assert small_catalog.read_bytes() == before


def test_add_refuses_control_characters_in_a_note(papers: Invoke, small_catalog: Path, tmp_path: Path) -> None:
    note = write_catalog(tmp_path / "note.md", "look: \x1b]8;;https://evil.example\x07link\x1b]8;;\x07\n")
    before = small_catalog.read_bytes()
    result = papers("add", "--title", "Hostile note", "--note-file", str(note))
    assert result.exit_code == 2, result.output
    assert "--note-file: contains terminal control characters" in result.stderr
    assert small_catalog.read_bytes() == before


@pytest.mark.parametrize("value", ['"2021"', "2021.0", "true"])
def test_year_must_be_an_integer_not_a_lookalike(tmp_path: Path, papers: Invoke, value: str) -> None:
    catalog = write_catalog(tmp_path / "c.toml", f'[[papers]]\nid = "a"\ntitle = "A"\nyear = {value}\n')
    result = papers("check", catalog=catalog)
    assert result.exit_code == 1, result.output
    assert "c.toml:4: error: paper 'a': year: Input should be a valid integer" in result.stdout


def test_strings_are_not_made_from_numbers(tmp_path: Path, papers: Invoke) -> None:
    catalog = write_catalog(tmp_path / "c.toml", '[[papers]]\nid = "a"\ntitle = 2021\n')
    result = papers("check", catalog=catalog)
    assert result.exit_code == 1
    assert "paper 'a': title: Input should be a valid string" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "bibtex", "csv"])
def test_group_by_with_a_format_that_cannot_group_is_a_usage_error(papers: Invoke, fmt: str) -> None:
    result = papers("export", "--format", fmt, "--group-by", "tag")
    assert result.exit_code == 2, result.output
    assert f"--group-by applies to md only, not to --format {fmt}" in result.stderr
    assert result.stdout == ""


# Values a careless or hostile user might type: markup, escapes, line separators, odd links.
_HOSTILE = st.sampled_from(
    [
        "[bold]x[/bold]",
        "\x1b[31mred\x1b[0m",
        "\x9b31m",
        "a\u2028b",
        "tab\there",
        "<script>alert(1)</script>",
        "&amp; R&D",
        "  padded ",
        "line\nbreak",
        "https://www.example.org/x",
        "https://arxiv.org/abs/2106.09685v2",
        "https://arxiv.org/abs/2301.0001",
        "ftp://example.org",
        "日本語 タイトル",
        "",
    ]
)


@settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=_HOSTILE,
    summary=_HOSTILE,
    venue=_HOSTILE,
    author=_HOSTILE,
    url=_HOSTILE,
    note=_HOSTILE,
)
def test_whatever_add_accepts_check_accepts(
    papers: Invoke,
    small_catalog: Path,
    tmp_path: Path,
    title: str,
    summary: str,
    venue: str,
    author: str,
    url: str,
    note: str,
) -> None:
    original = small_catalog.read_bytes()
    note_file = write_catalog(tmp_path / "note.md", note)
    args = ["add", "--title", title or "Fallback", "--summary", summary, "--venue", venue, "--author", author]
    args += ["--url", url, "--note-file", str(note_file)]
    try:
        result = papers(*args)
        assert "Traceback" not in result.output
        if result.exit_code == 0:
            code, report = check_status(papers)
            assert code == 0, f"add wrote what check rejects:\n{report}"
        else:
            assert result.exit_code in (1, 2)
            assert result.stderr.startswith("error: ")
            assert small_catalog.read_bytes() == original
    finally:
        small_catalog.write_bytes(original)


def test_a_plain_add_passes_check(papers: Invoke) -> None:
    # The property above must see successes too: a clean add is one.
    result = papers("add", "--title", "Plain", "--url", "https://example.org/plain", "--summary", "Fine.")
    assert result.exit_code == 0, result.output
    assert check_status(papers)[0] == 0


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["md", "json", "bibtex", "csv"])
def test_exports_are_byte_identical_across_hash_seeds(tmp_path: Path, fmt: str) -> None:
    outputs = []
    for seed in ("1", "2"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERS_")}
        env |= {"PYTHONHASHSEED": seed, "PAPERS_NO_CACHE": "1"}
        run = subprocess.run(
            [sys.executable, "-m", "papercli", "export", "--format", fmt, "--group-by", "tag"]
            if fmt == "md"
            else [sys.executable, "-m", "papercli", "export", "--format", fmt],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        outputs.append(run.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 10_000
