"""What writes promise on real file systems: FIFOs and device files are not replaced, read-only catalogs
are not changed, owners, groups, modes and line endings are kept, the lock works for everyone who may
write the catalog, a hand edit made during a write is not lost, and temporary files of killed writers
do not pile up."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papercli.write.transaction import TextStyle
from tests.helpers import FIXTURES, EditorScript, Invoke, one_error_line, toml_data

ROOT_ONLY = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
SOMEONE, SOMEONE_ELSE, SHARED_GROUP = 4321, 4322, 4242  # ids nobody on the machine needs to have


def ids_in(catalog: Path) -> list[str]:
    return [p["id"] for p in toml_data(catalog.read_text(encoding="utf-8-sig"))["papers"]]


def null_device(folder: Path) -> Path:
    """A character device like /dev/null, made in `folder` (as root), so no test risks the real one."""
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return node


def read_fifo(fd: int) -> bytes:
    data = b""
    with contextlib.suppress(BlockingIOError):
        while chunk := os.read(fd, 65536):
            data += chunk
    return data


# --- --output and catalogs that are not regular files ---------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_export_into_a_fifo_writes_through_it(papers: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader waits, as `cat pipe` would
    try:
        result = papers("export", "-f", "csv", "-o", str(fifo))
        received = read_fifo(reader)
    finally:
        os.close(reader)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the FIFO was replaced by a file"
    assert received == papers("export", "-f", "csv").stdout.encode()


@ROOT_ONLY
def test_export_into_a_device_writes_in_place(papers: Invoke, tmp_path: Path) -> None:
    device = null_device(tmp_path)
    result = papers("export", "-f", "csv", "-o", str(device))
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(device.stat().st_mode), "the device node was replaced by a regular file"


@ROOT_ONLY
def test_export_into_dev_null_leaves_it_a_device(papers: Invoke, tmp_path: Path) -> None:
    device = null_device(tmp_path)  # the same write on a stand-in first: the real one is never at risk
    assert papers("export", "-f", "csv", "-o", str(device)).exit_code == 0
    if not stat.S_ISCHR(device.stat().st_mode):
        pytest.fail("a device node was replaced by a file; not trying /dev/null")
    result = papers("export", "-f", "csv", "-o", "/dev/null")
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_catalog_is_refused_by_add(tmp_path: Path) -> None:
    fifo = tmp_path / "papers.toml"
    os.mkfifo(fifo)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAPERS_")}
    environment["PAPERS_NO_CACHE"] = "1"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "papercli", "--catalog", str(fifo), "add", "--title", "X"],
            capture_output=True,
            text=True,
            timeout=15,  # a read of the FIFO would wait for a writer for ever
            env=environment,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("add waited on the FIFO instead of refusing it")
    assert result.returncode == 2, result.stderr
    assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@ROOT_ONLY
def test_a_device_as_catalog_is_refused_by_add(papers: Invoke, tmp_path: Path) -> None:
    device = null_device(tmp_path)
    result = papers("add", "--title", "X", catalog=device)
    assert "not a regular file" in one_error_line(result)
    assert result.exit_code == 2
    assert stat.S_ISCHR(device.stat().st_mode)


# --- permissions and ownership ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [["add", "--title", "Segment Anything"], ["edit", "lora"]])
def test_a_read_only_catalog_is_refused(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.setenv("EDITOR", "false")  # edit must refuse before opening the editor
    before = small_catalog.read_bytes()
    small_catalog.chmod(0o444)
    result = papers(*command)
    assert "catalog is read-only; nothing written" in one_error_line(result)
    assert result.exit_code == 1
    assert small_catalog.read_bytes() == before
    assert stat.S_IMODE(small_catalog.stat().st_mode) == 0o444


@ROOT_ONLY
def test_a_write_as_root_keeps_owner_group_and_mode(papers: Invoke, small_catalog: Path) -> None:
    os.chown(small_catalog, SOMEONE, SHARED_GROUP)
    small_catalog.chmod(0o640)
    result = papers("add", "--title", "Segment Anything")
    assert result.exit_code == 0, result.output
    info = small_catalog.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (SOMEONE, SHARED_GROUP, 0o640)
    assert "segment-anything" in ids_in(small_catalog)


@ROOT_ONLY
def test_the_lock_file_takes_mode_and_group_from_the_catalog(papers: Invoke, small_catalog: Path) -> None:
    os.chown(small_catalog, SOMEONE, SHARED_GROUP)
    small_catalog.chmod(0o664)
    assert papers("add", "--title", "Segment Anything").exit_code == 0
    lock = small_catalog.with_name(".papers.toml.lock")
    info = lock.stat()
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (SOMEONE, SHARED_GROUP, 0o664)


@contextlib.contextmanager
def acting_as(uid: int, gid: int) -> Iterator[None]:
    """Run the block with this effective user and group (root only); root again afterwards."""
    groups = os.getgroups()
    os.setgroups([gid])
    os.setegid(gid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
        os.setgroups(groups)


@ROOT_ONLY
def test_a_second_user_of_a_shared_folder_can_take_the_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two users in one group share a setgid folder: the lock file the first one creates must not lock
    the second one out (it was created 0644 and opened read-write)."""
    from papercli.write.adding import add_paper
    from papercli.write.drafts import Draft

    monkeypatch.setenv("PAPERS_NO_CACHE", "1")
    folder = Path(tempfile.mkdtemp(prefix="papers-shared-"))  # not under pytest's root-only tmp folder
    try:
        os.chown(folder, 0, SHARED_GROUP)
        folder.chmod(0o2775)
        catalog = folder / "papers.toml"
        shutil.copy(FIXTURES / "small.toml", catalog)
        os.chown(catalog, SOMEONE, SHARED_GROUP)
        catalog.chmod(0o664)
        add_paper(catalog, Draft(title="Warm Up"))  # as root: imports everything lazily imported
        catalog.with_name(".papers.toml.lock").unlink()
        old_umask = os.umask(0o022)
        try:
            with acting_as(SOMEONE, SHARED_GROUP):
                add_paper(catalog, Draft(title="First User"))
            with acting_as(SOMEONE_ELSE, SHARED_GROUP):
                add_paper(catalog, Draft(title="Second User"))
        finally:
            os.umask(old_umask)
        assert {"first-user", "second-user"} <= set(ids_in(catalog))
    finally:
        shutil.rmtree(folder)


