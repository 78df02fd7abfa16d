"""`open_index`: the index of a catalog's current version, from the cache folder when it is fresh and
trustworthy, otherwise built (and stored when that is safe)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable
from pathlib import Path

from papercli.index import freshness, location
from papercli.index.reader import CatalogIndex

Warn = Callable[[str], None]


def open_index(catalog: Path, warn: Warn, source: tuple[bytes, os.stat_result] | None = None) -> CatalogIndex:
    """An index of `catalog` as it is now. Problems with the cache folder cost speed, never correctness:
    an untrusted folder or file is left alone (with one warning line), a corrupt or stale index is rebuilt,
    and without a usable folder the index is built in memory. `source`: the file's bytes and `stat` as a
    writer just read them (`catalog.read_source`); a racy index is then confirmed against those bytes
    rather than by reading the file again."""
    try:
        info = os.stat(catalog)  # a path that cannot be a catalog (missing, a symlink loop...) fails here, in one line
    except OSError as exc:
        from papercli.catalog import unreadable

        raise unreadable(catalog, exc) from None
    target = index_target(catalog, warn)
    stamp = freshness.loader_stamp()
    if target is not None and target.exists():
        found = _open_fresh(target, catalog, info, stamp, source)
        if found is not None:
            return found
    return build_index(catalog, target, stamp)


def index_target(catalog: Path, warn: Warn) -> Path | None:
    """Where this catalog's index may be kept, or None (indexes off, or no trustworthy place)."""
    folder = location.cache_dir()
    if folder is None:
        return None
    problem = location.prepare_folder(folder)
    target = location.index_path(folder, catalog) if problem is None else None
    if target is not None:
        problem = location.file_problem(target)
    if problem:
        warn(f"warning: {problem}; ignoring it and indexing the catalog in memory")
        return None
    return target


def _open_fresh(
    target: Path, catalog: Path, info: os.stat_result, stamp: str, source: tuple[bytes, os.stat_result] | None
) -> CatalogIndex | None:
    try:
        conn = sqlite3.connect(target, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        keys = "('stamp', 'catalog', 'fingerprint', 'racy', 'hash')"
        meta = dict(conn.execute(f"SELECT key, value FROM meta WHERE key IN {keys}"))
    except sqlite3.Error:  # not a database, truncated, locked beyond the timeout: rebuild
        with contextlib.suppress(sqlite3.Error):
            conn.close()
        return None
    current = freshness.fingerprint(info)
    fresh = (
        meta.get("stamp") == stamp
        and meta.get("catalog") == os.path.realpath(catalog)
        and meta.get("fingerprint") == freshness.encode(current)
    )
    if fresh and meta.get("racy") == "1":
        fresh = _same_content(catalog, current, meta.get("hash", ""), source)
        if fresh and not freshness.is_racy(current):
            with contextlib.suppress(sqlite3.Error):  # old enough now: trust the fingerprint from here on
                conn.execute("UPDATE meta SET value = '0' WHERE key = 'racy'")
    if not fresh:
        conn.close()
        return None
    return CatalogIndex(conn)


def _same_content(
    catalog: Path, expected: freshness.Fingerprint, digest: str, source: tuple[bytes, os.stat_result] | None
) -> bool:
    try:
        if source is not None:
            data, before = source
            found = freshness.content_hash(data)
        else:  # hashed a block at a time: a read command never holds the whole file (164 MB at 100k papers)
            with open(catalog, "rb") as handle:
                before = os.fstat(handle.fileno())
                found = freshness.file_hash(handle)
        after = os.stat(catalog)
    except Exception:  # noqa: BLE001 - any failure means: not confirmed
        return False
    if freshness.fingerprint(before) != expected or freshness.fingerprint(after) != expected:
        return False
    return found == digest


def build_index(catalog: Path, target: Path | None, stamp: str) -> CatalogIndex:
    """Read and check the catalog and index it: in `target` when given and the file held still while it
    was read, else in memory."""
    from papercli.catalog import read_source

    data, before = read_source(catalog)
    now = time.time_ns()
    try:
        after = os.stat(catalog)
    except OSError:
        after = None
    current = freshness.fingerprint(before)
    held_still = after is not None and freshness.fingerprint(after) == current
    racy = freshness.is_racy(current, now)
    meta = {
        "stamp": stamp,
        "catalog": os.path.realpath(catalog),
        "fingerprint": freshness.encode(current),
        "racy": "1" if racy else "0",
        "hash": freshness.content_hash(data) if racy else "",
    }
    # Only a regular file's fingerprint says whether its content changed (a FIFO's says nothing).
    if target is not None and held_still and stat.S_ISREG(before.st_mode):
        stored = _store(target, data, str(catalog), meta)
        if stored is not None:
            return CatalogIndex(stored)
    return CatalogIndex(_built(":memory:", data, str(catalog), meta))


def _built(where: str | Path, data: bytes, source: str, meta: dict[str, str]) -> sqlite3.Connection:
    from papercli.index.build import write_index

    conn = sqlite3.connect(where, isolation_level=None)
    try:
        if where != ":memory:":
            conn.execute("PRAGMA journal_mode = OFF")  # a half-built temporary file is simply discarded
            conn.execute("PRAGMA synchronous = OFF")
        write_index(conn, data, source, meta)
    except BaseException:
        conn.close()
        raise
    return conn


def _store(target: Path, data: bytes, source: str, meta: dict[str, str]) -> sqlite3.Connection | None:
    """Build into a private temporary file beside `target`, then rename it into place. None when the
    cache folder fails us (the caller builds in memory); a catalog that cannot be read raises."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(fd)
        _built(tmp, data, source, meta).close()
        os.replace(tmp, target)
        return sqlite3.connect(target, isolation_level=None)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
