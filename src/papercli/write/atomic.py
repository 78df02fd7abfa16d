"""Writing files without ever leaving a half-written one behind.

A regular file is replaced by rename from a temporary file beside it, keeping its mode, owner and group;
a file nobody may write is not replaced. A FIFO or a character device (`-o /dev/null`, `-o /dev/stdout`)
is written into, as a shell redirection would; other kinds of files are refused. Temporary files that a
killed writer left behind are removed by the next write of the same file.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from papercli.errors import OutputError

STALE_AGE = 3600.0  # seconds: an older temporary file of ours is a killed writer's, not a slow one's
# Bytes given in pieces, written one after the other as if joined: a splice of a large catalog is written
# without first copying the whole file into one new bytes object.
Chunks = Sequence[bytes | memoryview]


def write_atomic(path: Path, text: str | bytes | Chunks, *, locked: bool = False) -> None:
    """Write `text` (or bytes, as they are, or their chunks in order) to `path` via a temporary file in the
    same folder, fsync, then rename over it.
    The file's mode, owner and group are kept when it already exists; a symlink stays a symlink (its
    target is what gets replaced). `locked`: the caller holds the file's write lock, so any temporary
    file of it that is left is a killed writer's, whatever its age."""
    info = _existing(path)
    if info is not None and (stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode)):
        _write_in_place(path, text)
        return
    path = Path(os.path.realpath(path))
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise OutputError(f"{path}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise OutputError(f"{path}: is {file_kind(info.st_mode)}, not a regular file; nothing written")
        if is_read_only(path, info):
            raise OutputError(f"{path}: is read-only; nothing written")
    remove_leftovers(path, 0.0 if locked else STALE_AGE)
    tmp_name = _write_temporary(path, text, info)
    try:
        os.replace(tmp_name, path)
    except OSError as exc:
        _discard(tmp_name)
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    _sync_folder(path)


def write_folder(folder: Path, files: Mapping[str, str]) -> list[Path]:
    """Write `files` ({path relative to `folder`: text}) into `folder`, creating it (and the subfolders
    the paths name) if missing, each file atomically; other files in the folder are left alone. Returns
    the paths written, in order."""
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: exists and is not a folder; choose a folder for the site")
    written = []
    for name, text in files.items():
        path = folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{path.parent}: cannot create folder: {exc.strerror}") from None
        write_atomic(path, text)
        written.append(path)
    return written


def write_new(path: Path, text: str) -> None:
    """Like `write_atomic`, but fail instead of replacing a file that exists (even one created meanwhile)."""
    if path.exists():
        raise OutputError(f"{path}: already exists; choose another path")
    tmp_name = _write_temporary(path, text, None)
    try:
        os.link(tmp_name, path)  # unlike rename, a link never replaces an existing file
    except FileExistsError:
        raise OutputError(f"{path}: already exists; choose another path") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    finally:
        _discard(tmp_name)
    _sync_folder(path)


def is_read_only(path: Path, info: os.stat_result) -> bool:
    """No write permission bit at all (which root would otherwise ignore), or none for this user."""
    return not info.st_mode & 0o222 or not os.access(path, os.W_OK)


def file_kind(mode: int) -> str:
    kinds = {
        "a FIFO": stat.S_ISFIFO,
        "a character device": stat.S_ISCHR,
        "a block device": stat.S_ISBLK,
        "a socket": stat.S_ISSOCK,
        "a directory": stat.S_ISDIR,
    }
    return next((name for name, test in kinds.items() if test(mode)), "a special file")


def leftovers(path: Path) -> list[Path]:
    """Temporary files `write_atomic` made for `path` and that are still there (their writer was killed,
    or is writing right now)."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[a-z0-9_]{{8}}\.tmp")
    try:
        names = os.listdir(path.parent if str(path.parent) else ".")
    except OSError:
        return []
    return sorted(path.with_name(name) for name in names if pattern.fullmatch(name))


def remove_leftovers(path: Path, older_than: float) -> None:
    now = time.time()
    for leftover in leftovers(path):
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime >= older_than:
                leftover.unlink()


def _existing(path: Path) -> os.stat_result | None:
    """What `path` is now (following symlinks), or None when there is nothing there yet."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None


def _chunks(text: str | bytes | Chunks) -> Chunks:
    if isinstance(text, str):
        return (text.encode("utf-8"),)
    return (text,) if isinstance(text, bytes) else text


def _write_in_place(path: Path, text: str | bytes | Chunks) -> None:
    """Write into a FIFO or a device, as `> path` would: it cannot be replaced, only written to."""
    try:
        with open(path, "wb") as handle:
            for chunk in _chunks(text):
                handle.write(chunk)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None


def _write_temporary(path: Path, text: str | bytes | Chunks, original: os.stat_result | None) -> str:
    """A fully written, fsynced temporary file beside `path`, with the mode, owner and group of the file
    it replaces (`original`), else the umask's default mode."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in _chunks(text):
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if original is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        else:
            mode = stat.S_IMODE(original.st_mode)
            _same_owner(tmp_name, original)
        os.chmod(tmp_name, mode)  # after chown, which clears set-id bits
    except OSError as exc:
        _discard(tmp_name)
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        _discard(tmp_name)
        raise
    return tmp_name


def _same_owner(name: str, original: os.stat_result) -> None:
    """Give the new file the old one's owner (root may) and group (its owner may, when a member)."""
    if not hasattr(os, "geteuid") or (original.st_uid, original.st_gid) == (os.geteuid(), os.getegid()):
        return
    uid = original.st_uid if os.geteuid() == 0 else -1
    with contextlib.suppress(OSError):
        os.chown(name, uid, original.st_gid)


def _discard(name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name)


def _sync_folder(path: Path) -> None:
    """Make the rename itself durable (POSIX); best effort where folders cannot be opened."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path.parent if str(path.parent) else ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def refuse_catalog_overwrite(output: Path, catalog: Path) -> None:
    try:
        same = output.exists() and catalog.exists() and output.samefile(catalog)
    except OSError:
        same = False
    if same or output.resolve() == catalog.resolve():
        raise OutputError(f"{output}: refusing to overwrite the catalog itself; choose another --output")
