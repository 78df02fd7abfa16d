"""Rich renderables for the terminal. Catalog text is always data: never parsed as markup, and stripped
of terminal control sequences before it reaches the screen."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from papercli.index.fts import Snippet
from papercli.models import Paper
from papercli.render_plain import Place, paper_fields
from papercli.sanitize import clean


def make_console(*, stderr: bool = False) -> Console:
    # Built per command, never at import: width and colour follow the terminal (and NO_COLOR) at run time.
    # COLUMNS=0 (some CI runners and `env -i` wrappers set it) would give a zero-width table, i.e. none:
    # a COLUMNS that is no positive number is treated as unknown, like an unset one.
    columns = os.environ.get("COLUMNS", "").strip()
    width = None
    if columns.isdigit() and int(columns) == 0:
        width = _terminal_width(stderr)
    return Console(stderr=stderr, highlight=False, soft_wrap=False, width=width)


def _terminal_width(stderr: bool) -> int:
    """The terminal's own width, or 80 when the output is no terminal."""
    stream = sys.stderr if stderr else sys.stdout
    try:
        return os.get_terminal_size(stream.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


def papers_table(papers: Sequence[Paper]) -> Table:
    table = Table(expand=True, pad_edge=False, header_style="bold")
    # An id is never wrapped mid-word: its column is at least as wide as the longest id shown (up to 30
    # columns; a longer id folds rather than push the titles off a narrow terminal).
    longest = max((len(p.id) for p in papers), default=8)
    table.add_column("id", style="cyan", no_wrap=True, overflow="fold", width=min(max(longest, 2), 30))
    table.add_column("year", justify="right", no_wrap=True, width=4)
    table.add_column("title", ratio=6, min_width=20)
    table.add_column("institutions", ratio=2)
    table.add_column("tags", ratio=2, style="magenta")
    for paper in papers:
        title = Text(clean(paper.title))
        if paper.title_zh:
            title.append("\n" + clean(paper.title_zh), style="dim")
        table.add_row(
            Text(paper.id),
            Text(str(paper.year) if paper.year else ""),
            title,
            Text(clean(", ".join(paper.institutions))),
            Text(clean(", ".join(paper.tags))),
        )
    return table


def paper_view(paper: Paper, places: Sequence[Place], reading: str | None = None) -> RenderableType:
    """One paper for a terminal; `places` are its list sections with item numbers, `reading` its reading-log
    line. (`render_plain.paper_text` is the same paper for a pipe or a file.)"""
    from rich.markdown import Markdown  # only `show` pays for the Markdown parser

    header = Text(clean(paper.title), style="bold")
    if paper.kind != "paper":
        header.append(f"  ({paper.kind})", style="dim")
    parts: list[RenderableType] = [header]
    if paper.title_zh:
        parts.append(Text(clean(paper.title_zh)))
    parts.append(Text(""))
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold dim", no_wrap=True)
    fields.add_column(overflow="fold")
    for label, lines in paper_fields(paper, places, reading):
        fields.add_row(label, Text(clean("\n".join(lines))))
    parts.append(fields)
    if paper.summary:
        parts += [Text(""), Text(clean(paper.summary), style="italic")]
    if paper.note.strip():
        parts += [Text(""), Markdown(clean(paper.note))]
    return Group(*parts)


@dataclass(frozen=True)
class VocabularyRow:
    name: str
    count: int
    aliases: Sequence[str]
    description: str | None


def vocabulary_table(rows: Sequence[VocabularyRow], noun: str) -> Table:
    table = Table(header_style="bold", pad_edge=False, expand=True)
    table.add_column(noun, style="cyan", ratio=2, min_width=8)
    table.add_column("papers", justify="right", no_wrap=True, width=6)
    table.add_column("aliases", ratio=2)
    table.add_column("description", ratio=3)
    for row in rows:
        table.add_row(
            Text(clean(row.name)),
            str(row.count),
            Text(clean(", ".join(row.aliases))),
            Text(clean(row.description or "")),
        )
    return table


def search_results(results: Sequence[tuple[Paper, Snippet]]) -> Table:
    """Ranked search results: rank, id, year, and the title over a line of context, matches highlighted."""
    table = Table(expand=True, pad_edge=False, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True, width=3)
    table.add_column("id", style="cyan", overflow="fold", ratio=2, min_width=8)
    table.add_column("year", justify="right", no_wrap=True, width=4)
    table.add_column("title / match", ratio=8, min_width=20)
    for rank, (paper, found) in enumerate(results, start=1):
        # One line of context, cut to the column: snippets are cleaned before their matches are located.
        context = Text(found.text, style="dim", no_wrap=True, overflow="ellipsis")
        for start, end in found.highlights:
            context.stylize("bold yellow", start, end)
        cell = Group(Text(clean(paper.title)), context)
        table.add_row(str(rank), Text(paper.id), Text(str(paper.year) if paper.year else ""), cell)
    return table
