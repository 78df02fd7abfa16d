"""`papers add` through the index: only the end of the catalog is re-read, the index is updated in place
and ends up exactly as a rebuild from the file would make it, and a hand edit meanwhile is never lost."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import papercli.write.cycle
import papercli.write.splice
import papercli.write.transaction
from papercli.catalog import load_catalog
from tests.helpers import Invoke
from tests.test_index import forbid_validation, index_files, make_old


def dump(index: Path) -> dict[str, Any]:
    with sqlite3.connect(index) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('tags', 'institutions', 'problems')"))
        return {
            "papers": conn.execute("SELECT * FROM papers ORDER BY pos").fetchall(),
            "tags": conn.execute("SELECT * FROM paper_tags ORDER BY pos, tag").fetchall(),
            "institutions": conn.execute("SELECT * FROM paper_institutions ORDER BY pos").fetchall(),
            "entries": conn.execute("SELECT * FROM entries ORDER BY section, idx").fetchall(),
            "fts": conn.execute("SELECT rowid FROM fts WHERE fts MATCH 'splice' ORDER BY rowid").fetchall(),
            "meta": {k: json.loads(v) for k, v in meta.items()},
        }


def no_general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole catalog was re-read with tomlkit")

    import papercli.write.edit_session  # binds change_catalog at import: patch it there too, and only now

    monkeypatch.setattr(papercli.write.transaction, "change_catalog", refuse)
    monkeypatch.setattr(papercli.write.edit_session, "change_catalog", refuse)


def trusted_as_written(papers: Invoke, monkeypatch: pytest.MonkeyPatch, catalog: Path) -> None:
    """The index a write left for a file saved a moment ago (so marked racy, with the hash of what was
    written) is trusted by the next read: the file's bytes hash to what the writer recorded."""
    with monkeypatch.context() as patched:
        forbid_validation(patched)
        assert papers("list", catalog=catalog).exit_code == 0


@pytest.mark.parametrize("style", ["lf", "crlf", "bom"])
@pytest.mark.parametrize("fixture", ["small_catalog", "commented_catalog"])
def test_adds_splice_and_leave_the_index_as_a_rebuild_would(
    papers: Invoke, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, fixture: str, style: str
) -> None:
    catalog: Path = request.getfixturevalue(fixture)
    crlf = style == "crlf"
    if crlf:
        catalog.write_bytes(catalog.read_bytes().replace(b"\n", b"\r\n"))
    if style == "bom":
        catalog.write_bytes("\ufeff".encode() + catalog.read_bytes())
    make_old(catalog)
    assert papers("list", catalog=catalog).exit_code == 0
    no_general_path(monkeypatch)
    adds = [
        ["--title", "Splice one", "--tag", "PEFT", "--url", "https://example.org/one"],
        ["--title", "Splice two", "--new-tag", "splicing", "--new-institution", "Splice Lab", "--year", "2024"],
        ["--title", "Splice three", "--summary", "splice", "--tag", "splicing", "-i", "Splice Lab"],
    ]
    for args in adds:
        result = papers("add", *args, catalog=catalog)
        assert result.exit_code == 0, result.output
    [index] = index_files()
    incremental = dump(index)
    trusted_as_written(papers, monkeypatch, catalog)
    loaded = load_catalog(catalog)
    assert not loaded.errors
    assert [p.id for p in loaded.catalog.papers][-3:] == ["splice-one", "splice-two", "splice-three"]
    assert catalog.read_bytes().startswith("\ufeff".encode()) == (style == "bom")
    assert (b"\r\n" in catalog.read_bytes()) == crlf and (
        catalog.read_bytes().count(b"\n") == catalog.read_bytes().count(b"\r\n")
    ) == crlf
    index.unlink()
    assert papers("list", catalog=catalog).exit_code == 0
    assert dump(index) == incremental


