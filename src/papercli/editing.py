"""`papers edit`: one paper's entry (or only its note) as a text to edit, checked before it is written.

The session reads the catalog without holding its lock (an editor may stay open for an hour), then writes
through `store.change_catalog`, which re-reads the file under the lock: changes others made meanwhile to
other entries are kept, and a change to this very entry stops the write instead of being overwritten.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import tomlkit

from papercli import toml_edit
from papercli.authoring import normalise_note
from papercli.catalog import load_catalog_text, parse_document, read_text
from papercli.editor import EditorAborted
from papercli.errors import PapersError
from papercli.models import Paper
from papercli.query import resolve_ref
from papercli.store import InvalidChange, Snapshot, change_catalog, describe, ensure_writable

INSTRUCTION_PREFIX = "#: "
_KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")


class Outcome(Enum):
    saved = "saved"
    unchanged = "unchanged"
    aborted = "aborted"


@dataclass(frozen=True)
class EditResult:
    outcome: Outcome
    paper: Paper


class EditProblems(PapersError):
    """The edited text cannot be written; `messages` say where and why, one per line."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("; ".join(messages))


class ChangedMeanwhile(PapersError):
    exit_code = 1


def edit_paper(
    catalog_path: Path,
    ref: str,
    *,
    note_only: bool,
    open_editor: Callable[[Path], None],
    retry: Callable[[list[str]], bool],
) -> EditResult:
    """Edit until the text is valid and written, unchanged, or the user gives up (`retry` returns False)."""
    ensure_writable(catalog_path)
    text = read_text(catalog_path)
    paper = resolve_ref(load_catalog_text(text, str(catalog_path)).catalog, ref)
    doc = toml_edit.parse(text, str(catalog_path))
    original = paper.note if note_only else toml_edit.entry_text(doc, "papers", _index(doc, paper.id))
    initial = original if note_only else _instructions(paper, catalog_path) + original
    buffer = _scratch_file(paper.id, ".md" if note_only else ".toml", initial)
    keep_buffer = False  # once the user has typed something, a failed write must not lose it
    try:
        while True:
            try:
                open_editor(buffer)
            except EditorAborted as exc:
                raise EditorAborted(f"{exc}; your edit is kept in {buffer}" if keep_buffer else str(exc)) from None
            edited = buffer.read_text(encoding="utf-8")
            keep_buffer = edited != initial
            body = normalise_note(edited) if note_only else _strip_instructions(edited)
            if edited == initial or body == original:
                keep_buffer = False
                return EditResult(Outcome.unchanged, paper)
            if not note_only and not body.strip():
                keep_buffer = False
                return EditResult(Outcome.aborted, paper)
            try:
                apply = functools.partial(
                    _apply, paper=paper, original=original, body=body, edited=edited, buffer=buffer, note_only=note_only
                )
                saved = change_catalog(catalog_path, apply)
            except InvalidChange as exc:
                messages = [describe(p) for p in exc.problems]
            except EditProblems as exc:
                messages = exc.messages
            else:
                keep_buffer = False
                return EditResult(Outcome.saved, saved)
            if not retry(messages):
                raise PapersError(f"nothing written; your edit is kept in {buffer}")
    finally:
        if not keep_buffer:
            buffer.unlink(missing_ok=True)


def _apply(
    snapshot: Snapshot, paper: Paper, original: str, body: str, edited: str, buffer: Path, note_only: bool
) -> Paper:
    current = snapshot.catalog.paper(paper.id)
    if current is None:
        raise ChangedMeanwhile(f"paper {paper.id!r} was removed while you were editing; your edit is kept in {buffer}")
    index = _index(snapshot.doc, paper.id)
    now = current.note if note_only else toml_edit.entry_text(snapshot.doc, "papers", index)
    if now != original:
        raise ChangedMeanwhile(
            f"paper {paper.id!r} was changed by someone else while you were editing; "
            f"nothing written; your edit is kept in {buffer}"
        )
    if note_only:
        toml_edit.set_value(snapshot.doc, "papers", index, "note", body or None)
        return dataclasses.replace(current, note=body)
    intended = _check_entry(edited, buffer)
    toml_edit.replace_entry(snapshot.doc, "papers", index, body)
    return intended


def _check_entry(edited: str, buffer: Path) -> Paper:
    """The paper the edited text describes; problems are located by line in the edited file."""
    from papercli.validation import validate

    try:
        data = parse_document(edited, str(buffer))
    except PapersError as exc:
        raise EditProblems([str(exc)]) from None
    paper, errors = validate(Paper, data)
    if paper is None:
        lines = edited.split("\n")
        raise EditProblems([f"{buffer}:{_key_line(lines, e.field)}: {e.field}: {e.message}" for e in errors])
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


def _instructions(paper: Paper, catalog_path: Path) -> str:
    lines = [
        f"Editing paper {paper.id!r} of {catalog_path}.",
        "Save and close the editor to write it back; it is checked first.",
        "Empty the file (or exit the editor with an error) to abort. Lines starting with '#:' are dropped.",
    ]
    return "".join(f"{INSTRUCTION_PREFIX}{line}\n" for line in lines)


def _strip_instructions(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith(INSTRUCTION_PREFIX.strip()))


def _scratch_file(paper_id: str, suffix: str, text: str) -> Path:
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix=f"papers-{paper_id}-", suffix=suffix, delete=False, newline="\n"
    )
    with handle:
        handle.write(text)
    return Path(handle.name)
