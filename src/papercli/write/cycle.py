"""One read-modify-write cycle on a file that people also edit by hand, tried again when they do.

Writers serialise among themselves with the file's lock, but someone editing the file in an editor takes
no lock. So a writer reads the file under the lock, makes and checks its change, and just before the
atomic replace confirms the file is still what it read (`holds`); if it is not, it returns `AGAIN` and the cycle
starts over from the new version, rather than rename over the hand edit. Every writer of the catalog and
of the reading log runs its cycles through `until_unchanged`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from papercli.errors import KeptChanging
from papercli.write.lock import catalog_lock

ATTEMPTS = 3  # cycles to try when the file keeps changing under a change
T = TypeVar("T")


class Again:
    """What a cycle returns when the file changed since it read it: nothing was written; start again."""


AGAIN = Again()


def until_unchanged(path: Path, cycle: Callable[[], T | Again]) -> T:
    """Run `cycle` under `path`'s write lock until it returns something other than `AGAIN`, at most
    ATTEMPTS times (the lock is let go between tries); a file that keeps changing raises KeptChanging."""
    for _attempt in range(ATTEMPTS):
        with catalog_lock(path):
            result = cycle()
        if not isinstance(result, Again):
            return result
    raise KeptChanging(f"{path} kept changing while this change was being made; nothing written; try again")


BLOCK = 1 << 20


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data`: compared a block at a time, so a large catalog is
    not read into memory a second time (164 MB at 100k papers)."""
    offset = 0
    try:
        with open(path, "rb") as handle:
            while block := handle.read(BLOCK):
                if not data.startswith(block, offset):
                    return False
                offset += len(block)
    except OSError:
        return False
    return offset == len(data)
