"""When an index may stand in for its catalog file.

The fingerprint is the file's size, modification and change times (ns), inode and device. It is taken
from the open file *before* reading and confirmed on the path *after* reading; if they differ the file was
replaced or changed during the read, and what was read is used once but never stored.

A fingerprint alone cannot tell two versions apart that were written within one tick of the file
system's timestamps (1 or 2 s on some file systems) with the same size: git calls such an entry "racily
clean". So when the file's mtime is within `RACY_NS` of the moment it was read, the index records a
content hash as well and marks itself racy; a racy index is trusted only after the file's bytes hash to
the recorded value, and once the file's mtime is old enough the mark is cleared. Hashing costs a full read
(benchmarks/README.md has the figures), so it is done only for racy files; the fingerprint is a `stat`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

RACY_NS = 2_000_000_000  # the coarsest common timestamp granularity (FAT: 2 s); ext4, APFS: 1 ns

Fingerprint = tuple[int, int, int, int, int]


def fingerprint(info: os.stat_result) -> Fingerprint:
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev)


def encode(value: Fingerprint) -> str:
    return ",".join(str(part) for part in value)


def is_racy(value: Fingerprint, now_ns: int | None = None) -> bool:
    """Whether a later write could leave the same fingerprint: the mtime is too close to now."""
    now = time.time_ns() if now_ns is None else now_ns
    return now - value[1] < RACY_NS


def content_hash(data: bytes | Iterable[bytes | memoryview]) -> str:
    """The hash of the file's bytes, given whole or as the chunks it was written in (the same hash)."""
    import hashlib  # only racy files are hashed

    digest = hashlib.sha1(usedforsecurity=False)
    for chunk in [data] if isinstance(data, bytes) else data:
        digest.update(chunk)
    return digest.hexdigest()


def file_hash(handle: BinaryIO) -> str:
    """`content_hash` of what `handle` reads to its end, read and hashed a block at a time."""
    return content_hash(iter(lambda: handle.read(1 << 20), b""))


def loader_stamp() -> str:
    """What else decides the index's content: its format, papercli's version and the loader's sources
    (so an index built by other code is rebuilt, during development too)."""
    from papercli import __version__
    from papercli.index.schema import FORMAT

    here = Path(__file__).resolve().parents[1]
    files = ("models.py", "catalog.py", "validation.py", "index/build.py", "index/fts.py", "index/schema.py")
    mtimes = []
    for name in files:
        try:
            mtimes.append(str((here / name).stat().st_mtime_ns))
        except OSError:
            mtimes.append("-")
    return f"{FORMAT}|{__version__}|" + ",".join(mtimes)
