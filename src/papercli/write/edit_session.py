"""`papers edit`: one paper's entry (or only its note) as a text to edit, checked before it is written.

The session reads the catalog without holding its lock (an editor may stay open for an hour), then writes
through `splice_edit.edit_entry` or `transaction.change_catalog`, which re-read the file under the lock:
changes others made meanwhile to other entries are kept, and a change to this very entry stops the write
instead of being overwritten.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import tomlkit

from papercli.catalog import load_catalog, parse_document, read_text
from papercli.errors import (
    CatalogError,
    ChangedMeanwhile,
    EditInterrupted,
    EditorAborted,
    EditProblems,
    InvalidChange,
    NotFoundError,
    PapersError,
)
from papercli.models import Catalog, Paper
from papercli.query import resolve_ref
from papercli.write import toml_edit
from papercli.write.transaction import Snapshot, change_catalog, ensure_writable

INSTRUCTION_PREFIX = "#: "
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


class Outcome(Enum):
    saved = "saved"
    unchanged = "unchanged"
    aborted = "aborted"


@dataclass(frozen=True)
class EditResult:
    outcome: Outcome
    paper_id: str  # after a saved edit, the id the paper has now


def edit_paper(
    catalog_path: Path,
    ref: str,
    *,
    note_only: bool,
    open_editor: Callable[[Path], None],
    retry: Callable[[list[str]], bool],
) -> EditResult:
    """Edit until the text is valid and written, unchanged, or the user gives up (`retry` returns False)."""
    from papercli.write.drafts import normalise_note  # here: drafts (and arXiv, ids, spelling) is add's
    from papercli.write.splice_edit import edit_entry, entry_of

    ensure_writable(catalog_path)
    found = entry_of(catalog_path, ref)  # from the index: the entry alone, without reading the catalog whole
    if found is not None:
        paper_id, doc = found
    else:
        doc = toml_edit.parse(read_text(catalog_path), str(catalog_path))
        paper_id = _find(load_catalog(catalog_path).catalog, doc, ref)
    original = _current(doc, _index(doc, paper_id), note_only)
    initial = original if note_only else _instructions(paper_id, catalog_path) + original
    buffer = _scratch_file(paper_id, ".md" if note_only else ".toml", initial)
    keep_buffer = False  # once the user has typed something, a failed write must not lose it
    try:
        while True:
            try:
                open_editor(buffer)
            except EditorAborted as exc:
                raise EditorAborted(f"{exc}; your edit is kept in {buffer}" if keep_buffer else str(exc)) from None
            except KeyboardInterrupt:
                keep_buffer = keep_buffer or _changed(buffer, initial)
                kept = f"; your edit is kept in {buffer}" if keep_buffer else ""
                raise EditInterrupted(f"interrupted; nothing written{kept}") from None
            keep_buffer = True  # until it is known to hold nothing new (it may not even be UTF-8)
            edited = _read_buffer(buffer)
            keep_buffer = edited != initial
            body = normalise_note(edited) if note_only else _strip_instructions(edited)
            if edited == initial or body == original:
                keep_buffer = False
                return EditResult(Outcome.unchanged, paper_id)
            if not note_only and not body.strip():
                keep_buffer = False
                return EditResult(Outcome.aborted, paper_id)
            try:
                apply = functools.partial(
                    _apply,
                    paper_id=paper_id,
                    original=original,
                    body=body,
                    edited=edited,
                    buffer=buffer,
                    note_only=note_only,
                )
                saved = edit_entry(catalog_path, paper_id, apply) or change_catalog(catalog_path, apply)
            except InvalidChange as exc:
                messages = [p.without_position() for p in exc.problems]
            except EditProblems as exc:
                messages = exc.messages
            else:
                keep_buffer = False
                return EditResult(Outcome.saved, saved.id)
            if not retry(messages):
                raise PapersError(f"nothing written; your edit is kept in {buffer}")
    finally:
        if not keep_buffer:
            buffer.unlink(missing_ok=True)


def _read_buffer(buffer: Path) -> str:
    """What the editor saved. Text it saved in another encoding is kept for the user, never decoded wrongly."""
    try:
        return buffer.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PapersError(
            f"the editor saved your edit in an encoding other than UTF-8 (byte {exc.start}); nothing written; "
            f"save it as UTF-8 to use it; your edit is kept in {buffer}"
        ) from None
    except OSError as exc:
        raise PapersError(f"cannot read the edited file {buffer}: {exc.strerror}; nothing written") from None


def _changed(buffer: Path, initial: str) -> bool:
    """Whether the editor saved anything into the scratch file (when in doubt: yes, keep it)."""
    try:
        return buffer.read_bytes() != initial.encode("utf-8")
    except OSError:
        return True


def _find(catalog: Catalog, doc: tomlkit.TOMLDocument, ref: str) -> str:
    """The id `ref` names. A paper left out of the catalog for schema errors is found by its exact id,
    so that `papers edit` can fix it."""
    try:
        return resolve_ref(catalog, ref).id
    except NotFoundError as not_found:
        wanted = ref.strip().lower()
        try:
            _index(doc, wanted)
        except CatalogError:
            raise not_found from None
        return wanted


def _current(doc: tomlkit.TOMLDocument, index: int, note_only: bool) -> str:
    """What the user edits, as it is in `doc`: the entry's lines, or its note."""
    if note_only:
        return str(doc["papers"][index].get("note", ""))
    return toml_edit.entry_text(doc, "papers", index)


