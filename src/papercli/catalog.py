"""Reading a catalog file (TOML, or the JSON that `papers export` writes) into a checked `Catalog`.

Loading never stops at the first problem: every entry is validated on its own, problems are collected
with their location, and entries with schema errors are left out so one bad paper cannot take the whole
catalog down. Only a file that cannot be read or parsed at all raises.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papercli.bundled import bundled_catalog_path as bundled_catalog_path  # its public home was here
from papercli.errors import CatalogError
from papercli.models import Catalog, Institution, Paper, ReadingList, Tag, check_single_line
from papercli.problems import Problem
from papercli.spelling import find_spelled

SECTIONS: dict[str, type] = {
    "tags": Tag,
    "institutions": Institution,
    "lists": ReadingList,
    "papers": Paper,
}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\s-]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[")
# Outside strings: what may open a multi-line string, or hide quotes from the search for one.
_TOML_TOKEN = re.compile(r"""\"\"\"|'''|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*""")
_LITERAL_ML_END = re.compile(r"'{3,5}")
_TRIPLE_QUOTES = re.compile(r"\"\"\"|'''")
BOM = "\ufeff"
Span = tuple[int, int, int, int]  # an entry's first and last line, and its start and end bytes in the text


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
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
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
    try:
        return data.decode("utf-8").removeprefix(BOM)
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: not UTF-8 text (byte {exc.start})") from None


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
    return load_catalog_text(read_text(path), str(path))


def load_catalog_text(text: str, source: str) -> LoadResult:
    data = parse_document(text, source)
    locator = _Locator("" if is_json(source) else text)
    return _Builder(data, source, locator).build()


class _Locator:
    """Finds the line of the n-th `[[name]]` table and of a key inside it, for TOML sources."""

    def __init__(self, text: str) -> None:
        self._lines = text.split("\n")  # not splitlines(): TOML ends lines at LF only, not at U+2028 etc.
        self._in_string = _lines_inside_strings(text)
        self._headers: dict[str, list[int]] = {}
        self._starts: list[int] = []  # the line of every table header, array or not
        self._offsets: dict[int, int] = {}  # header line -> offset of its first byte in the UTF-8 text
        offset = 0
        for number, line in enumerate(self._lines, start=1):
            at, offset = offset, offset + len(line.encode("utf-8", "surrogatepass")) + 1
            if number in self._in_string:  # a note's "[[papers]]" line is text, not a table
                continue
            if _TABLE_HEADER.match(line) and not line.lstrip().startswith('["'):
                self._starts.append(number)
                self._offsets[number] = at
            match = _ARRAY_HEADER.match(line)
            if match:
                name = re.sub(r"\s+", "", match.group(1))
                self._headers.setdefault(name, []).append(number)  # its offset is set above: it is a header too
        self._length = max(0, offset - 1)

    def entry_line(self, section: str, index: int) -> int | None:
        lines = self._headers.get(section, [])
        return lines[index] if index < len(lines) else None

    def line(self, section: str, index: int, key: str | None = None) -> int | None:
        """The line of the `index`-th `[[section]]` table, or of its `key` when one is given."""
        return self.key_line(section, index, key) if key else self.entry_line(section, index)

    def key_line(self, section: str, index: int, key: str) -> int | None:
        start = self.entry_line(section, index)
        if start is None:
            return None
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        end = self._next_header(start) or len(self._lines) + 1
        for number in range(start + 1, end):
            if number not in self._in_string and pattern.match(self._lines[number - 1]):
                return number
        return start

    def _next_header(self, line: int) -> int | None:
        """The line of the first table header after `line`, or None when its table runs to the end."""
        following = bisect.bisect_right(self._starts, line)
        return self._starts[following] if following < len(self._starts) else None

    def spans(self) -> dict[str, list[Span]]:
        """(header line, last line, start offset, end offset) of every `[[section]]` table: up to the next
        header, or the end of the text. Offsets count bytes of the UTF-8 text (after a byte-order mark)."""
        last_line = len(self._lines) - (1 if self._lines and self._lines[-1] == "" else 0)
        found: dict[str, list[Span]] = {}
        for name, lines in self._headers.items():
            for line in lines:
                nxt = self._next_header(line)
                if nxt is not None:
                    span = (line, nxt - 1, self._offsets[line], self._offsets[nxt])
                else:
                    span = (line, last_line, self._offsets[line], self._length)
                found.setdefault(name, []).append(span)
        return found


