"""Reading lists shown as written (`list --list`), status filters and rating sort on `list` and `export`,
task-list export, and `show` naming the list sections a paper sits in."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papercli.catalog import load_catalog
from papercli.reading_log import STATUSES, parse_log
from tests.helpers import BUNDLED, Invoke, json_ids


@pytest.fixture
def log_path() -> Path:
    return Path(os.environ["PAPERS_READING_LOG"])


def must_read_sections() -> list[tuple[str, list[str]]]:
    """The must-read list's sections as the catalog file declares them (read with tomllib, not papercli)."""
    import tomllib

    data = tomllib.loads(BUNDLED.read_text(encoding="utf-8"))
    (must_read,) = [rl for rl in data["lists"] if rl["id"] == "must-read"]
    return [(s["title"], s["papers"]) for s in must_read["sections"]]


def test_the_must_read_list_at_80_columns_shows_its_parts_numbered_and_ids_whole(
    papers: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = papers("list", "--list", "must-read", catalog=None)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    sections = must_read_sections()
    assert len(sections) == 7
    headers = [line for line in lines if re.match(r"^\d+  \S", line)]
    assert [h.split("  ", 1)[0] for h in headers] == [str(n) for n in range(1, 8)]
    for (title, _), header in zip(sections, headers, strict=True):
        assert title.startswith(header.split("  ", 1)[1].strip()[:6])
    rows = [line.split() for line in lines if re.match(r"^\s*\d+\.\d+\s", line)]
    numbers = [row[0] for row in rows]
    ids = [row[1] for row in rows]
    expected_ids = [pid for _, pids in sections for pid in pids]
    assert ids == expected_ids  # every id whole, on its row, in the list's order
    assert numbers[:3] == ["1.1", "1.2", "1.3"]
    assert sum(n.startswith("2.") for n in numbers) == len(sections[1][1])
    assert "2.32" not in numbers and "2.33" in numbers  # item 2.32 of the source has no entry: numbers keep
    assert "constitutional-ai" in ids
    assert "[ ]" not in result.stdout  # no reading log yet: no status marks


def test_status_marks_appear_once_there_is_a_log(papers: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert papers("mark", "gpt-1", "read", catalog=None).exit_code == 0
    assert papers("mark", "gpt-2", "reading", catalog=None).exit_code == 0
    assert papers("mark", "gpt-3", "skipped", catalog=None).exit_code == 0
    lines = papers("list", "--list", "must-read", catalog=None).stdout.splitlines()
    rows = [m.groups() for line in lines if (m := re.match(r"^\s*1\.\d+\s+(\[.\])\s+(\S+)", line))]  # part 1
    marks = {paper_id: mark for mark, paper_id in rows}
    assert marks["gpt-1"] == "[x]"
    assert marks["gpt-2"] == "[~]"
    assert marks["gpt-3"] == "[-]"
    assert marks["instructgpt"] == "[ ]"


def test_the_flat_table_never_wraps_an_id_at_80_columns(papers: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = papers("list", "--year", "2022", "--sort", "id", "--table", catalog=None)
    assert result.exit_code == 0, result.output
    ids = json_ids(papers("list", "--year", "2022", "--sort", "id", "--json", catalog=None).stdout)
    cells = [line.split("│") for line in result.stdout.splitlines()]
    first_cells = [row[1].strip() for row in cells if len(row) > 2 and row[1].strip()]
    assert first_cells == ids  # each id whole on its own row, no piece of one on the next
    assert "constitutional-ai" in ids


def test_filter_list_then_section_keeps_numbers(papers: Invoke) -> None:
    # starter: part one = qlora, lora; part two = llava, lora
    result = papers("list", "--list", "starter", "--tag", "PEFT")
    rows = [line.split()[:2] for line in result.stdout.splitlines() if re.match(r"^\s*\d+\.\d+\s", line)]
    assert rows == [["1.1", "qlora"], ["1.2", "lora"], ["2.2", "lora"]]
    assert "Part two" in result.stdout


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("read",), ["lora"]),
        (("reading", "skipped"), ["qlora", "llava"]),
        (("unread",), ["qlora", "self-rag"]),
        (("to-read",), ["self-rag"]),
        (("unread", "read"), ["lora", "qlora", "self-rag"]),
    ],
)
def test_status_filter(papers: Invoke, statuses: tuple[str, ...], expected: list[str]) -> None:
    assert papers("mark", "lora", "read").exit_code == 0
    assert papers("mark", "qlora", "reading").exit_code == 0
    assert papers("mark", "llava", "skipped").exit_code == 0
    args = [a for s in statuses for a in ("--status", s)]
    listed = papers("list", *args, "--json")
    assert listed.exit_code == 0, listed.output
    assert json_ids(listed.stdout) == expected
    exported = papers("export", "--format", "json", *args)
    assert [p["id"] for p in json.loads(exported.stdout)["papers"]] == expected