def _apply(
    snapshot: Snapshot, paper_id: str, original: str, body: str, edited: str, buffer: Path, note_only: bool
) -> Paper:
    try:
        index = _index(snapshot.doc, paper_id)
    except CatalogError:
        raise ChangedMeanwhile(
            f"paper {paper_id!r} was removed while you were editing; your edit is kept in {buffer}"
        ) from None
    if _current(snapshot.doc, index, note_only) != original:
        raise ChangedMeanwhile(
            f"paper {paper_id!r} was changed by someone else while you were editing; "
            f"nothing written; your edit is kept in {buffer}"
        )
    if note_only:
        entry = dict(snapshot.doc["papers"][index].unwrap())
        entry["note"] = body
        intended = _validated(entry, lambda field: f"paper {paper_id!r}: {field}")
        toml_edit.set_value(snapshot.doc, "papers", index, "note", body or None)
        return intended
    intended = _check_entry(edited, buffer)
    toml_edit.replace_entry(snapshot.doc, "papers", index, body)
    return intended


def _check_entry(edited: str, buffer: Path) -> Paper:
    """The paper the edited text describes; problems are located by line in the edited file."""
    try:
        data = parse_document(edited, str(buffer))
    except PapersError as exc:
        raise EditProblems([str(exc)]) from None
    lines = edited.split("\n")
    return _validated(data, lambda field: f"{buffer}:{_key_line(lines, field)}: {field}")


def _validated(data: dict[str, Any], where: Callable[[str], str]) -> Paper:
    from papercli.validation import validate

    paper, errors = validate(Paper, data)
    if paper is None:
        raise EditProblems([f"{where(e.field)}: {e.message}" for e in errors])
    return paper


def _key_line(lines: list[str], field: str) -> int:
    key = field.split(".")[0]
    for number, line in enumerate(lines, start=1):
        match = _KEY_LINE.match(line)
        if match and match.group(1) == key:
            return number
    return 1


def _index(doc: tomlkit.TOMLDocument, paper_id: str) -> int:
    return toml_edit.entry_index(doc, "papers", "id", paper_id)


def _instructions(paper_id: str, catalog_path: Path) -> str:
    lines = [
        f"Editing paper {paper_id!r} of {catalog_path}.",
        "Save and close the editor to write it back; it is checked first.",
        "Empty the file (or exit the editor with an error) to abort. Lines starting with '#:' are dropped.",
    ]
    return "".join(f"{INSTRUCTION_PREFIX}{line}\n" for line in lines)


def _strip_instructions(text: str) -> str:
    marker = INSTRUCTION_PREFIX.strip()
    return "\n".join(line for line in text.split("\n") if not line.startswith(marker))


def _scratch_file(paper_id: str, suffix: str, text: str) -> Path:
    """A new file in the temporary folder, named after the paper. The id may come from an entry with
    schema errors, so only its safe characters go into the name: it cannot climb out of the folder."""
    safe = re.sub(r"[^a-z0-9-]+", "_", paper_id.lower())[:40].strip("_") or "paper"
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix=f"papers-{safe}-", suffix=suffix, delete=False, newline="\n"
    )
    with handle:
        handle.write(text)
    return Path(handle.name)
