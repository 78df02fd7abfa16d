"""Writing files without ever leaving a half-written one behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from papercli.errors import OutputError


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder, fsync, then rename over it.
    The file's permissions are kept when it already exists."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory")
    if not folder.is_dir():
        raise OutputError(f"{path}: folder {folder} does not exist")
    try:
        mode = path.stat().st_mode & 0o7777 if path.exists() else None
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def refuse_catalog_overwrite(output: Path, catalog: Path) -> None:
    try:
        same = output.exists() and catalog.exists() and output.samefile(catalog)
    except OSError:
        same = False
    if same or output.resolve() == catalog.resolve():
        raise OutputError(f"{output}: refusing to overwrite the catalog itself; choose another --output")