def _lines_inside_strings(text: str) -> set[int]:
    """The numbers (1-based) of the lines that begin inside a multi-line string: their text is a value,
    not TOML, however much it looks like a table header or a key."""
    if '"""' not in text and "'''" not in text:
        return set()
    spans: list[tuple[int, int]] = []
    position = 0
    # Only a line with triple quotes can open a multi-line string: tokenize just those lines, from where
    # the scan stands, so that quotes inside one-line strings and comments are passed over.
    while (triple := _TRIPLE_QUOTES.search(text, position)) is not None:
        line_end = text.find("\n", triple.start())
        line_end = len(text) if line_end < 0 else line_end
        position = max(position, text.rfind("\n", 0, triple.start()) + 1)
        while (token := _TOML_TOKEN.search(text, position, line_end)) is not None:
            position = token.end()
            if token.group() == '"""':
                position = _basic_string_end(text, position)
            elif token.group() == "'''":
                closing = _LITERAL_ML_END.search(text, position)
                position = closing.end() if closing is not None else len(text)
            else:
                continue  # a one-line string or a comment: passed over whole
            spans.append((token.start(), position))
            break
        else:
            position = line_end
    inside: set[int] = set()
    line, counted = 1, 0  # the line `counted` (an offset) is on
    for begin, end in spans:
        line += text.count("\n", counted, begin)  # the line of the opening quotes
        last = line + text.count("\n", begin, end)  # the line of the closing quotes
        inside.update(range(line + 1, last + 1))
        line, counted = last, end
    return inside


def _basic_string_end(text: str, position: int) -> int:
    """The offset just past the quotes that close the multi-line basic string whose text starts at
    `position`: the first three quotes not escaped by an odd run of backslashes, with up to two more
    quotes (which belong to the text)."""
    while (found := text.find('"""', position)) >= 0:
        start = found
        while start > position and text[start - 1] == "\\":
            start -= 1
        if (found - start) % 2:  # \""" : an escaped quote, then two more
            position = found + 1
            continue
        end = found + 3
        while end < len(text) and end < found + 5 and text[end] == '"':
            end += 1
        return end
    return len(text)


TableLocator = _Locator  # public name: the reading log locates its entries the same way


