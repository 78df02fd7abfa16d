"""A per-user cache of checked catalogs, so read commands skip parsing and validation when the catalog
file has not changed. Purely an optimisation: any problem reading or writing it means a normal load.

Entries are keyed by the catalog's resolved path and invalidated by its size, mtime and inode, by the
papercli version and by the loader's own source files. Location: $PAPERS_CACHE_DIR, else
$XDG_CACHE_HOME/papercli, else ~/.cache/papercli. PAPERS_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import zlib
from pathlib import Path
from typing import Any

from papercli import __version__

_FORMAT = 1
_LOADER_FILES = ("models.py", "catalog.py", "validation.py", "problems.py")


def cache_dir() -> Path | None:
    if os.environ.get("PAPERS_NO_CACHE"):
        return None
    if explicit := os.environ.get("PAPERS_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "papercli"


def _fingerprint(path: Path) -> tuple[Any, ...] | None:
    try:
        stat = path.stat()
        here = Path(__file__).parent
        loader = tuple((here / name).stat().st_mtime_ns for name in _LOADER_FILES)
    except OSError:
        return None
    return (
        _FORMAT,
        __version__,
        sys.version_info[:2],
        str(path.resolve()),
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ino,
        loader,
    )


def _entry(path: Path) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    # The name only spreads catalogs over files; the full path inside the fingerprint decides a hit.
    key = zlib.crc32(str(path.resolve()).encode("utf-8", "surrogateescape"))
    return folder / f"{key:08x}.pickle"


def read(path: Path) -> Any | None:
    entry = _entry(path)
    fingerprint = _fingerprint(path)
    if entry is None or fingerprint is None:
        return None
    try:
        stored_fingerprint, payload = pickle.loads(entry.read_bytes())
    except (OSError, pickle.PickleError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return payload if stored_fingerprint == fingerprint else None


def write(path: Path, payload: Any) -> None:
    entry = _entry(path)
    fingerprint = _fingerprint(path)
    if entry is None or fingerprint is None:
        return
    import tempfile

    tmp_name = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump((fingerprint, payload), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp_name, entry)
    except (OSError, pickle.PickleError):
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
