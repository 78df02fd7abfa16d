"""Hypothesis strategies for random *valid* catalogs, built as plain dicts, and a TOML writer for that shape.

The dicts use exactly the keys of the TOML format (`title`, `tags`, `institutions`, `lists`, `papers`), so a
test can compare what `papercli` loads against the data it was given without going through `papercli` itself.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from hypothesis import strategies as st

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LATEST_YEAR = datetime.date.today().year  # the model accepts up to next year; stay clear of the boundary

# Pieces that look like Markdown, Rich markup or terminal trouble, mixed into otherwise random text.
MARKUP_FRAGMENTS = [
    "[bold]",
    "[/bold]",
    "[red]alert[/red]",
    "[link=https://example.com]x[/link]",
    "[/]",
    "**strong**",
    "*em*",
    "_under_",
    "`code`",
    "# hash",
    "<b>html</b>",
    "a|b",
    "R&D",
    "~~strike~~",
    "\\",
    "[text](#anchor)",
    "Contents",
    "Untagged",
    "x-1",
]
WORDS = [
    "LoRA",
    "Attention",
    "Is",
    "All",
    "You",
    "Need",
    "RAG",
    "retrieval",
    "Transformer",
    "GPT-4",
    "大模型",
    "注意力机制",
    "检索增强生成",
    "思维链",
    "Ünïcödé",
    "Straße",
    "ΣΊΣΥΦΟΣ",
    "😀",
    "日本語",
]
# Random characters: anything but surrogates and C0/C1 controls ("&", U+2028 and U+2029 included: they
# once broke Markdown anchors and problem line numbers). Backticks and tildes are left to the fragments,
# so random text cannot open a Markdown code fence by accident.
_CHARS = st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="`~")
_RANDOM_WORD = st.text(_CHARS, min_size=1, max_size=8)
_PIECE = st.one_of(st.sampled_from(WORDS), st.sampled_from(MARKUP_FRAGMENTS), _RANDOM_WORD)


_SEPARATOR = st.sampled_from([" ", "", " - ", ": ", "\t"])


def _one_line(parts: tuple[str, list[tuple[str, str]]]) -> str:
    first, rest = parts
    # One-line fields must not be blank nor start or end with whitespace (any Unicode whitespace).
    return (first + "".join(sep + piece for sep, piece in rest)).strip() or "blank"


def lines(max_pieces: int = 4) -> st.SearchStrategy[str]:
    """One non-blank line of mixed text (a title, author, venue...)."""
    return st.tuples(_PIECE, st.lists(st.tuples(_SEPARATOR, _PIECE), max_size=max_pieces - 1)).map(_one_line)


LINE = lines()
SHORT_LINE = lines(2)
SPELLING = lines(3)  # tag and institution names and aliases

NOTE_BLOCKS = [
    "- **动机**: 解决长文本问题",
    "  - 子项 [bold]not markup[/bold]",
    "1. first\n2. second",
    "> quoted *text*",
    "```python\nprint('[red]hi[/red]')\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Line with trailing spaces  ",
    "数学推理 $x^2$ \\rightarrow →",
    "[link](https://arxiv.org/abs/1706.03762)",
]


def _join_blocks(parts: tuple[list[str], str, int]) -> str:
    blocks, newline, blank_lines = parts
    return (newline * blank_lines).join(block.replace("\n", newline) for block in blocks)


# Multi-line Markdown-ish text (summary, note, list description), with LF or CRLF line ends.
NOTE = st.tuples(
    st.lists(st.one_of(st.sampled_from(NOTE_BLOCKS), LINE), max_size=4),
    st.sampled_from(["\n", "\r\n"]),
    st.integers(1, 2),
).map(_join_blocks)

SLUG = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6), min_size=1, max_size=3).map(
    "-".join
)
YEAR = st.integers(1900, LATEST_YEAR)
ARXIV_ID = st.one_of(
    st.builds("{:02d}{:02d}.{:05d}".format, st.integers(7, 24), st.integers(1, 12), st.integers(0, 99999)),
    st.builds("{}/0{:06d}".format, st.sampled_from(["hep-th", "cs", "math.CO"]), st.integers(0, 999999)),
)
URL = st.one_of(
    st.builds(
        "{}://{}arxiv.org/{}/{}{}{}".format,
        st.sampled_from(["http", "https"]),
        st.sampled_from(["", "www.", "export."]),
        st.sampled_from(["abs", "pdf"]),
        ARXIV_ID,
        st.sampled_from(["", "v1", "v12"]),
        st.sampled_from(["", "/", ".pdf"]),
    ),
    st.builds(
        "https://{}/{}".format,
        st.sampled_from(["github.com", "example.org", "openreview.net", "例子.中国"]),
        st.text("abcdefghijklmnopqrstuvwxyz0123456789-_/?=&.%", max_size=12),
    ),
)
_PAPER_FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "kind": st.sampled_from(["paper", "project"]),
    "title_zh": LINE,
    "authors": st.lists(SHORT_LINE, max_size=3),
    "year": YEAR,
    "venue": lines(3),
    "url": URL,
    "code": URL,
    "summary": st.one_of(LINE, NOTE),
    "note": NOTE,
}
_OPTIONAL_KEYS = st.lists(st.sampled_from([*_PAPER_FIELDS, "tags", "institutions"]), unique=True)


def _vocabulary(draw: st.DrawFn, max_items: int) -> list[dict[str, Any]]:
    """Tags or institutions: every name and alias unique ignoring case, across the whole vocabulary."""
    words = draw(st.lists(SPELLING, max_size=max_items * 2, unique_by=str.casefold))
    items: list[dict[str, Any]] = []
    while words and len(items) < max_items:
        n_aliases = draw(st.integers(0, min(2, len(words) - 1)))
        name, aliases, words = words[0], words[1 : 1 + n_aliases], words[1 + n_aliases :]
        item: dict[str, Any] = {"name": name}
        if draw(st.booleans()):
            item["description"] = draw(LINE)
        if aliases or draw(st.booleans()):
            item["aliases"] = aliases
        items.append(item)
    return items


def _paper(draw: st.DrawFn, paper_id: str, vocabulary: dict[str, list[str]]) -> dict[str, Any]:
    paper: dict[str, Any] = {"id": paper_id, "title": draw(LINE)}
    for key in draw(_OPTIONAL_KEYS):
        if key in vocabulary:  # references use canonical names
            pool = vocabulary[key]
            paper[key] = draw(st.lists(st.sampled_from(pool), max_size=3, unique=True)) if pool else []
        else:
            paper[key] = draw(_PAPER_FIELDS[key])
    if draw(st.booleans()):  # key order must not matter
        paper = dict(reversed(list(paper.items())))
    return paper


def _reading_list(draw: st.DrawFn, list_id: str, paper_ids: list[str]) -> dict[str, Any]:
    reading_list: dict[str, Any] = {"id": list_id, "title": draw(LINE)}
    if draw(st.booleans()):
        reading_list["description"] = draw(NOTE)
    sections = []
    for _ in range(draw(st.integers(0, 3))):
        section: dict[str, Any] = {"title": draw(lines(3))}
        if paper_ids:
            # A list may name a paper twice, within a section or across sections.
            section["papers"] = draw(st.lists(st.sampled_from(paper_ids), max_size=4))
        sections.append(section)
    if sections or draw(st.booleans()):
        reading_list["sections"] = sections
    return reading_list


@st.composite
def catalogs(draw: st.DrawFn, min_papers: int = 0, max_papers: int = 6) -> dict[str, Any]:
    """A random catalog that is valid: it should load with no problem at all."""
    tags = _vocabulary(draw, 4)
    institutions = _vocabulary(draw, 3)  # a tag and an institution may share a spelling
    vocabulary = {"tags": [t["name"] for t in tags], "institutions": [i["name"] for i in institutions]}
    paper_ids = draw(st.lists(SLUG, min_size=min_papers, max_size=max_papers, unique=True))
    catalog: dict[str, Any] = {}
    if draw(st.booleans()):
        catalog["title"] = draw(LINE)
    if tags or draw(st.booleans()):
        catalog["tags"] = tags
    if institutions or draw(st.booleans()):
        catalog["institutions"] = institutions
    list_ids = draw(st.lists(SLUG, max_size=2, unique=True))
    if list_ids:
        catalog["lists"] = [_reading_list(draw, list_id, paper_ids) for list_id in list_ids]
    if paper_ids or draw(st.booleans()):
        catalog["papers"] = [_paper(draw, pid, vocabulary) for pid in paper_ids]
    return catalog


# ---- TOML writer for the catalog shape ----

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _basic_string(key)


def _basic_string(value: str) -> str:
    # JSON escapes are a subset of TOML's basic-string escapes. ensure_ascii=False keeps astral characters
    # as themselves (JSON would write surrogate pairs, which TOML forbids); DEL is the one control character
    # JSON leaves raw and TOML does not allow.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _multiline_string(value: str) -> str:
    out = []
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\r":
            out.append("\\r")
        elif ch != "\n" and ch != "\t" and (ord(ch) < 0x20 or ord(ch) == 0x7F):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    # The newline right after the opening quotes is dropped by TOML readers.
    return '"""\n' + "".join(out) + '"""'


def toml_value(value: Any, multiline: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _multiline_string(value) if multiline and "\n" in value else _basic_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def to_toml(document: dict[str, Any], multiline: bool = False) -> str:
    """TOML text for a catalog-shaped dict: top-level scalars first, then one `[[section]]` per entry.

    Values inside an entry are written inline (sections as inline tables). With `multiline`, strings that
    hold a newline are written as multi-line basic strings, as hand-written catalogs do for notes.
    """
    out: list[str] = []
    for key, value in document.items():
        if not _is_table_array(value):
            out.append(f"{_key(key)} = {toml_value(value)}")
    for key, value in document.items():
        if _is_table_array(value):
            for entry in value:
                out += [""] if out else []
                out.append(f"[[{_key(key)}]]")
                out += [f"{_key(k)} = {toml_value(v, multiline)}" for k, v in entry.items()]
    return "\n".join(out) + "\n"