class _Builder:
    def __init__(self, data: dict[str, Any], source: str, locator: _Locator) -> None:
        self.data = data
        self.source = source
        self.locator = locator
        self.problems: list[Problem] = []
        self.skipped = 0
        self._raw_indexes: dict[str, dict[str, list[int]]] = {}

    def problem(
        self,
        message: str,
        *,
        section: str | None = None,
        index: int | None = None,
        subject: str | None = None,
        field: str | None = None,
        severity: str = "error",
    ) -> None:
        line = None
        if section is not None and index is not None:
            line = self.locator.line(section, index, field)
        self.problems.append(
            Problem(message, self.source, line, None, subject, field, "warning" if severity == "warning" else "error")
        )

    def build(self) -> LoadResult:
        for key in self.data:
            if key not in SECTIONS and key != "title":
                self.problem(f"unknown top-level key {key!r} (expected one of: title, " + ", ".join(SECTIONS) + ")")
        title = self.data.get("title")
        if title is not None:
            reason = check_single_line(title) if isinstance(title, str) else "must be a string"
            if reason:
                self.problem(reason, field="title")
                title = None
        entries = {name: self._validate_section(name, model) for name, model in SECTIONS.items()}
        tags: list[Tag] = entries["tags"]
        institutions: list[Institution] = entries["institutions"]
        lists: list[ReadingList] = entries["lists"]
        papers: list[Paper] = entries["papers"]
        papers = self._drop_duplicate_ids(papers)
        self._check_vocabulary("tag", tags)
        self._check_vocabulary("institution", institutions)
        self._check_references(papers, tags, institutions)
        self._check_lists(lists, {p.id for p in papers})
        catalog = Catalog(
            title=title, tags=tuple(tags), institutions=tuple(institutions), lists=tuple(lists), papers=tuple(papers)
        )
        raw = self.data.get("papers", [])
        raw_ids = [_raw_id(entry) for entry in (raw if isinstance(raw, list) else [])]
        return LoadResult(catalog, self.problems, self.skipped, self.locate, self.locator.spans(), raw_ids)

    def locate(self, paper_id: str, field: str | None) -> int | None:
        """The line of a paper's table, or of one of its keys, in the source file."""
        index = self._raw_index("papers", paper_id, 0)
        if index is None:
            return None
        return self.locator.line("papers", index, field)

    def _validate_section(self, name: str, model: type) -> list[Any]:
        from papercli.validation import validate

        raw = self.data.get(name, [])
        if not isinstance(raw, list):
            self.problem(f"'{name}' must be an array of tables ([[{name}]])", field=name)
            return []
        valid: list[Any] = []
        singular = name.rstrip("s")
        for index, entry in enumerate(raw):
            subject = _subject(singular, entry, index)
            if not isinstance(entry, dict):
                self.problem("must be a table", section=name, index=index, subject=subject)
                self.skipped += 1
                continue
            if name == "papers":
                entry = {k: v for k, v in entry.items() if k != "arxiv"}  # derived; present in JSON exports
            value, errors = validate(model, entry)
            if value is None:
                self.skipped += 1
            else:
                valid.append(value)
            for error in errors:
                self.problem(error.message, section=name, index=index, subject=subject, field=error.field)
        return valid

    def _drop_duplicate_ids(self, papers: list[Paper]) -> list[Paper]:
        occurrences: dict[str, int] = {}
        kept: list[Paper] = []
        for paper in papers:
            occurrences[paper.id] = occurrences.get(paper.id, 0) + 1
            if occurrences[paper.id] > 1:
                first = self.locator.entry_line("papers", self._raw_index("papers", paper.id, 0) or 0)
                earlier = f" (first used at line {first})" if first else ""
                self.problem(
                    f"duplicate id: an earlier paper already uses it{earlier}",
                    section="papers",
                    index=self._raw_index("papers", paper.id, occurrences[paper.id] - 1),
                    subject=f"paper {paper.id!r}",
                    field="id",
                )
                self.skipped += 1
                continue
            kept.append(paper)
        return kept

    def _raw_index(self, section: str, entry_id: str, occurrence: int) -> int | None:
        """Index in the raw array of the `occurrence`-th (0-based) entry with this id."""
        if section not in self._raw_indexes:  # built once: a scan per lookup made loading quadratic
            positions: dict[str, list[int]] = {}
            raw = self.data.get(section, [])
            for index, entry in enumerate(raw if isinstance(raw, list) else []):
                if (raw_id := _raw_id(entry)) is not None:
                    positions.setdefault(raw_id, []).append(index)
            self._raw_indexes[section] = positions
        found = self._raw_indexes[section].get(entry_id, [])
        return found[occurrence] if occurrence < len(found) else None

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

    def _check_references(self, papers: list[Paper], tags: list[Tag], institutions: list[Institution]) -> None:
        vocabularies: list[tuple[str, str, Sequence[Tag | Institution]]] = [
            ("tag", "tags", tags),
            ("institution", "institutions", institutions),
        ]
        declared = {key: {item.name for item in items} for _, key, items in vocabularies}
        for paper in papers:
            for kind, key, items in vocabularies:
                for name in getattr(paper, key):
                    if name not in declared[key]:
                        self.problem(
                            f"{kind} {name!r} is not declared in [[{key}]]" + _alias_hint(name, items),
                            section="papers",
                            index=self._raw_index("papers", paper.id, 0),
                            subject=f"paper {paper.id!r}",
                            field=key,
                        )

    def _check_lists(self, lists: list[ReadingList], paper_ids: set[str]) -> None:
        seen: set[str] = set()
        for index, reading_list in enumerate(lists):
            subject = f"list {reading_list.id!r}"
            if reading_list.id in seen:
                self.problem("duplicate list id", section="lists", index=index, subject=subject, field="id")
            seen.add(reading_list.id)
            for section in reading_list.sections:
                for pid in section.papers:
                    if pid not in paper_ids:
                        self.problem(
                            f"section {section.title!r} names {pid!r}, which is no paper in the catalog",
                            section="lists",
                            index=index,
                            subject=subject,
                            field="sections",
                        )


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
