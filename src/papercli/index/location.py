"""Where catalog indexes live, and whether a folder or file there may be used.

The folder is $PAPERS_CACHE_DIR, else platformdirs' user cache folder for papercli (~/.cache/papercli on
Linux); PAPERS_NO_CACHE=1 turns indexes off (every command then indexes the catalog in memory). The
folder is created 0700 and index files 0600. A folder or file not owned by the current user, or writable
by group or others, is never read nor written: someone else could have planted or could change it.
"""

from __future__ import annotations

import os
import stat
import zlib
from pathlib import Path

INDEX_SUFFIX = ".sqlite3"


def cache_dir() -> Path | None:
    if os.environ.get("PAPERS_NO_CACHE"):
        return None
    if explicit := os.environ.get("PAPERS_CACHE_DIR"):
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_cache_dir("papercli", appauthor=False))


def index_path(folder: Path, catalog: Path) -> Path:
    """One file per catalog. The name only spreads catalogs over files; the catalog's full path is stored
    inside the index and checked on every open."""
    resolved = os.path.realpath(catalog)
    key = zlib.crc32(resolved.encode("utf-8", "surrogateescape"))
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in catalog.stem)[:40]
    return folder / f"{stem}-{key:08x}{INDEX_SUFFIX}"


def untrusted_reason(info: os.stat_result, what: str, path: Path) -> str | None:
    """Why a folder or file with this `stat` must not be used, or None when it is the user's own."""
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return f"{what} {path} belongs to another user (uid {info.st_uid})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{what} {path} is writable by group or others (mode {stat.S_IMODE(info.st_mode):o})"
    return None


def prepare_folder(folder: Path) -> str | None:
    """Create the folder (0700) if needed. Returns why it must not be used, or None when it is fine."""
    try:
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            try:
                folder.mkdir(mode=0o700)
            except FileExistsError:  # created meanwhile by another papers process: checked below
                pass
            else:
                os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask; make it exact
        info = os.stat(folder)
    except OSError as exc:
        return f"index folder {folder} cannot be used: {exc.strerror}"
    if not stat.S_ISDIR(info.st_mode):
        return f"index folder {folder} is not a folder"
    return untrusted_reason(info, "index folder", folder)


def file_problem(path: Path) -> str | None:
    """Why an existing index file must not be opened (None when it is fine or does not exist)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"index {path} cannot be read: {exc.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return f"index {path} is not a regular file"
    return untrusted_reason(info, "index", path)
