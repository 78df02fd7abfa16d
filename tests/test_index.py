"""The derived index: trusted only when it is the user's own, never stale, always safe to delete."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

import papercli.catalog
import papercli.validation
from papercli.index import freshness
from tests.helpers import EditorScript, Invoke

FOREIGN_UID = 54321


def cache_folder() -> Path:
    return Path(os.environ["PAPERS_CACHE_DIR"])


def index_files() -> list[Path]:
    folder = cache_folder()
    return sorted(folder.glob("*.sqlite3")) if folder.exists() else []


def forbid_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the catalog was validated although its index is fresh")

    monkeypatch.setattr(papercli.validation, "validate", refuse)


def titles(papers: Invoke) -> list[str]:
    result = papers("list", "--json")
    assert result.exit_code == 0, result.output

    return [p["title"] for p in json.loads(result.stdout)]


def make_old(path: Path) -> None:
    """Age the file's mtime past the racy window, as if it had been saved a while ago."""
    past = path.stat().st_mtime_ns - 10 * freshness.RACY_NS
    os.utime(path, ns=(past, past))


def test_a_fresh_index_answers_without_checking_the_catalog_again(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_old(small_catalog)
    first = titles(papers)
    assert len(index_files()) == 1
    forbid_validation(monkeypatch)
    assert titles(papers) == first
    assert papers("show", "lora").exit_code == 0


def test_the_index_folder_is_private_and_its_files_are_the_users(
    papers: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fresh" / "papercli"
    monkeypatch.setenv("PAPERS_CACHE_DIR", str(folder))
    old = os.umask(0)
    try:
        assert papers("list").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    [index] = index_files()
    assert stat.S_IMODE(index.stat().st_mode) == 0o600
    assert not list(folder.glob("*.pickle"))


def _plant(papers: Invoke, small_catalog: Path) -> Path:
    make_old(small_catalog)
    assert papers("list").exit_code == 0
    [index] = index_files()
    return index


def _assert_ignored(papers: Invoke, index: Path, reason: str) -> None:
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    result = papers("list", "--tag", "PEFT", "--json")
    assert result.exit_code == 0, result.output
    assert '"lora"' in result.stdout  # the answer comes from the catalog itself
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and reason in warnings[0], result.stderr
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before  # never written


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="planting another user's file needs root")
def test_an_index_owned_by_another_user_is_ignored_and_never_written(papers: Invoke, small_catalog: Path) -> None:
    index = _plant(papers, small_catalog)
    with sqlite3.connect(index) as conn:  # what an attacker would plant: a different answer
        conn.execute("UPDATE papers SET title = 'planted' WHERE id = 'lora'")
    conn.close()
    os.chown(index, FOREIGN_UID, FOREIGN_UID)
    _assert_ignored(papers, index, "belongs to another user")
    assert "planted" not in papers("show", "lora").stdout


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="planting another user's file needs root")
def test_an_index_folder_owned_by_another_user_is_ignored(papers: Invoke, small_catalog: Path) -> None:
    index = _plant(papers, small_catalog)
    os.chown(cache_folder(), FOREIGN_UID, FOREIGN_UID)
    _assert_ignored(papers, index, "belongs to another user")


def test_a_group_writable_index_is_ignored_and_never_written(papers: Invoke, small_catalog: Path) -> None:
    index = _plant(papers, small_catalog)
    index.write_bytes(b"not a database")  # were it read, it would be found corrupt and rebuilt
    os.chmod(index, 0o664)
    _assert_ignored(papers, index, "writable by group or others")


def test_a_world_writable_index_folder_is_ignored(papers: Invoke, small_catalog: Path) -> None:
    index = _plant(papers, small_catalog)
    os.chmod(cache_folder(), 0o777)
    _assert_ignored(papers, index, "writable by group or others")
    assert index_files() == [index]  # nothing new created there either


def test_a_corrupt_index_is_rebuilt(papers: Invoke, small_catalog: Path) -> None:
    index = _plant(papers, small_catalog)
    index.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    assert titles(papers)
    with sqlite3.connect(index) as conn:
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 4
    conn.close()


def test_deleting_the_index_is_safe(papers: Invoke, small_catalog: Path) -> None:
    index = _plant(papers, small_catalog)
    first = titles(papers)
    index.unlink()
    assert titles(papers) == first
    assert index.exists()


