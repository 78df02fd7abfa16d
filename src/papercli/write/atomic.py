"""Writing files without ever leaving a half-written one behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from papercli.errors import OutputError


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder, fsync, then rename over it.
    The file's permissions are kept when it already exists; a symlink stays a symlink (its target is
    what gets replaced)."""
    path = Path(os.path.realpath(path))
    mode = path.stat().st_mode & 0o7777 if path.exists() and not path.is_dir() else None
    tmp_name = _write_temporary(path, text, mode)
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


def _write_temporary(path: Path, text: str, mode: int | None) -> str:
    """A fully written, fsynced temporary file beside `path`, with `mode` (or the umask's default)."""
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
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp_name, mode)
    except OSError as exc:
        _discard(tmp_name)
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        _discard(tmp_name)
        raise
    return tmp_name


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
