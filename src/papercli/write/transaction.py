"""Changing a catalog file without losing anything.

One change is one cycle: take the catalog's lock, read the file, change its TOML with `toml_edit` (so
every byte outside the changed entry stays), load the whole result exactly as every command loads a
catalog and check it with the same lint `papers check` runs, and only when that finds no new errors replace
the file atomically (unless it was saved by hand meanwhile: then the cycle starts again, see `cycle`). A
change that fails at any step leaves the file as it was.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from papercli.catalog import (
    BOM,
    LoadResult,
    decode_text,
    is_json,
    load_catalog_bytes,
    load_catalog_text,
    read_bytes,
    read_text,
)
from papercli.errors import CatalogError, InvalidChange, OutputError, PapersError, UsageError
from papercli.models import Catalog, Paper
from papercli.problems import Problem
from papercli.write.atomic import file_kind, is_read_only, write_atomic, write_new
from papercli.write.cycle import AGAIN, Again, holds, until_unchanged

if TYPE_CHECKING:
    import tomlkit

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the papercli package
OWN_CATALOG_HINT = (
    "create a catalog of your own with `papers init PATH` (add --bundled to start from a copy of the "
    "bundled one), then pass --catalog PATH or set PAPERS_CATALOG=PATH"
)
NEW_CATALOG = """# A papercli catalog: declare [[tags]] and [[institutions]] once, then [[papers]] use their names.
# Add papers with `papers add`, change them with `papers edit`; `papers check` validates the file.
title = {title}

# [[tags]]
# name = "RAG"
# description = "Retrieval-augmented generation."
# aliases = ["检索增强生成"]
"""


@dataclass(frozen=True)
class Snapshot:
    """The catalog as read under the lock: its editable TOML document and its checked content."""

    doc: tomlkit.TOMLDocument
    catalog: Catalog


def ensure_writable(path: Path) -> None:
    """Refuse catalogs that write commands must not change: JSON exports, the bundled catalog, files
    that are not regular files (a FIFO, a device) and files nobody may write (`chmod 444`)."""
    if is_json(path):
        raise UsageError(f"{path}: write commands change TOML catalogs, not JSON exports")
    if any(_inside(path, folder) for folder in _package_dirs()):
        raise UsageError(f"{path} is the catalog bundled with papercli, which is not changed; {OWN_CATALOG_HINT}")
    try:
        info = os.stat(path)
    except OSError:
        return  # reading it says why
    if not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode):
        raise UsageError(
            f"{path}: is {file_kind(info.st_mode)}, not a regular file; write commands change catalog files"
        )
    if is_read_only(path, info):
        raise OutputError(f"{path}: catalog is read-only; nothing written")


@dataclass(frozen=True)
class TextStyle:
    """How the catalog file writes what TOML does not care about: line breaks and a byte-order mark."""

    newline: str = "\n"
    bom: str = ""

    @classmethod
    def of(cls, data: bytes) -> TextStyle:
        # CRLF when every line break is one (mixed files are left as they are). A first line break that is a
        # bare LF settles it without scanning the whole file (a search for CRLF takes ~17 ms over 16 MB).
        first = data.find(b"\n")
        crlf = first > 0 and data[first - 1] == 13 and data.count(b"\r\n") == data.count(b"\n")
        return cls("\r\n" if crlf else "\n", BOM if data.startswith(BOM.encode()) else "")

    def apply(self, text: str) -> str:
        """`text` (tomlkit writes new lines with LF) with this file's line breaks."""
        return text.replace("\r\n", "\n").replace("\n", self.newline) if self.newline != "\n" else text


def change_catalog(path: Path, change: Callable[[Snapshot], Paper]) -> Paper:
    """Apply `change` (which edits `snapshot.doc` and returns the paper it means to leave) and write.

    The written paper must load back equal to the one `change` returned; otherwise nothing is written."""
    from papercli.write import toml_edit

    ensure_writable(path)
    read_text(path)  # a file that cannot be read (missing, a symlink loop...) is refused before the lock
    source = str(path)

    def cycle() -> Paper | Again:
        data = read_bytes(path)
        text = decode_text(path, data)
        before = load_catalog_bytes(data, source)  # its bytes, as read: not the text encoded again
        doc = toml_edit.parse(text, source)
        intended = change(Snapshot(doc, before.catalog))
        style = TextStyle.of(data)
        new_text = style.apply(doc.as_string())
        _checked(path, source, new_text, before, intended)
        if not holds(path, data):  # saved by hand while this change was being checked
            return AGAIN
        write_atomic(path, style.bom + new_text, locked=True)
        return intended

    return until_unchanged(path, cycle)


def _checked(path: Path, source: str, new_text: str, before: LoadResult, intended: Paper) -> LoadResult:
    """The catalog `new_text` is, if it may be written: no error it did not have, `intended` as entered."""
    after = load_catalog_text(new_text, source)
    after_errors = _errors(after, source)
    if after_errors:
        existing = {p.without_position() for p in _errors(before, source)}
        introduced = [p for p in after_errors if p.without_position() not in existing]
        if introduced:
            raise InvalidChange(introduced)
        # Only problems the file already had (an edit that fixes them all is allowed through).
        raise CatalogError(
            f"{path} has {len(after_errors)} error(s) this change does not fix; nothing written; "
            f"`papers --catalog {path} check` lists them"
        )
    if after.catalog.paper(intended.id) != intended:
        raise PapersError(f"nothing written: paper {intended.id!r} did not read back as entered (a papercli bug)")
    return after


def _errors(result: LoadResult, source: str) -> list[Problem]:
    """Every error `papers check` would report for this catalog: loading's and lint's."""
    from papercli.lint import lint

    return result.errors + [p for p in lint(result.catalog, source, result.locate) if p.is_error]


def create_catalog(path: Path, *, title: str, bundled_text: str | None = None) -> None:
    """A new catalog file at `path`: a minimal valid one, or a copy of the bundled catalog. Never overwrites."""
    import tomlkit

    if is_json(path):
        raise UsageError(f"{path}: `papers init` creates TOML catalogs; choose a name ending in .toml")
    text = bundled_text if bundled_text is not None else NEW_CATALOG.format(title=tomlkit.string(title).as_string())
    result = load_catalog_text(text, str(path))
    if result.errors:
        raise InvalidChange(result.errors)
    write_new(path, text)


def _package_dirs() -> list[Path]:
    """Where papercli's own files live: this package, and its folder in the environment's site-packages
    (an editable install keeps a copy of the bundled catalog there)."""
    import sysconfig

    paths = sysconfig.get_paths()
    return [PACKAGE_DIR] + [Path(paths[key]).resolve() / "papercli" for key in ("purelib", "platlib") if key in paths]


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder)
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (OSError from Python 3.13)
        return False
    return True
