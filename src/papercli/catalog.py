"""Reading a catalog file (TOML, or the JSON that `papers export` writes) into a checked `Catalog`.

Loading never stops at the first problem: every entry is validated on its own, problems are collected
with their location, and entries with schema errors are left out so one bad paper cannot take the whole
catalog down. Only a file that cannot be read or parsed at all raises.

A TOML catalog made of `[[section]]` tables (as papercli writes it) is parsed one table at a time: that
is what TOML means by such a text, it lets `papercli.index` build its index paper by paper in little
memory, and it is what a 164 MB catalog needs. Any other shape, or an entry that does not parse on its
own, is parsed as one document, which also gives the parser's own error and position.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from papercli.bundled import bundled_catalog_path as bundled_catalog_path  # its public home was here
from papercli.errors import CatalogError
from papercli.models import Catalog, Institution, Paper, ReadingList, Tag, check_single_line
from papercli.problems import Problem
from papercli.spelling import find_spelled
from papercli.toml_layout import Element, Layout, Span

SECTIONS: dict[str, type] = {
    "tags": Tag,
    "institutions": Institution,
    "lists": ReadingList,
    "papers": Paper,
}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")


@dataclass
class LoadResult:
    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0  # entries left out because of schema errors
    locate: Callable[[str, str | None], int | None] = lambda paper_id, field: None
    # section -> (first line, last line) of each `[[section]]` table in the TOML source, in file order
    spans: dict[str, list[Span]] = field(default_factory=dict)
    raw_ids: list[str | None] = field(default_factory=list)  # the id of each raw [[papers]] entry, valid or not

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def is_json(source: str | Path) -> bool:
    """Whether a catalog file is JSON (what `papers export -f json` writes), by its name, in any case."""
    return str(source).lower().endswith(".json")


def parse_document(text: str, source: str) -> dict[str, Any]:
    """TOML or JSON text -> plain data. Syntax errors raise CatalogError located as file:line:column."""
    if is_json(source):
        import json

        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError(f"{source}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
        except (ValueError, RecursionError) as exc:  # integers over 4300 digits, absurd nesting
            raise CatalogError(f"{source}: cannot parse JSON: {_parser_limit(exc)}") from None
        if not isinstance(data, dict):
            raise CatalogError(f"{source}: a JSON catalog must be an object with a 'papers' array")
        return data
    parser = _toml()
    try:
        document: dict[str, Any] = parser.loads(text)
    except parser.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POSITION.search(message)
        if match:
            where = f"{source}:{match.group(1)}:{match.group(2)}"
        else:  # "(at end of document)"
            where = f"{source}:{text.count(chr(10)) + 1}"
        reason = re.sub(r"\s*\(at [^)]*\)", "", message).strip()
        raise CatalogError(f"{where}: TOML syntax error: {reason}") from None
    except (ValueError, RecursionError) as exc:  # integers over 4300 digits, absurd nesting
        raise CatalogError(f"{source}: cannot parse TOML: {_parser_limit(exc)}") from None
    return document


def _toml() -> ModuleType:
    """The TOML parser: tomli, compiled (mypyc), reads a large catalog 2-3 times as fast as the standard
    library's tomllib (the same parser, pure Python)."""
    import tomli

    return tomli


