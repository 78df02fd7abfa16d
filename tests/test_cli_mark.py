"""`papers mark`: statuses and ratings in the reading log, never in the catalog."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from papercli.reading_log import load_log
from tests.helpers import BUNDLED, Invoke, one_error_line


@pytest.fixture
def log_path() -> Path:
    return Path(os.environ["PAPERS_READING_LOG"])


def statuses(path: Path) -> dict[str, str]:
    return {e.id: e.status for e in load_log(path).entries}


def test_mark_by_id_prefix_and_arxiv_id(papers: Invoke, small_catalog: Path, log_path: Path) -> None:
    before = small_catalog.read_bytes()
    result = papers("mark", "LoRA", "self", "2304.08485", "read", "--rating", "4")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "marked 3 of 3 papers read, rated 4" in result.stderr
    assert statuses(log_path) == {"lora": "read", "self-rag": "read", "llava": "read"}
    assert {e.rating for e in load_log(log_path).entries} == {4}
    assert small_catalog.read_bytes() == before


def test_marking_again_records_the_change(papers: Invoke, log_path: Path) -> None:
    assert papers("mark", "lora", "reading").exit_code == 0
    result = papers("mark", "lora", "read")
    assert "lora: reading -> read" in result.stderr
    again = papers("mark", "lora", "read")
    assert "lora: already read" in again.stderr
    (entry,) = load_log(log_path).entries
    assert [c.status for c in entry.history] == ["reading", "read"]


def test_mark_a_whole_section(papers: Invoke, log_path: Path) -> None:
    result = papers("mark", "--list", "starter", "--section", "2", "skipped")
    assert result.exit_code == 0, result.output
    assert statuses(log_path) == {"llava": "skipped", "lora": "skipped"}
    assert papers("mark", "-l", "starter", "to-read").exit_code == 0
    assert statuses(log_path) == {"llava": "to-read", "lora": "to-read", "qlora": "to-read"}


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("lora", "nosuchpaper", "read"), 1, "nothing marked: no paper matches 'nosuchpaper'"),
        (("lora", "l", "read"), 1, "'l' is ambiguous"),
        (("lora", "done"), 2, "'done' is not a reading status; use one of: to-read, reading, read, skipped"),
        (("lora", "read", "--rating", "0"), 2, "rating 0 is out of range"),
        (("lora", "read", "--rating", "6"), 2, "rating 6 is out of range"),
        (("read",), 2, "name the papers to mark"),
        (("--section", "1", "read"), 2, "--section needs --list"),
        (("--list", "starter", "--section", "3", "read"), 2, "list 'starter' has sections 1 to 2"),
        (("--list", "nope", "read"), 2, "unknown reading list 'nope'"),
        (("lora", "--list", "starter", "read"), 2, "not both"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    papers: Invoke, log_path: Path, args: tuple[str, ...], code: int, words: str
) -> None:
    assert papers("mark", "qlora", "reading").exit_code == 0
    before = log_path.read_bytes()
    result = papers("mark", *args)
    assert result.exit_code == code, result.output
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert log_path.read_bytes() == before


def test_a_broken_log_is_one_line_and_stays_as_it_was(papers: Invoke, log_path: Path) -> None:
    log_path.write_text('[[papers]]\nid = "lora"\nstatus = "read"\n\n[[papers]]\nid = "qlora"\nstatus = "red"\n')
    before = log_path.read_bytes()
    result = papers("mark", "llava", "read")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {log_path}:7: status: 'red' is not one of to-read, reading, read, skipped; "
        "the reading log was not changed"
    )
    assert log_path.read_bytes() == before


def test_the_bundled_catalog_is_marked_without_being_written(papers: Invoke, log_path: Path) -> None:
    before = BUNDLED.read_bytes()
    result = papers("mark", "constitutional-ai", "2106.09685", "read", catalog=None)
    assert result.exit_code == 0, result.output
    assert statuses(log_path) == {"constitutional-ai": "read", "lora": "read"}
    assert BUNDLED.read_bytes() == before


def test_the_log_location_comes_from_the_environment(
    papers: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "deep" / "folder" / "mine.toml"
    monkeypatch.setenv("PAPERS_READING_LOG", str(elsewhere))
    assert papers("mark", "lora", "reading").exit_code == 0
    assert statuses(elsewhere) == {"lora": "reading"}


def test_without_the_variable_the_log_is_in_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from papercli.reading_log import default_log_path

    monkeypatch.delenv("PAPERS_READING_LOG")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = default_log_path()
    assert path.name == "reading-log.toml"
    assert "papercli" in path.parts
    assert str(path).startswith(str(tmp_path))


def test_the_catalog_is_never_taken_for_the_log(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = small_catalog.read_bytes()
    monkeypatch.setenv("PAPERS_READING_LOG", str(small_catalog))
    result = papers("mark", "lora", "read")
    assert result.exit_code == 2
    assert "names the catalog" in result.stderr
    assert small_catalog.read_bytes() == before


def test_the_next_mark_removes_a_killed_writers_temporary_file_at_once(papers: Invoke, log_path: Path) -> None:
    assert papers("mark", "lora", "reading").exit_code == 0
    # Temporary files as a `mark` killed a second ago leaves them (the log's lock is free again): the next
    # mark holds the lock, so they cannot be another writer's, however young.
    killed = log_path.with_name(f".{log_path.name}.k1ll3d_x.tmp")
    unrelated = log_path.with_name(f".{log_path.name}.bak.abcd1234.tmp")  # another file's
    for leftover in (killed, unrelated):
        leftover.write_text("half a log", encoding="utf-8")
    result = papers("mark", "lora", "read")
    assert result.exit_code == 0, result.output
    assert not killed.exists()
    assert unrelated.exists()
    assert statuses(log_path) == {"lora": "read"}


def edit_by_hand_while_marking(monkeypatch: pytest.MonkeyPatch, log_path: Path, times: int | None) -> list[str]:
    """Make `mark` save a hand edit to the log (as an editor would, without the lock) each time it has read
    the log and is checking its change, the first `times` times (None: every time). Returns the lines
    appended so far."""
    import papercli.write.reading_log

    real = papercli.write.reading_log.parse_log
    appended: list[str] = []

    def parse_while_someone_saves(text: str, source: str) -> object:
        if times is None or len(appended) < times:
            line = f"# saved by hand, edit {len(appended) + 1}\n"
            with log_path.open("a", encoding="utf-8") as handle:
                handle.write(line if appended else f'\n[[papers]]\nid = "qlora"\nstatus = "reading"\n{line}')
            appended.append(line)
        return real(text, source)

    monkeypatch.setattr(papercli.write.reading_log, "parse_log", parse_while_someone_saves)
    return appended


def test_a_hand_edit_saved_during_mark_is_kept(papers: Invoke, log_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert papers("mark", "lora", "reading").exit_code == 0
    appended = edit_by_hand_while_marking(monkeypatch, log_path, times=1)
    result = papers("mark", "lora", "llava", "read")
    assert result.exit_code == 0, result.output
    assert appended, "the hand edit was never made"
    assert statuses(log_path) == {"lora": "read", "qlora": "reading", "llava": "read"}
    assert appended[0] in log_path.read_text(encoding="utf-8")


def test_a_log_that_keeps_changing_is_one_line_and_loses_nothing(
    papers: Invoke, log_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert papers("mark", "lora", "reading").exit_code == 0
    appended = edit_by_hand_while_marking(monkeypatch, log_path, times=None)
    result = papers("mark", "lora", "read")
    assert result.exit_code == 1, result.output
    assert one_error_line(result) == (
        f"error: {log_path} kept changing while this change was being made; nothing written; try again"
    )
    text = log_path.read_text(encoding="utf-8")
    assert len(appended) >= 2 and all(line in text for line in appended)
    assert statuses(log_path) == {"lora": "reading", "qlora": "reading"}


BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(("bom", "newline"), [(True, b"\n"), (False, b"\r\n"), (True, b"\r\n")])
def test_a_byte_order_mark_and_crlf_line_endings_are_read_and_kept(
    papers: Invoke, log_path: Path, bom: bool, newline: bytes
) -> None:
    lines = [b"# written on Windows", b"[[papers]]", b'id = "lora"', b'status = "reading"', b""]
    log_path.write_bytes((BOM if bom else b"") + newline.join(lines))
    listed = papers("list", "--status", "reading", "--json")  # a reader
    assert listed.exit_code == 0, listed.output
    assert [p["id"] for p in json.loads(listed.stdout)] == ["lora"]
    result = papers("mark", "lora", "llava", "read")  # one entry changed, one added
    assert result.exit_code == 0, result.output
    after = log_path.read_bytes()
    assert after.startswith((BOM if bom else b"") + b"# written on Windows" + newline)
    assert after.count(BOM) == (1 if bom else 0)
    assert after.count(b"\n") == after.count(newline), "LF lines mixed into a CRLF log"
    assert statuses(log_path) == {"lora": "read", "llava": "read"}


@pytest.mark.parametrize("command", [("mark", "lora", "read"), ("progress",), ("list", "--status", "read")])
def test_a_log_that_is_not_utf8_names_its_line_and_byte(
    papers: Invoke, log_path: Path, command: tuple[str, ...]
) -> None:
    good = b'# notes\n[[papers]]\nid = "lora"\nstatus = "read"\n'
    damaged = good + b'\n[[papers]]\nid = "qlora"\nstatus = "read"  # caf\xe9\n'  # Latin-1, not UTF-8
    log_path.write_bytes(damaged)
    offset = damaged.index(b"\xe9")
    result = papers(*command)
    assert result.exit_code == 2, result.output
    assert one_error_line(result) == (
        f"error: {log_path}:8: not UTF-8 text: byte 0xe9 at offset {offset}; the reading log was not changed"
    )
    assert log_path.read_bytes() == damaged