# --- what the file holds -----------------------------------------------------------------------------


def test_a_paper_appended_by_hand_during_add_is_kept(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from papercli.write import transaction

    # The general write path (without a stored index, add re-reads the catalog); the path through the
    # index has its own version of this test in test_write_splice.py.
    monkeypatch.setenv("PAPERS_NO_CACHE", "1")
    validate = transaction.load_catalog_text
    appended = []

    def validate_while_someone_appends(text: str, source: str) -> object:
        if not appended:  # a hand edit lands while `add` is checking its result
            with small_catalog.open("a", encoding="utf-8") as handle:
                handle.write('\n[[papers]]\nid = "by-hand"\ntitle = "Typed by hand"\nsummary = "s"\n')
            appended.append(True)
        return validate(text, source)

    monkeypatch.setattr(transaction, "load_catalog_text", validate_while_someone_appends)
    result = papers("add", "--title", "Segment Anything", "--summary", "s")
    assert result.exit_code == 0, result.output
    assert {"by-hand", "segment-anything"} <= set(ids_in(small_catalog))


def test_a_catalog_that_keeps_changing_during_add_is_one_line_and_loses_nothing(
    papers: Invoke, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from papercli.write import transaction

    monkeypatch.setenv("PAPERS_NO_CACHE", "1")
    validate = transaction.load_catalog_text
    appended: list[str] = []

    def validate_while_someone_keeps_saving(text: str, source: str) -> object:
        appended.append(f"# saved by hand, edit {len(appended) + 1}\n")
        with small_catalog.open("a", encoding="utf-8") as handle:
            handle.write(appended[-1])
        return validate(text, source)

    monkeypatch.setattr(transaction, "load_catalog_text", validate_while_someone_keeps_saving)
    result = papers("add", "--title", "Segment Anything", "--summary", "s")
    assert result.exit_code == 1, result.output
    assert one_error_line(result) == (
        f"error: {small_catalog} kept changing while this change was being made; nothing written; try again"
    )
    text = small_catalog.read_text(encoding="utf-8")
    assert len(appended) >= 2 and all(line in text for line in appended)
    assert "segment-anything" not in ids_in(small_catalog)


def crlf(path: Path) -> bytes:
    data = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    path.write_bytes(data)
    return data


def test_add_keeps_crlf_line_endings(papers: Invoke, small_catalog: Path) -> None:
    before = crlf(small_catalog)
    result = papers("add", "--title", "Segment Anything", "--new-tag", "vision", "--summary", "s")
    assert result.exit_code == 0, result.output
    after = small_catalog.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n"), "LF lines mixed into a CRLF file"
    assert "segment-anything" in ids_in(small_catalog)
    assert after.startswith(before[: before.index(b"[[institutions]]")])


def test_edit_keeps_crlf_line_endings(papers: Invoke, small_catalog: Path, scripted_editor: EditorScript) -> None:
    crlf(small_catalog)
    scripted_editor({"replace": ['venue = "ICLR 2022"', 'venue = "ICLR 2022 (oral)"\nkind = "paper"']})
    result = papers("edit", "lora")
    assert result.exit_code == 0, result.output
    after = small_catalog.read_bytes()
    assert after.count(b"\n") == after.count(b"\r\n"), "LF lines mixed into a CRLF file"


@given(st.lists(st.sampled_from([b"a", b"\r", b"\n", b"\r\n", b"\xef\xbb\xbf"]), max_size=12))
def test_crlf_is_kept_only_where_every_line_break_is_one(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    every = b"\n" in data and all(data[i - 1 : i] == b"\r" for i, byte in enumerate(data) if byte == ord("\n"))
    assert TextStyle.of(data).newline == ("\r\n" if every else "\n")


def test_add_keeps_a_byte_order_mark(papers: Invoke, small_catalog: Path) -> None:
    small_catalog.write_bytes(b"\xef\xbb\xbf" + small_catalog.read_bytes())
    assert papers("add", "--title", "Segment Anything").exit_code == 0
    assert small_catalog.read_bytes().startswith(b"\xef\xbb\xbf# A small catalog")
    assert "segment-anything" in ids_in(small_catalog)


# --- temporary files of killed writers ---------------------------------------------------------------


def leftover(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_text("half a catalog", encoding="utf-8")
    moment = time.time() - age
    os.utime(path, (moment, moment))
    return path


def test_check_mentions_and_the_next_write_removes_a_killed_writers_temporary_file(
    papers: Invoke, small_catalog: Path
) -> None:
    stale = leftover(small_catalog.parent, ".papers.toml.k1ll3d_x.tmp", age=7200)
    unrelated = leftover(small_catalog.parent, ".papers.toml.bak.abcd1234.tmp", age=7200)  # another file's
    checked = papers("check")
    assert checked.exit_code == 0, checked.output
    assert any("warning" in line and stale.name in line for line in checked.stdout.splitlines()), checked.stdout
    assert papers("add", "--title", "Segment Anything", "--summary", "s").exit_code == 0
    assert not stale.exists()
    assert unrelated.exists()
    assert papers("check").stdout == ""


def test_export_removes_only_old_temporary_files_of_its_target(papers: Invoke, tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    old = leftover(tmp_path, ".out.md.0ld0ld0l.tmp", age=7200)
    fresh = leftover(tmp_path, ".out.md.fr35hfr3.tmp", age=1)  # perhaps another export, writing now
    assert papers("export", "-o", str(target)).exit_code == 0
    assert not old.exists() and fresh.exists()
