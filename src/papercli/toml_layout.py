"""Where the tables of a TOML catalog are, found in its bytes without parsing it.

A line that opens a table (`[[papers]]`, `[[lists.sections]]`, ...) is a header unless it lies inside a
multi-line string: a note may well contain a line reading `[[papers]]`. Knowing the headers gives the line
of every entry and of a key inside it (for messages), the byte span of every entry (for writes that
splice one entry), and the entries themselves, one by one, so a large catalog can be read entry by entry
instead of as one document. Offsets count bytes of the UTF-8 text after any byte-order mark.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass

Span = tuple[int, int, int, int]  # an entry's first and last line, and its start and end bytes in the text

# A bracket that starts a line (after a newline, so the search runs at memchr speed; see `_find_headers`)
_LINE_START_BRACKET = re.compile(rb"\n[ \t]*\[")
_FIRST_LINE_BRACKET = re.compile(rb"[ \t]*\[")
_ARRAY_HEADER = re.compile(rb"[ \t]*\[\[\s*([A-Za-z0-9_.\s-]+?)\s*\]\]")
_TABLE_HEADER = re.compile(rb"[ \t]*\[\s*([A-Za-z0-9_.\s-]+?)\s*\]")
_SPACES = re.compile(rb"\s+")
# Outside strings: what may open a multi-line string, or hide quotes from the search for one.
_TOML_TOKEN = re.compile(rb"""\"\"\"|'''|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*""")
_LITERAL_ML_END = re.compile(rb"'{3,5}")


@dataclass(frozen=True)
class Header:
    """A line that opens a table: `[[name]]` (an array of tables) or `[name]`."""

    line: int  # 1-based
    offset: int  # of the line's first byte
    name: str | None  # the dotted name without spaces; None when it is not a plain name (quoted keys...)
    array: bool


@dataclass(frozen=True)
class Element:
    """One element of a top-level array of tables: its `[[section]]` header and every sub-table header
    (`[[section.x]]`, `[section.x]`) up to the next element."""

    section: str
    start: int  # byte offsets: [start, stop)
    stop: int


class Layout:
    """The headers of a TOML text, and lookups over them."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        strings = multiline_string_spans(data)
        self._string_starts = [start for start, _ in strings]
        self._string_ends = [end for _, end in strings]
        self.headers = self._find_headers()
        self._header_offsets = [h.offset for h in self.headers]
        self._arrays: dict[str, list[Header]] = {}
        for header in self.headers:
            if header.array and header.name is not None:
                self._arrays.setdefault(header.name, []).append(header)

    def inside_string(self, line_start: int) -> bool:
        """Whether the line starting at this offset begins inside a multi-line string."""
        found = bisect.bisect_left(self._string_starts, line_start) - 1
        return found >= 0 and line_start < self._string_ends[found]

    def _find_headers(self) -> list[Header]:
        headers: list[Header] = []
        line, counted = 1, 0
        first = _FIRST_LINE_BRACKET.match(self.data)
        for match in itertools.chain([first] if first else [], _LINE_START_BRACKET.finditer(self.data)):
            offset = match.start() if match is first else match.start() + 1
            if self.inside_string(offset) or self.data.startswith(b'["', match.end() - 1):
                continue  # text in a note, or a line of an array of strings
            line += self.data.count(b"\n", counted, offset)
            counted = offset
            array = _ARRAY_HEADER.match(self.data, offset)
            table = array or _TABLE_HEADER.match(self.data, offset)
            name = _SPACES.sub(b"", table.group(1)).decode("ascii") if table is not None else None
            brackets = self.data.startswith(b"[[", match.end() - 1)
            headers.append(Header(line, offset, name, array is not None or (table is None and brackets)))
        return headers

    # -- lines, for messages -------------------------------------------------------------------------------

    def entry_line(self, section: str, index: int) -> int | None:
        """The line of the `index`-th `[[section]]` header."""
        headers = self._arrays.get(section, [])
        return headers[index].line if 0 <= index < len(headers) else None

    def line(self, section: str, index: int, key: str | None = None) -> int | None:
        """The line of the `index`-th `[[section]]` table, or of its `key` when one is given."""
        return self.key_line(section, index, key) if key else self.entry_line(section, index)

    def key_line(self, section: str, index: int, key: str) -> int | None:
        """The line where the `index`-th `[[section]]` table sets `key`; its header's line when it does
        not (the key is missing, or set in a way this search does not see)."""
        headers = self._arrays.get(section, [])
        if not 0 <= index < len(headers):
            return None
        header = headers[index]
        stop = self._next_header_offset(header.offset)
        pattern = re.compile(rb"^[ \t]*" + re.escape(key.encode("utf-8", "surrogatepass")) + rb"[ \t]*=", re.MULTILINE)
        for found in pattern.finditer(self.data, header.offset, stop):
            if not self.inside_string(found.start()):
                return header.line + self.data.count(b"\n", header.offset, found.start())
        return header.line

    def _next_header_offset(self, offset: int) -> int:
        following = bisect.bisect_right(self._header_offsets, offset)
        return self._header_offsets[following] if following < len(self._header_offsets) else len(self.data)

    # -- spans and elements ------------------------------------------------------------------------------

    def spans(self) -> dict[str, list[Span]]:
        """(header line, last line, start offset, end offset) of every `[[section]]` table, sub-tables
        (`[[lists.sections]]`) included under their own name: each runs up to the next header of any kind,
        or the end of the text."""
        found: dict[str, list[Span]] = {}
        for position, header in enumerate(self.headers):
            if not header.array or header.name is None:
                continue
            if position + 1 < len(self.headers):
                following = self.headers[position + 1]
                span = (header.line, following.line - 1, header.offset, following.offset)
            else:
                span = (header.line, self.last_line(), header.offset, len(self.data))
            found.setdefault(header.name, []).append(span)
        return found

    def last_line(self) -> int:
        """The number of the text's last line (a final newline ends that line, it does not start one)."""
        lines = self.data.count(b"\n") + 1
        return lines - 1 if not self.data or self.data.endswith(b"\n") else lines

    def elements(self) -> tuple[int, list[Element]] | None:
        """Where the top-level text (before any header) ends, and every element of the top-level arrays of
        tables, in file order; None when the text is not made only of those (a plain `[table]`, a quoted
        name, a sub-table outside its element): such a text can only be read as a whole."""
        starts: list[tuple[str, int]] = []  # (section, offset) of each element's header
        for header in self.headers:
            if header.name is None:
                return None
            if header.array and "." not in header.name:
                starts.append((header.name, header.offset))
            elif not starts or not header.name.startswith(starts[-1][0] + "."):
                return None
        stops = [offset for _, offset in starts[1:]] + ([len(self.data)] if starts else [])
        elements = [Element(section, start, stop) for (section, start), stop in zip(starts, stops, strict=True)]
        return (self.headers[0].offset if self.headers else len(self.data)), elements


