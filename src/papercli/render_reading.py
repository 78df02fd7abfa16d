"""Rich renderables for reading through a list: progress bars per list and section, the next paper as a
short card, and a reading list shown as its author wrote it (sections, item numbers, status marks).
Like `render`, it treats catalog text as data: never markup, stripped of terminal control sequences."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from papercli.reading import Counts, ListItem, ListPart, ListProgress
from papercli.reading_log import Status
from papercli.sanitize import clean

STATUS_MARKS: dict[Status, tuple[str, str]] = {  # status -> (mark, style)
    "to-read": ("[ ]", "dim"),
    "reading": ("[~]", "yellow"),
    "read": ("[x]", "green"),
    "skipped": ("[-]", "dim"),
}
BAR_WIDTH = 20


def _counts_text(counts: Counts) -> Text:
    text = Text()
    text.append(f"{counts.read}/{counts.total} read", style="green" if counts.read else "")
    text.append(" · ")
    text.append(f"{counts.reading} reading", style="yellow" if counts.reading else "")
    text.append(" · ")
    text.append(f"{counts.to_go} to go", style="bold" if counts.to_go else "")
    if counts.skipped:
        text.append(f" · {counts.skipped} skipped", style="dim")
    return text


def progress_bar(counts: Counts, width: int = BAR_WIDTH) -> ProgressBar:
    """Read papers in green; skipped ones count as done too (they are not waiting to be read)."""
    return ProgressBar(total=max(counts.total, 1), completed=counts.done, width=width, complete_style="green")


def progress_view(progress: Sequence[ListProgress], pace: Mapping[int, int]) -> RenderableType:
    parts: list[RenderableType] = []
    for item in progress:
        header = Text(clean(item.reading_list.id), style="bold cyan")
        header.append("  " + clean(item.reading_list.title), style="bold")
        parts.append(header)
        rows = [("", Text("all", style="bold"), item.counts)]
        rows += [(str(p.number), Text(clean(p.title)), p.counts) for p in item.parts]
        counts = [_counts_text(c) for _, _, c in rows]
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(justify="right", no_wrap=True, style="dim", min_width=max(len(n) for n, _, _ in rows))
        grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True, min_width=8)
        grid.add_column(no_wrap=True, width=BAR_WIDTH)
        grid.add_column(no_wrap=True, min_width=max(c.cell_len for c in counts))
        for (number, title, part_counts), text in zip(rows, counts, strict=True):
            grid.add_row(number, title, progress_bar(part_counts), text)
        parts += [grid, Text("")]
    pace_text = Text("pace: ", style="bold")
    pace_text.append(", ".join(f"{count} read in the last {days} days" for days, count in pace.items()))
    parts.append(pace_text)
    return Group(*parts)


def next_card(list_id: str, part: ListPart, item: ListItem, status: Status) -> RenderableType:
    paper = item.paper
    head = Text(f"{list_id} {item.number}  ", style="bold cyan")
    head.append(clean(paper.title), style="bold")
    lines: list[RenderableType] = [head]
    if paper.title_zh:
        lines.append(Text(clean(paper.title_zh)))
    where = Text(f"id {paper.id}", style="dim")
    where.append(f" · part {part.number}: " + clean(part.section.title), style="dim")
    if status != "to-read":
        where.append(f" · {status}", style="yellow")
    lines.append(where)
    if paper.summary:
        lines.append(Text(clean(paper.summary), style="italic"))
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold dim", no_wrap=True)
    fields.add_column(overflow="fold")
    for label, url in paper.links().items():
        fields.add_row(label, Text(clean(url)))
    lines.append(fields)
    return Group(*lines)


def list_view(
    title: str, parts: Sequence[ListPart], statuses: Mapping[str, Status] | None, limit: int | None = None
) -> RenderableType:
    """A reading list as written: each section's title, then its papers numbered as the list numbers
    them, with a status mark per paper when `statuses` (from a reading log) is given."""
    blocks: list[RenderableType] = [Text(clean(title), style="bold")]
    shown = 0
    for part in parts:
        items = part.items if limit is None else part.items[: max(limit - shown, 0)]
        if not items:
            continue
        shown += len(items)
        blocks += [Text(""), Text(f"{part.number}  " + clean(part.section.title), style="bold")]
        table = Table(box=None, show_header=False, pad_edge=False, expand=True, padding=(0, 1))
        table.add_column(no_wrap=True, justify="right", style="dim")  # 2.13
        if statuses is not None:
            table.add_column(no_wrap=True, width=3)
        # An id is never wrapped: its column is as wide as the longest id here (the title wraps instead).
        table.add_column(style="cyan", no_wrap=True, min_width=max(len(i.paper.id) for i in items))
        table.add_column(no_wrap=True, justify="right", width=4)
        table.add_column(ratio=1, min_width=16)
        for item in items:
            paper = item.paper
            title_text = Text(clean(paper.title))
            if paper.title_zh:
                title_text.append("  " + clean(paper.title_zh), style="dim")
            row: list[RenderableType] = [Text(item.number)]
            if statuses is not None:
                mark, style = STATUS_MARKS[statuses.get(paper.id, "to-read")]
                row.append(Text(mark, style=style))
            row += [Text(paper.id), Text(str(paper.year) if paper.year else ""), title_text]
            table.add_row(*row)
        blocks.append(table)
    return Group(*blocks)