def test_no_cache_env_keeps_the_index_in_memory(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERS_NO_CACHE", "1")
    assert titles(papers)
    assert index_files() == []


def _rewrite_title(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text and len(old) == len(new)
    with open(path, "r+", encoding="utf-8") as handle:  # in place: same inode, same size
        handle.write(text.replace(old, new))


def test_a_catalog_replaced_during_a_read_is_read_again_next_time(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_old(small_catalog)
    real_read = papercli.catalog.read_source
    newer = small_catalog.read_text(encoding="utf-8").replace("QLoRA: Efficient", "QLoRA (newer): Efficient")

    def read_then_replace(path: Path) -> tuple[bytes, os.stat_result]:
        read = real_read(path)
        replacement = path.with_name("replacement.toml")
        replacement.write_text(newer, encoding="utf-8")
        os.replace(replacement, path)  # a save lands while the read is still parsing
        monkeypatch.setattr(papercli.catalog, "read_source", real_read)
        return read

    monkeypatch.setattr(papercli.catalog, "read_source", read_then_replace)
    assert not any("(newer)" in t for t in titles(papers))  # that read saw the old version
    assert any(t.startswith("QLoRA (newer)") for t in titles(papers))


def test_two_same_size_saves_within_one_timestamp_tick_are_told_apart(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system with 1-second timestamps, two saves of the same size in one second leave the
    same size, mtime and inode. Simulated here by a fingerprint that sees whole seconds only."""
    real = freshness.fingerprint

    def coarse(info: os.stat_result) -> freshness.Fingerprint:
        size, mtime, _ctime, inode, device = real(info)
        return (size, mtime // 1_000_000_000 * 1_000_000_000, 0, inode, device)

    monkeypatch.setattr(freshness, "fingerprint", coarse)
    saved_at = small_catalog.stat().st_mtime_ns
    assert any(t.startswith("QLoRA: Efficient") for t in titles(papers))
    _rewrite_title(small_catalog, "QLoRA: Efficient", "QLoRA- Efficient")
    os.utime(small_catalog, ns=(saved_at, saved_at))
    assert any(t.startswith("QLoRA- Efficient") for t in titles(papers))
    _rewrite_title(small_catalog, "QLoRA- Efficient", "QLoRA= Efficient")
    os.utime(small_catalog, ns=(saved_at, saved_at))
    assert any(t.startswith("QLoRA= Efficient") for t in titles(papers))


@pytest.mark.parametrize("command", [["add", "--title", "Added later"], ["edit", "lora", "--note"]])
def test_a_write_after_a_same_size_save_within_one_tick_keeps_that_save(
    papers: Invoke,
    small_catalog: Path,
    monkeypatch: pytest.MonkeyPatch,
    scripted_editor: EditorScript,
    command: list[str],
) -> None:
    """A writer confirms a racy index against the bytes it read itself (not a second read): a hand edit
    the fingerprint cannot see is still found, and the write starts from it instead of losing it."""
    real = freshness.fingerprint

    def coarse(info: os.stat_result) -> freshness.Fingerprint:
        size, mtime, _ctime, inode, device = real(info)
        return (size, mtime // 1_000_000_000 * 1_000_000_000, 0, inode, device)

    monkeypatch.setattr(freshness, "fingerprint", coarse)
    scripted_editor({"append": "A line added in the editor.\n"})
    saved_at = small_catalog.stat().st_mtime_ns
    assert any(t.startswith("QLoRA: Efficient") for t in titles(papers))  # indexed, marked racy
    _rewrite_title(small_catalog, "QLoRA: Efficient", "QLoRA- Efficient")
    os.utime(small_catalog, ns=(saved_at, saved_at))
    result = papers(*command)
    assert result.exit_code == 0, result.output
    text = small_catalog.read_text(encoding="utf-8")
    assert "QLoRA- Efficient" in text and "QLoRA: Efficient" not in text
    assert ("Added later" in text) if command[0] == "add" else ("A line added in the editor." in text)
    shown = titles(papers)  # and the index the write left behind describes the file as it is
    assert any(t.startswith("QLoRA- Efficient") for t in shown)
    assert ("Added later" in shown) if command[0] == "add" else True


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_catalog_read_from_a_fifo_is_never_stored(papers: Invoke, small_catalog: Path, tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "catalog.toml"
    os.mkfifo(fifo)
    text = small_catalog.read_text(encoding="utf-8")
    for title in ("QLoRA: Efficient", "QLoRA! Efficient"):  # the same size each time, as a FIFO's stat stays

        def feed(content: str = text.replace("QLoRA: Efficient", title)) -> None:
            with open(fifo, "w", encoding="utf-8") as handle:
                handle.write(content)

        writer = threading.Thread(target=feed)
        writer.start()
        result = papers("list", "--json", catalog=fifo)
        writer.join(timeout=10)
        assert result.exit_code == 0, result.output
        assert any(p["title"].startswith(title) for p in json.loads(result.stdout))
    assert index_files() == []