def multiline_string_spans(data: bytes) -> list[tuple[int, int]]:
    """The (start, end) offsets of every multi-line string, from its opening quotes to just past its
    closing ones, in order."""
    spans: list[tuple[int, int]] = []
    if b'"""' not in data and b"'''" not in data:
        return spans
    position = 0
    # Only a line with triple quotes can open a multi-line string: tokenize just those lines, from where
    # the scan stands, so that quotes inside one-line strings and comments are passed over.
    triples = _TripleQuotes(data)
    while (triple := triples.next(position)) >= 0:
        line_end = data.find(b"\n", triple)
        line_end = len(data) if line_end < 0 else line_end
        position = max(position, data.rfind(b"\n", 0, triple) + 1)
        while (token := _TOML_TOKEN.search(data, position, line_end)) is not None:
            position = token.end()
            if token.group() == b'"""':
                position = _basic_string_end(data, position)
            elif token.group() == b"'''":
                closing = _LITERAL_ML_END.search(data, position)
                position = closing.end() if closing is not None else len(data)
            else:
                continue  # a one-line string or a comment: passed over whole
            spans.append((token.start(), position))
            break
        else:
            position = line_end
    return spans


class _TripleQuotes:
    """Finds the next triple quotes (either kind) from a position. Two plain searches (memchr speed), each repeated only
    once the scan has passed its last find: a regex alternation of the two is several times slower."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.found = {quotes: data.find(quotes) for quotes in (b'"""', b"'''")}

    def next(self, position: int) -> int:
        """The offset of the first triple quotes at or after `position`, or -1."""
        for quotes, at in self.found.items():
            if 0 <= at < position:
                self.found[quotes] = self.data.find(quotes, position)
        ahead = [at for at in self.found.values() if at >= 0]
        return min(ahead) if ahead else -1


def _basic_string_end(data: bytes, position: int) -> int:
    """The offset just past the quotes that close the multi-line basic string whose text starts at
    `position`: the first three quotes not escaped by an odd run of backslashes, with up to two more
    quotes (which belong to the text)."""
    while (found := data.find(b'"""', position)) >= 0:
        start = found
        while start > position and data[start - 1] == 0x5C:  # a backslash
            start -= 1
        if (found - start) % 2:  # \""" : an escaped quote, then two more
            position = found + 1
            continue
        end = found + 3
        while end < len(data) and end < found + 5 and data[end] == 0x22:  # a quote
            end += 1
        return end
    return len(data)
