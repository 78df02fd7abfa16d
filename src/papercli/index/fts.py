"""Text for FTS5, queries for it, and snippets. Pure functions; no SQLite here.

FTS5's unicode61 tokenizer splits on spaces and punctuation, so a run of Chinese (or Japanese, Korean)
characters would be one token and 检索 would never match 检索增强生成. Each such run is therefore indexed
as its overlapping character bigrams (检索 索增 增强 强生 生成), and a query word goes through the same
transformation, as a phrase: consecutive bigrams must be consecutive in the text, which is a substring
match of the run. A single CJK character is searched as a prefix of the bigrams. Every query word is
quoted, so FTS5 syntax in a query (quotes, `*`, `-`, `:`, NEAR, AND, OR, NOT, parentheses) is plain text.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from papercli.sanitize import clean

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0002fa1f"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_WORD_CHAR = re.compile(r"[^\W_]")  # what unicode61 keeps as part of a token (roughly: letters, digits)


def _bigrams(match: re.Match[str]) -> str:
    run = match.group()
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(map(operator.add, run, run[1:])) + " "  # pairs of neighbours: 检索增 -> 检索 索增


def index_text(text: str | None) -> str:
    """What FTS5 indexes for `text`: the text itself, with CJK runs replaced by their bigrams."""
    if not text:
        return ""
    return _CJK_RUN.sub(_bigrams, text.replace("\x00", " "))  # SQLite reads a NUL as the end of the text


def _phrase(word: str) -> str:
    body = index_text(word).strip()
    quoted = '"' + body.replace('"', '""') + '"'
    one_cjk = len(word) == 1 and _CJK_RUN.match(word) is not None  # (a second pattern costs 1.5 ms to compile)
    return quoted + " *" if one_cjk else quoted


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query: every word must occur (AND). None when the query
    has nothing to search for (only punctuation or spaces)."""
    phrases = [_phrase(word) for word in query.split() if _WORD_CHAR.search(word)]
    return " AND ".join(phrases) if phrases else None


@dataclass(frozen=True)
class Snippet:
    """One line of text around the first match, and the (start, end) spans of matched words in it."""

    text: str
    highlights: tuple[tuple[int, int], ...]


def snippet(fields: Sequence[str | None], query: str, width: int = 100) -> Snippet:
    """A line from the first field in which a query word occurs (any case), centred on the match;
    the first non-empty field when none does (the match was on a tag or institution alias)."""
    words = [w for w in dict.fromkeys(query.split()) if _WORD_CHAR.search(w)]
    pattern = _words_pattern(words)
    for value in fields:
        if not value:
            continue
        line = " ".join(clean(value).split())
        found = pattern.search(line) if pattern is not None else None
        if found is None:
            continue
        start = max(0, found.start() - width // 3)
        end = min(len(line), start + width)
        start = max(0, min(start, end - width))
        piece = line[start:end]
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(line) else ""
        assert pattern is not None
        spans = tuple((m.start() + len(prefix), m.end() + len(prefix)) for m in pattern.finditer(piece))
        return Snippet(prefix + piece + suffix, spans)
    first = next((" ".join(clean(v).split()) for v in fields if v), "")
    return Snippet(first[:width] + ("…" if len(first) > width else ""), ())


def _words_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    if not parts:
        return None
    return re.compile("|".join(re.escape(p) for p in parts), re.IGNORECASE)
