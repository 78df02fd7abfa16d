"""An advisory lock that serialises read-modify-write cycles on one catalog across processes.

The lock is taken on a sidecar file (`.NAME.lock` beside the catalog), not on the catalog itself: the
catalog is replaced by rename on every write, so a lock held on its old inode would protect nothing.
Anyone who may write the catalog may take its lock: the lock file is opened read-only (flock needs no
more), and made with the catalog's mode, owner and group, whoever creates it.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from papercli.errors import LockTimeout, PapersError

DEFAULT_WAIT = 30.0


def lock_path(catalog: Path) -> Path:
    """One lock per file, whichever symlink or relative path names it."""
    target = Path(os.path.realpath(catalog))
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def catalog_lock(catalog: Path, wait: float = DEFAULT_WAIT) -> Iterator[None]:
    """Hold the catalog's write lock; give up with LockTimeout after `wait` seconds."""
    path = lock_path(catalog)
    fd = _open_lock_file(path, catalog)
    try:
        _acquire(fd, catalog, wait)
        try:
            yield
        finally:
            _release(fd)
    finally:
        os.close(fd)


def _open_lock_file(path: Path, catalog: Path) -> int:
    try:
        return os.open(path, _OPEN_FOR_LOCKING)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise PapersError(f"{catalog}: cannot open the lock file {path.name}: {exc.strerror}") from None
    try:
        info: os.stat_result | None = os.stat(catalog)
    except OSError:
        info = None
    mode = info.st_mode & 0o666 if info is not None else 0o666
    try:
        fd = os.open(path, _OPEN_FOR_LOCKING | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:  # another writer made it meanwhile
        return _open_lock_file(path, catalog)
    except OSError as exc:
        raise PapersError(f"{catalog}: cannot create the lock file {path.name}: {exc.strerror}") from None
    if info is not None and hasattr(os, "fchown"):
        with contextlib.suppress(OSError):  # root may give it the owner; a member of the group, the group
            os.fchown(fd, info.st_uid if os.geteuid() == 0 else -1, info.st_gid)
        with contextlib.suppress(OSError):
            os.fchmod(fd, mode)  # the umask narrowed it
    return fd


def _acquire(fd: int, catalog: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    delay = 0.01
    while not _try_lock(fd):
        if time.monotonic() >= deadline:
            raise LockTimeout(
                f"{catalog}: another papers command has held its write lock for {wait:g} s; try again later"
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.2)


try:
    import fcntl

    _OPEN_FOR_LOCKING = os.O_RDONLY

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _release(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows
    import msvcrt

    _OPEN_FOR_LOCKING = os.O_RDWR  # as it always was on Windows (untested there)

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True

    def _release(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