def test_status_filter_without_a_log_counts_every_paper_as_to_read(papers: Invoke) -> None:
    assert json_ids(papers("list", "--status", "unread", "--json").stdout) == ["lora", "qlora", "self-rag", "llava"]
    assert json_ids(papers("list", "--status", "read", "--json").stdout) == []


def test_a_bad_status_is_one_line(papers: Invoke) -> None:
    for command in ("list", "export"):
        result = papers(command, "--status", "finished")
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            "error: --status 'finished': use one of to-read, reading, read, skipped, unread"
        )


def test_sort_by_rating_best_first_unrated_last(papers: Invoke) -> None:
    assert papers("mark", "llava", "read", "--rating", "5").exit_code == 0
    assert papers("mark", "lora", "read", "--rating", "2").exit_code == 0
    assert papers("mark", "self-rag", "reading").exit_code == 0
    assert json_ids(papers("list", "--sort", "rating", "--json").stdout) == ["llava", "lora", "qlora", "self-rag"]
    reverse = papers("list", "--sort", "rating", "--reverse", "--json").stdout
    assert json_ids(reverse) == ["lora", "llava", "qlora", "self-rag"]


def test_export_checkboxes_writes_a_task_list_per_section(papers: Invoke, tmp_path: Path) -> None:
    assert papers("mark", "lora", "read").exit_code == 0
    assert papers("mark", "llava", "skipped").exit_code == 0
    out = tmp_path / "starter.md"
    result = papers("export", "--format", "md", "--list", "starter", "--checkboxes", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    sections = text.split("\n## ")[1:]
    assert [s.splitlines()[0] for s in sections] == ["1. Part one", "2. Part two"]
    tasks = [[line for line in s.splitlines() if line.startswith("- [")] for s in sections]
    assert [t[:5] for t in tasks[0]] == ["- [ ]", "- [x]"]
    assert [t[:5] for t in tasks[1]] == ["- [x]", "- [x]"]
    assert tasks[0][0].startswith("- [ ] 1.1 [QLoRA")
    assert "`lora`" in tasks[0][1] and tasks[0][1].startswith("- [x] 1.2 ")
    assert tasks[1][0].endswith("(skipped)")
    assert "1 of 3 papers read." in text


@pytest.mark.parametrize(
    "args",
    [
        ("--checkboxes",),
        ("--format", "json", "--list", "starter", "--checkboxes"),
        ("-l", "starter", "-g", "tag", "--checkboxes"),
    ],
)
def test_checkboxes_need_markdown_and_a_list(papers: Invoke, args: tuple[str, ...]) -> None:
    result = papers("export", *args)
    assert result.exit_code == 2
    assert "--checkboxes makes a Markdown task list of one reading list" in result.stderr


@pytest.mark.parametrize(
    ("view", "label"), [([], r"reading:\t"), (["--pretty"], r"reading\s+")], ids=["plain", "pretty"]
)
def test_show_names_the_sections_and_item_numbers(papers: Invoke, view: list[str], label: str) -> None:
    result = papers("show", "lora", *view)
    assert result.exit_code == 0, result.output
    assert "starter 1.2  Part one" in result.stdout
    assert "starter 2.2  Part two" in result.stdout
    assert not re.search(label + "read", result.stdout)
    assert papers("mark", "lora", "read", "--rating", "3").exit_code == 0
    shown = papers("show", "lora", *view).stdout
    assert re.search(label + r"read, rated 3 \(since \d{4}-\d\d-\d\d\)", shown)


def test_a_broken_log_only_costs_list_and_show_their_marks(papers: Invoke, log_path: Path) -> None:
    log_path.write_text("[[papers]\n", encoding="utf-8")
    listed = papers("list", "--list", "starter")
    assert listed.exit_code == 0
    assert "1.1" in listed.stdout
    assert "TOML syntax error" in listed.stderr and "statuses not shown" in listed.stderr
    assert papers("show", "lora").exit_code == 0
    filtered = papers("list", "--status", "read")
    assert filtered.exit_code == 2
    assert f"error: {log_path}:1" in filtered.stderr


def test_section_gaps_are_validated(tmp_path: Path) -> None:
    from papercli.catalog import load_catalog_text

    text = '[[lists]]\nid = "x"\ntitle = "X"\n[[lists.sections]]\ntitle = "S"\ngaps = [0]\npapers = []\n'
    problems = load_catalog_text(text, "c.toml").problems
    assert any("gaps" in (p.field or "") and "1 or more" in p.message for p in problems)


CATALOG = load_catalog(Path(__file__).parent / "fixtures" / "small.toml").catalog
IDS = [p.id for p in CATALOG.papers]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    log=st.dictionaries(st.sampled_from(IDS), st.sampled_from(STATUSES)),
    wanted=st.lists(st.sampled_from([*STATUSES, "unread"]), min_size=1, max_size=3),
)
def test_a_status_filter_returns_exactly_the_papers_with_that_status(log: dict[str, str], wanted: list[str]) -> None:
    from papercli.query import PaperFilter, select_papers

    text = "".join(f'[[papers]]\nid = "{pid}"\nstatus = "{status}"\n\n' for pid, status in log.items())
    reading_log = parse_log(text, "log.toml")
    selected = {p.id for p in select_papers(CATALOG, PaperFilter(statuses=tuple(wanted)), reading_log)}
    for pid in IDS:
        status = log.get(pid, "to-read")
        wanted_here = status in wanted or ("unread" in wanted and status not in ("read", "skipped"))
        assert (pid in selected) == wanted_here, (pid, status, wanted)


