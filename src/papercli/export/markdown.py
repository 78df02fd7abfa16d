"""Markdown: one whole document with a table of contents whose links resolve on GitHub."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from papercli.grouping import GroupBy, group_papers
from papercli.models import Catalog, Paper
from papercli.sanitize import clean

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")  # & too: "&amp;" in a title is text, not an entity
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t]*$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+$")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_ESCAPED_PUNCTUATION = re.compile(r"\\([!-/:-@\[-`{-~])")
_BACKTICK_RUN = re.compile(r"`+")
# In a `<...>` link destination: `<` and `>` would end it early, a backslash could escape its closing `>`,
# and `&` could start an entity that changes the link. Backslash-escaped, they stand for themselves.
# (A destination never holds a line break: links are single-line fields.)
_DESTINATION_SPECIAL = re.compile(r"([\\<>&])")


class AnchorMaker:
    """GitHub's heading ids: lowercase, punctuation dropped, spaces to hyphens, repeats numbered."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, heading: str) -> str:
        base = "".join(
            ch for ch in heading.strip().lower() if ch in " -_" or unicodedata.category(ch)[0] in ("L", "N", "M")
        ).replace(" ", "-")
        count = self._seen.get(base, 0)
        self._seen[base] = count + 1
        return base if count == 0 else f"{base}-{count}"


def escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def code_span(text: str) -> str:
    """`text` as an inline code span: fenced by one more backtick than its longest run of backticks, and
    padded with a space where it starts or ends with a backtick or a space (CommonMark strips one)."""
    longest = max((len(run) for run in _BACKTICK_RUN.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def link_destination(url: str) -> str:
    """`url` as a `<...>` link destination that ends where it should."""
    return "<" + _DESTINATION_SPECIAL.sub(r"\\\1", url) + ">"


def note_headings(note: str) -> list[str]:
    """The text of the ATX headings a note's Markdown contains (outside code fences), in order. They get
    ids on GitHub too, so they take part in numbering repeated ids and must be counted."""
    return _scan_note(note)[0]


def _scan_note(note: str) -> tuple[list[str], str | None]:
    """(the note's headings, the code fence it leaves open, if any)."""
    import html

    found: list[str] = []
    fence: str | None = None
    for line in note.split("\n"):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                if not opening.group(2).strip():
                    fence = None
            continue
        if opening and not (opening.group(1)[0] == "`" and "`" in opening.group(2)):
            fence = opening.group(1)
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            text = _CLOSING_HASHES.sub("", heading.group(1) or "")
            text = _ESCAPED_PUNCTUATION.sub(r"\1", _LINK_TARGET.sub("]", text))
            found.append(html.unescape(text.strip(" \t")))
    return found, fence


def render_markdown(
    catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy, reading_list: str | None = None
) -> str:
    rl = catalog.reading_list(reading_list) if reading_list else None
    title = rl.title if rl else (catalog.title or "Paper catalog")
    groups = group_papers(catalog, papers, group_by, reading_list)
    anchor = AnchorMaker()
    anchor(title)
    anchor("Contents")

    first_anchor: dict[str, str] = {}  # paper id -> anchor of its first full entry
    toc: list[str] = []
    body: list[str] = []
    for group in groups:
        indent = ""
        if group.title is not None:
            group_anchor = anchor(group.title)
            toc.append(f"- [{escape(group.title)}](#{group_anchor})")
            body += [f"## {escape(group.title)}", ""]
            if group.description and group.description.strip():
                for heading in note_headings(group.description):
                    anchor(heading)
                body += _markdown_block(group.description)
            indent = "  "
        for paper in group.papers:
            if paper.id in first_anchor:
                body += [f"- {_paper_link(paper, first_anchor[paper.id])} (see above)", ""]
                continue
            paper_anchor = anchor(paper.title)
            first_anchor[paper.id] = paper_anchor
            for heading in note_headings(paper.note):
                anchor(heading)
            toc.append(f"{indent}- {_paper_link(paper, paper_anchor)}")
            body += _paper_section(paper, "###" if group.title is not None else "##")

    lines = [f"# {escape(title)}", ""]
    if rl and rl.description:
        lines += [rl.description.strip(), ""]
    count = len(first_anchor)
    lines += [f"{count} {'paper' if count == 1 else 'papers'}.", "", "## Contents", ""]
    lines += toc or ["(no papers)"]
    lines.append("")
    lines += body
    return clean("\n".join(lines).rstrip("\n") + "\n")  # no escape sequence reaches a terminal or a viewer


def _paper_link(paper: Paper, target: str) -> str:
    return f"[{escape(paper.title)}](#{target})"


def _paper_section(paper: Paper, level: str) -> list[str]:
    lines = [f"{level} {escape(paper.title)}", ""]
    if paper.title_zh:
        lines += [f"*{escape(paper.title_zh)}*", ""]
    meta = [f"`{paper.id}`"]
    meta += [str(paper.year)] if paper.year else []
    meta += [escape(paper.venue)] if paper.venue else []
    meta += [escape(", ".join(paper.authors))] if paper.authors else []
    meta += [escape(", ".join(paper.institutions))] if paper.institutions else []
    lines += [" · ".join(meta), ""]
    links = []
    if paper.url:
        links.append(f"[{'arXiv:' + paper.arxiv if paper.arxiv else 'Paper'}]({link_destination(paper.url)})")
    if paper.code:
        links.append(f"[Code]({link_destination(paper.code)})")
    if links:
        lines += [" · ".join(links), ""]
    if paper.tags:
        lines += ["Tags: " + ", ".join(code_span(t) for t in paper.tags), ""]
    if paper.summary:
        lines += [f"> {escape(paper.summary)}", ""]
    if paper.note.strip():
        lines += _markdown_block(paper.note)
    return lines


def _markdown_block(text: str) -> list[str]:
    """Author-written Markdown (a note, a section's description) as lines of the document."""
    lines = [text.strip("\n"), ""]
    unclosed = _scan_note(text)[1]
    if unclosed:  # a code block left open would swallow the rest of the document
        lines += [unclosed, ""]
    return lines
