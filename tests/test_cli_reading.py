"""`papers next`, `papers open` and `papers progress`, and the walk through a list they make together."""

from __future__ import annotations

import datetime
import json
import os
import webbrowser
from pathlib import Path

import pytest

from tests.helpers import BUNDLED, Invoke


@pytest.fixture
def log_path() -> Path:
    return Path(os.environ["PAPERS_READING_LOG"])


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Links handed to the web browser (no real browser is ever started)."""
    calls: list[str] = []

    def fake_open(url: str, *args: object, **kwargs: object) -> bool:
        calls.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", fake_open)
    return calls


def progress_json(papers: Invoke, *args: str, **kwargs: object) -> dict[str, object]:
    result = papers("progress", "--json", *args, **kwargs)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def test_from_next_to_open_to_mark_to_progress_on_the_bundled_catalog(
    papers: Invoke, opened: list[str], log_path: Path
) -> None:
    catalog_before = BUNDLED.read_bytes()
    first = json.loads(papers("next", "--list", "must-read", "--json", catalog=None).stdout)
    assert (first["item"], first["paper"]["id"], first["status"]) == ("1.1", "gpt-1", "to-read")
    card = papers("next", "--list", "must-read", catalog=None)
    assert "must-read 1.1" in card.stdout
    assert "gpt-1" in card.stdout
    assert "papers open gpt-1" in card.stderr

    printed = papers("open", "gpt-1", "--print", catalog=None)
    assert printed.exit_code == 0, printed.output
    page = printed.stdout.strip()
    assert page == first["paper"]["url"]
    assert papers("open", "gpt-1", catalog=None).exit_code == 0
    assert opened == [page]

    before = progress_json(papers, "--list", "must-read", catalog=None)
    assert papers("mark", "gpt-1", "read", catalog=None).exit_code == 0
    after = progress_json(papers, "--list", "must-read", catalog=None)
    (list_before,) = before["lists"]  # type: ignore[misc]
    (list_after,) = after["lists"]  # type: ignore[misc]
    assert list_after["read"] == list_before["read"] + 1
    assert list_after["to_go"] == list_before["to_go"] - 1
    assert list_after["sections"][0]["read"] == 1
    assert after["pace"] == {"last_7_days": 1, "last_30_days": 1}

    second = json.loads(papers("next", "-l", "must-read", "--json", catalog=None).stdout)
    assert (second["item"], second["paper"]["id"]) == ("1.2", "gpt-2")
    assert BUNDLED.read_bytes() == catalog_before
    assert log_path.exists()


def test_next_passes_over_read_and_skipped_but_not_reading(papers: Invoke) -> None:
    # starter: part one = qlora, lora; part two = llava, lora
    assert papers("mark", "qlora", "skipped").exit_code == 0
    assert papers("mark", "lora", "reading").exit_code == 0
    found = json.loads(papers("next", "--json").stdout)
    assert (found["item"], found["paper"]["id"], found["status"]) == ("1.2", "lora", "reading")
    assert papers("mark", "lora", "read").exit_code == 0
    found = json.loads(papers("next", "--json").stdout)
    assert (found["item"], found["section"]["number"], found["paper"]["id"]) == ("2.1", 2, "llava")
    in_part_one = papers("next", "--section", "1", "--json")
    assert in_part_one.stdout == "null\n"
    assert "nothing left in section 1 of 'starter'" in in_part_one.stderr


def test_next_section_out_of_range_is_one_line(papers: Invoke) -> None:
    result = papers("next", "--section", "5")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --section 5: list 'starter' has sections 1 to 2"


@pytest.mark.parametrize(
    ("args", "url"),
    [
        (("lora",), "https://arxiv.org/abs/2106.09685"),
        (("2106.09685", "--pdf"), "https://arxiv.org/pdf/2106.09685"),
        (("lora", "--code"), "https://github.com/microsoft/LoRA"),
    ],
)
def test_open_picks_the_link(papers: Invoke, opened: list[str], args: tuple[str, ...], url: str) -> None:
    printed = papers("open", *args, "--print")
    assert printed.stdout == url + "\n"
    assert opened == []
    result = papers("open", *args)
    assert result.exit_code == 0, result.output
    assert opened == [url]


def test_a_paper_without_the_link_is_a_clear_error(papers: Invoke, opened: list[str]) -> None:
    result = papers("open", "self-rag", "--code")
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: paper 'self-rag' has no code link (it has: page, --pdf)"
    gpt1 = papers("open", "gpt-1", "--pdf", catalog=None)
    assert gpt1.exit_code == 1
    assert "paper 'gpt-1' has no arXiv link, so no PDF link" in gpt1.stderr
    assert opened == []


def test_open_without_a_browser_says_so_and_gives_the_link(papers: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)
    result = papers("open", "lora")
    assert result.exit_code == 1
    assert "no web browser could be opened; the link is https://arxiv.org/abs/2106.09685" in result.stderr


def test_open_refuses_two_kinds_at_once(papers: Invoke, opened: list[str]) -> None:
    result = papers("open", "lora", "--pdf", "--code")
    assert result.exit_code == 2
    assert opened == []


def test_progress_counts_per_section(papers: Invoke) -> None:
    assert papers("mark", "lora", "read").exit_code == 0
    assert papers("mark", "llava", "reading").exit_code == 0
    assert papers("mark", "qlora", "skipped").exit_code == 0
    (starter,) = progress_json(papers)["lists"]  # type: ignore[misc]
    assert {k: starter[k] for k in ("total", "read", "reading", "skipped", "to_go")} == {
        "total": 3,  # lora is in both parts and counts once for the list
        "read": 1,
        "reading": 1,
        "skipped": 1,
        "to_go": 1,
    }
    assert [(s["number"], s["read"], s["reading"], s["to_go"]) for s in starter["sections"]] == [
        (1, 1, 0, 0),
        (2, 1, 1, 1),
    ]
    table = papers("progress")
    assert "1/3 read · 1 reading · 1 to go · 1 skipped" in table.stdout
    assert "Part two" in table.stdout


def test_pace_counts_papers_read_in_the_last_7_and_30_days(papers: Invoke, log_path: Path) -> None:
    now = datetime.datetime.now(datetime.timezone.utc)

    def ago(days: float) -> str:
        return (now - datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    log_path.write_text(
        f'[[papers]]\nid = "lora"\nstatus = "read"\nhistory = [{{ status = "read", at = {ago(2)} }}]\n\n'
        f'[[papers]]\nid = "qlora"\nstatus = "read"\nhistory = [{{ status = "read", at = {ago(20)} }}]\n\n'
        f'[[papers]]\nid = "llava"\nstatus = "read"\nhistory = [{{ status = "read", at = {ago(45)} }}]\n\n'
        f'[[papers]]\nid = "self-rag"\nstatus = "reading"\nhistory = [{{ status = "read", at = {ago(1)} }}, '
        f'{{ status = "reading", at = {ago(0.5)} }}]\n',
        encoding="utf-8",
    )
    assert progress_json(papers)["pace"] == {"last_7_days": 1, "last_30_days": 2}
    assert "pace: 1 read in the last 7 days, 2 read in the last 30 days" in papers("progress").stdout


def test_progress_without_a_log_says_where_it_will_be(papers: Invoke, log_path: Path) -> None:
    result = papers("progress")
    assert result.exit_code == 0, result.output
    assert f"no reading log yet ({log_path})" in result.stderr
    assert "0/3 read" in result.stdout


@pytest.mark.parametrize("command", [("progress",), ("next",), ("mark", "lora", "read")])
def test_a_broken_log_stops_reading_commands_with_one_line(
    papers: Invoke, log_path: Path, command: tuple[str, ...]
) -> None:
    log_path.write_text('[[papers]]\nid = "lora"\nstatus = "read"\nrating = "five"\n', encoding="utf-8")
    before = log_path.read_bytes()
    result = papers(*command)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {log_path}:4: rating: 'five' is not a rating from 1 to 5; the reading log was not changed"
    )
    assert log_path.read_bytes() == before