@settings(max_examples=60, deadline=None)
@given(ratings=st.dictionaries(st.sampled_from(IDS), st.integers(1, 5)), reverse=st.booleans())
def test_sort_by_rating_orders_rated_papers_and_keeps_the_rest_last(ratings: dict[str, int], reverse: bool) -> None:
    from papercli.query import SortKey, sort_papers

    text = "".join(f'[[papers]]\nid = "{pid}"\nstatus = "read"\nrating = {r}\n\n' for pid, r in ratings.items())
    ordered = [p.id for p in sort_papers(CATALOG.papers, SortKey.rating, reverse, parse_log(text, "log.toml"))]
    assert sorted(ordered) == sorted(IDS)
    rated = [ratings[pid] for pid in ordered[: len(ratings)]]
    assert rated == sorted(rated, reverse=not reverse)
    assert ordered[len(ratings) :] == [pid for pid in IDS if pid not in ratings]  # unrated: last, in their order


def test_every_view_numbers_items_past_a_gap_the_same_way(papers: Invoke, tmp_path: Path) -> None:
    catalog = tmp_path / "gaps.toml"
    text = (Path(__file__).parent / "fixtures" / "small.toml").read_text(encoding="utf-8")
    catalog.write_text(text.replace('papers = ["llava", "lora"]', 'gaps = [1, 3]\npapers = ["llava", "lora"]'))
    listed = papers("list", "--list", "starter", catalog=catalog)
    rows = [line.split()[:2] for line in listed.stdout.splitlines() if re.match(r"^\s*\d+\.\d+\s", line)]
    assert rows == [["1.1", "qlora"], ["1.2", "lora"], ["2.2", "llava"], ["2.4", "lora"]]
    shown = papers("show", "lora", catalog=catalog).stdout
    assert "starter 2.4  Part two" in shown
    checklist = papers("export", "-l", "starter", "--checkboxes", catalog=catalog).stdout
    assert "- [ ] 2.2 [Visual Instruction Tuning]" in checklist
    site = tmp_path / "site"
    assert papers("export", "-f", "html", "-l", "starter", "-o", str(site), catalog=catalog).exit_code == 0
    page = (site / "index.html").read_text(encoding="utf-8")
    assert ">2.4<" in page and ">2.2<" in page and ">2.1<" not in page
    assert json.loads(papers("next", "--section", "2", "--json", catalog=catalog).stdout)["item"] == "2.2"