def test_a_duplicate_link_is_refused_through_the_index(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_old(small_catalog)
    assert papers("list").exit_code == 0
    no_general_path(monkeypatch)
    before = small_catalog.read_bytes()
    result = papers("add", "--title", "Again", "--url", "http://www.arxiv.org/pdf/2106.09685v2")
    assert result.exit_code == 1
    assert "'lora'" in result.stderr
    result = papers("add", "--title", "Again", "--id", "qlora")
    assert result.exit_code == 1 and "taken" in result.stderr
    assert small_catalog.read_bytes() == before


def test_a_hand_edit_while_adding_is_kept(papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_old(small_catalog)
    assert papers("list").exit_code == 0
    real = papercli.write.splice._splices
    edits = []

    def edit_by_hand_once(*args: Any) -> Any:
        found = real(*args)
        if not edits:  # someone saves the file in their editor right now, without taking the lock
            text = small_catalog.read_text(encoding="utf-8")
            small_catalog.write_text(text + "\n# a hand-written comment\n", encoding="utf-8")
            edits.append(True)
        return found

    monkeypatch.setattr(papercli.write.splice, "_splices", edit_by_hand_once)
    result = papers("add", "--title", "During an edit")
    assert result.exit_code == 0, result.output
    text = small_catalog.read_text(encoding="utf-8")
    assert "# a hand-written comment" in text and 'title = "During an edit"' in text
    assert not load_catalog(small_catalog).errors


def test_a_catalog_with_errors_takes_the_general_path(papers: Invoke, tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[papers]]\nid = "a"\ntitle = "A"\ntags = ["nope"]\n', encoding="utf-8")
    os.utime(broken, (0, 0))
    result = papers("add", "--title", "B", catalog=broken)
    assert result.exit_code == 2
    assert "this change does not fix" in result.stderr


@pytest.mark.parametrize("style", ["lf", "crlf"])
def test_edits_go_through_the_index_and_leave_it_as_a_rebuild_would(
    papers: Invoke,
    commented_catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    scripted_editor: Any,
    style: str,
) -> None:
    if style == "crlf":
        commented_catalog.write_bytes(commented_catalog.read_bytes().replace(b"\n", b"\r\n"))
    make_old(commented_catalog)
    first = json.loads(papers("list", "--json", catalog=commented_catalog).stdout)
    target = first[0]["id"]
    no_general_path(monkeypatch)
    assert papers("add", "--title", "Splice after", "--summary", "x", catalog=commented_catalog).exit_code == 0
    scripted_editor({"write": "# splice: a longer note\n\nwith 检索 and\nseveral lines\n"})
    result = papers("edit", target, "--note", catalog=commented_catalog)
    assert result.exit_code == 0, result.output
    [index] = index_files()
    incremental = dump(index)
    trusted_as_written(papers, monkeypatch, commented_catalog)
    assert not load_catalog(commented_catalog).errors
    assert load_catalog(commented_catalog).catalog.paper(target).note.startswith("# splice")  # type: ignore[union-attr]
    found = json.loads(papers("search", "检索", "--json", catalog=commented_catalog).stdout)
    assert target in [r["id"] for r in found]
    index.unlink()
    assert papers("list", catalog=commented_catalog).exit_code == 0
    assert dump(index) == incremental


def test_an_edit_with_a_problem_is_reported_as_the_whole_catalog_check_reports_it(
    papers: Invoke, small_catalog: Path, scripted_editor: Any
) -> None:
    make_old(small_catalog)
    assert papers("list").exit_code == 0
    scripted_editor({"replace": ['tags = ["PEFT"]', 'tags = ["no-such-tag"]']}, {"abort": True})
    result = papers("edit", "lora")
    assert result.exit_code != 0
    assert "no-such-tag" in result.stderr
    assert 'tags = ["PEFT"]' in small_catalog.read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["add", "edit"])
def test_an_index_that_cannot_be_updated_is_deleted_and_the_write_stands(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch, scripted_editor: Any, command: str
) -> None:
    import papercli.write.splice_edit

    make_old(small_catalog)
    assert papers("list", catalog=small_catalog).exit_code == 0
    no_general_path(monkeypatch)

    def fail(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(papercli.write.splice, "_shift_entries", fail)
    monkeypatch.setattr(papercli.write.splice_edit, "_shift_entries", fail)
    if command == "add":
        result = papers("add", "--title", "Index gone", catalog=small_catalog)
    else:
        scripted_editor({"write": "# index gone\n"})
        result = papers("edit", "lora", "--note", catalog=small_catalog)
    assert result.exit_code == 0, result.output
    assert index_files() == []  # the next read rebuilds it rather than trust a stale one
    catalog = load_catalog(small_catalog).catalog
    if command == "add":
        assert catalog.paper("index-gone") is not None
    else:
        assert catalog.paper("lora").note.startswith("# index gone")  # type: ignore[union-attr]


@settings(max_examples=60, deadline=None)
@given(
    st.binary(max_size=3000),
    st.sampled_from(["same", "one byte changed", "cut", "longer"]),
    st.integers(0, 2999),
    st.integers(1, 700),
)
def test_holds_tells_a_file_from_the_bytes_read_block_by_block(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, change: str, at: int, block: int
) -> None:
    path = tmp_path_factory.mktemp("holds") / "catalog.toml"
    on_disk = data
    if change == "one byte changed" and data:
        i = at % len(data)
        on_disk = data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1 :]
    elif change == "cut" and data:
        on_disk = data[: at % len(data)]
    elif change == "longer":
        on_disk = data + b"x"
    path.write_bytes(on_disk)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(papercli.write.cycle, "BLOCK", block)  # blocks smaller than the file, and larger
        assert papercli.write.cycle.holds(path, data) == (on_disk == data)
    assert not papercli.write.cycle.holds(path.with_name("missing.toml"), data)