def _parser_limit(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "values are nested too deeply"
    return str(exc).split(";")[0]


def read_text(path: Path) -> str:
    """The catalog's text. A UTF-8 byte-order mark (which some Windows editors write) is dropped."""
    return decode_text(path, read_bytes(path))


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None


def read_source(path: Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes, and the `stat` of the very file they were read from (taken before reading)."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(path)
            return handle.read(), info
    except OSError as exc:
        raise unreadable(path, exc) from None


def decode_text(path: Path, data: bytes) -> str:
    """A file's text, without the UTF-8 byte-order mark some Windows editors write; bytes that are not
    UTF-8 are named with their line and offset."""
    try:
        return data.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as exc:
        raise not_utf8(path, data, exc) from None


def not_utf8(source: str | Path, data: bytes, exc: UnicodeDecodeError, skipped_bytes: int = 0) -> CatalogError:
    """`data` (the file's bytes after the first `skipped_bytes`) is not UTF-8: the bad byte, located."""
    line = data.count(b"\n", 0, exc.start) + 1
    bad = f"byte 0x{data[exc.start]:02x} at offset {exc.start + skipped_bytes}"
    return CatalogError(f"{source}:{line}: not UTF-8 text: {bad}")


def unreadable(path: Path, exc: OSError) -> CatalogError:
    """Why a catalog file cannot be read, in one line."""
    if isinstance(exc, FileNotFoundError):
        return CatalogError(f"{path}: catalog file not found")
    if isinstance(exc, IsADirectoryError):
        return CatalogError(f"{path}: is a directory, not a catalog file")
    if isinstance(exc, PermissionError):
        return CatalogError(f"{path}: permission denied reading the catalog")
    return CatalogError(f"{path}: cannot read catalog: {exc.strerror or exc}")


def load_catalog(path: Path) -> LoadResult:
    """Load and check a catalog file from its source. (Read commands go through `papercli.index`,
    which keeps the checked result of an unchanged file.)"""
    return load_catalog_bytes(read_bytes(path), str(path))


def load_catalog_text(text: str, source: str) -> LoadResult:
    return load_catalog_bytes(text.encode("utf-8", "surrogatepass"), source)


class PaperSink(Protocol):
    """Where a load hands each checked paper, in catalog order, instead of keeping it."""

    def start(self, vocabulary: Catalog) -> None:
        """Called once before the first paper, with everything but the papers."""

    def add(self, paper: Paper) -> None: ...

    def restart(self) -> None:
        """Forget every paper added: the catalog is being read again, as a whole (`start` follows)."""


class _KeptPapers:
    def __init__(self) -> None:
        self.papers: list[Paper] = []

    def start(self, vocabulary: Catalog) -> None:
        pass

    def add(self, paper: Paper) -> None:
        self.papers.append(paper)

    def restart(self) -> None:
        self.papers.clear()


def load_catalog_bytes(data: bytes, source: str, sink: PaperSink | None = None) -> LoadResult:
    """Load and check a catalog from its bytes. With a `sink`, the papers go there one by one and the
    result's catalog has none, so a TOML catalog of any size is read in little memory: entry by entry,
    when its tables are all `[[section]]` arrays (as `papers` writes them); as one document otherwise."""
    kept = _KeptPapers() if sink is None else None
    target: PaperSink = kept if kept is not None else sink  # type: ignore[assignment]
    if data.startswith(BOM_BYTES):
        data = data[len(BOM_BYTES) :]
        skipped_bytes = len(BOM_BYTES)
    else:
        skipped_bytes = 0
    if is_json(source):
        document = parse_document(_decode(data, source, skipped_bytes), source)
        result = _Builder(source, Layout(b""), target).from_document(document)
    else:
        result = _load_toml(data, source, skipped_bytes, target)
    if kept is not None:
        result.catalog = replace(result.catalog, papers=tuple(kept.papers))
    return result


def _load_toml(data: bytes, source: str, skipped_bytes: int, sink: PaperSink) -> LoadResult:
    layout = Layout(data)
    found = layout.elements()
    if found is not None:
        try:
            return _Builder(source, layout, sink).from_elements(*found)
        except _ReadAsWhole:
            sink.restart()
    document = parse_document(_decode(data, source, skipped_bytes), source)
    return _Builder(source, layout, sink).from_document(document)


def _decode(data: bytes, source: str, skipped_bytes: int = 0) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise not_utf8(source, data, exc, skipped_bytes) from None


class _ReadAsWhole(Exception):
    """An element did not read on its own: the text is read again as one document, which either fails
    with the true location of the problem or (in texts that only look like a series of tables) succeeds."""


def _parse_piece(piece: bytes) -> dict[str, Any]:
    try:
        parsed: dict[str, Any] = _toml().loads(piece.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # TOMLDecodeError is a ValueError
        raise _ReadAsWhole from None
    return parsed


class _Builder:
    def __init__(self, source: str, layout: Layout, sink: PaperSink) -> None:
        self.source = source
        self.layout = layout
        self.sink = sink
        # Problems in the order a reader fixes them: each entry's own, then duplicates, the vocabularies,
        # unknown names, and the lists' references to papers.
        self.problems: list[Problem] = []
        self._duplicates: list[Problem] = []
        self._references: list[Problem] = []
        self.skipped = 0
        self._raw_positions: dict[str, list[int]] = {}  # paper id -> indexes of the raw entries using it
        self._occurrences: dict[str, int] = {}
        self._raw_ids: list[str | None] = []
        self._paper_ids: set[str] = set()
        self._declared: dict[str, set[str]] = {}
        self._vocabularies: dict[str, Sequence[Tag | Institution]] = {}

    def problem(
        self,
        message: str,
        *,
        section: str | None = None,
        index: int | None = None,
        subject: str | None = None,
        field: str | None = None,
        severity: str = "error",
        into: list[Problem] | None = None,
    ) -> None:
        line = None
        if section is not None and index is not None:
            line = self.layout.line(section, index, field)
        (self.problems if into is None else into).append(
            Problem(message, self.source, line, None, subject, field, "warning" if severity == "warning" else "error")
        )

    # -- the two ways in -----------------------------------------------------------------------------------

    def from_document(self, data: dict[str, Any]) -> LoadResult:
        """A catalog parsed as one document."""
        return self._build(list(data), data, {name: data.get(name, []) for name in SECTIONS})

    def from_elements(self, top_end: int, elements: list[Element]) -> LoadResult:
        """A catalog read element by element (see `Layout.elements`); raises _ReadAsWhole when that fails."""
        top = _parse_piece(self.layout.data[:top_end])
        names = [e.section for e in elements]
        if any(name in top for name in names):
            raise _ReadAsWhole  # a key set at the top and again as an array: let the parser say where
        data = self.layout.data

        def entries(name: str) -> Iterator[Any]:
            for element in elements:
                if element.section == name:
                    parsed = _parse_piece(data[element.start : element.stop])
                    if list(parsed) != [name] or not isinstance(parsed[name], list) or len(parsed[name]) != 1:
                        raise _ReadAsWhole
                    yield parsed[name][0]

        for name in dict.fromkeys(names):  # sections nobody reads must still be valid TOML
            if name not in SECTIONS:
                for _ in entries(name):
                    pass
        sections = {name: top[name] if name in top else entries(name) for name in SECTIONS}
        return self._build([*top, *dict.fromkeys(names)], top, sections)

    # -- checking ------------------------------------------------------------------------------------------

    def _build(self, keys: list[str], top: dict[str, Any], sections: dict[str, Any]) -> LoadResult:
        for key in keys:
            if key not in SECTIONS and key != "title":
                self.problem(f"unknown top-level key {key!r} (expected one of: title, " + ", ".join(SECTIONS) + ")")
        title = top.get("title")
        if title is not None:
            reason = check_single_line(title) if isinstance(title, str) else "must be a string"
            if reason:
                self.problem(reason, field="title")
                title = None
        tags: list[Tag] = self._validate_section("tags", sections["tags"])
        institutions: list[Institution] = self._validate_section("institutions", sections["institutions"])
        lists: list[ReadingList] = self._validate_section("lists", sections["lists"])
        self._vocabularies = {"tags": tags, "institutions": institutions}
        self._declared = {key: {item.name for item in items} for key, items in self._vocabularies.items()}
        vocabulary = Catalog(title=title, tags=tuple(tags), institutions=tuple(institutions), lists=tuple(lists))
        self.sink.start(vocabulary)
        self._validate_section("papers", sections["papers"])
        self.problems.extend(self._duplicates)
        self._check_vocabulary("tag", tags)
        self._check_vocabulary("institution", institutions)
        self.problems.extend(self._references)
        self._check_lists(lists)
        spans = self.layout.spans()
        return LoadResult(vocabulary, self.problems, self.skipped, self.locate, spans, self._raw_ids)

    def locate(self, paper_id: str, field: str | None) -> int | None:
        """The line of a paper's table, or of one of its keys, in the source file."""
        positions = self._raw_positions.get(paper_id)
        return self.layout.line("papers", positions[0], field) if positions else None

    def _validate_section(self, name: str, raw: Any) -> list[Any]:
        from papercli.validation import validate

        model = SECTIONS[name]
        if not isinstance(raw, (list, Iterator)):
            self.problem(f"'{name}' must be an array of tables ([[{name}]])", field=name)
            return []
        valid: list[Any] = []
        singular = name.rstrip("s")
        for index, entry in enumerate(raw):
            if name == "papers":
                self._note_raw_paper(index, entry)
            subject = _subject(singular, entry, index)
            if not isinstance(entry, dict):
                self.problem("must be a table", section=name, index=index, subject=subject)
                self.skipped += 1
                continue
            if name == "papers":
                entry = {k: v for k, v in entry.items() if k != "arxiv"}  # derived; present in JSON exports
            value, errors = validate(model, entry)
            for error in errors:
                self.problem(error.message, section=name, index=index, subject=subject, field=error.field)
            if value is None:
                self.skipped += 1
            elif name == "papers":
                self._accept_paper(value)
            else:
                valid.append(value)
        return valid

    def _note_raw_paper(self, index: int, entry: object) -> None:
        raw_id = _raw_id(entry)
        self._raw_ids.append(raw_id)
        if raw_id is not None:
            self._raw_positions.setdefault(raw_id, []).append(index)

    def _accept_paper(self, paper: Paper) -> None:
        """A valid paper: dropped when an earlier one has its id, else checked against the vocabularies
        and handed on."""
        positions = self._raw_positions[paper.id]
        seen = self._occurrences[paper.id] = self._occurrences.get(paper.id, 0) + 1
        if seen > 1:
            first = self.layout.entry_line("papers", positions[0])
            earlier = f" (first used at line {first})" if first else ""
            self.problem(
                f"duplicate id: an earlier paper already uses it{earlier}",
                section="papers",
                index=positions[seen - 1],
                subject=f"paper {paper.id!r}",
                field="id",
                into=self._duplicates,
            )
            self.skipped += 1
            return
        for kind, key in (("tag", "tags"), ("institution", "institutions")):
            for name in getattr(paper, key):
                if name not in self._declared[key]:
                    self.problem(
                        f"{kind} {name!r} is not declared in [[{key}]]" + _alias_hint(name, self._vocabularies[key]),
                        section="papers",
                        index=positions[0],
                        subject=f"paper {paper.id!r}",
                        field=key,
                        into=self._references,
                    )
        self._paper_ids.add(paper.id)
        self.sink.add(paper)

    def _check_vocabulary(self, kind: str, items: Iterable[Tag | Institution]) -> None:
        owner: dict[str, str] = {}
        for item in items:
            for spelling in [item.name, *item.aliases]:
                key = spelling.casefold()
                if key in owner and owner[key] != item.name:
                    self.problem(
                        f"{spelling!r} is already a name or alias of {kind} {owner[key]!r}",
                        subject=f"{kind} {item.name!r}",
                        field="aliases",
                    )
                elif key in owner and spelling == item.name:
                    self.problem(f"{kind} {item.name!r} is declared twice", subject=f"{kind} {item.name!r}")
                owner.setdefault(key, item.name)

    def _check_lists(self, lists: list[ReadingList]) -> None:
        seen: set[str] = set()
        for index, reading_list in enumerate(lists):
            subject = f"list {reading_list.id!r}"
            if reading_list.id in seen:
                self.problem("duplicate list id", section="lists", index=index, subject=subject, field="id")
            seen.add(reading_list.id)
            for section in reading_list.sections:
                for pid in section.papers:
                    if pid not in self._paper_ids:
                        self.problem(
                            f"section {section.title!r} names {pid!r}, which is no paper in the catalog",
                            section="lists",
                            index=index,
                            subject=subject,
                            field="sections",
                        )


class TableLocator(Layout):
    """A `Layout` of TOML text (the reading log locates its entries the same way)."""

    def __init__(self, text: str) -> None:
        super().__init__(text.encode("utf-8", "surrogatepass"))


def _raw_id(entry: object) -> str | None:
    return entry["id"] if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None


def _subject(kind: str, entry: object, index: int) -> str:
    key = "name" if kind in ("tag", "institution") else "id"
    if isinstance(entry, dict) and isinstance(entry.get(key), str) and entry[key].strip():
        return f"{kind} {entry[key]!r}"
    return f"{kind} #{index + 1}"


def _alias_hint(value: str, items: Iterable[Tag | Institution]) -> str:
    found = find_spelled(items, value)
    return f" (use the canonical name {found.name!r})" if found is not None else ""
