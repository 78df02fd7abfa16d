"""`papers stats` drawn with Rich: bar charts of papers per year and of the top tags and institutions, and
bars for what share of papers have notes, code links, venues, and for reading progress. No plotting
dependency: a horizontal bar of block characters per row says as much in a terminal, and keeps the
output copyable text."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from papercli.render_reading import progress_bar
from papercli.sanitize import clean
from papercli.stats import CatalogStats

BLOCKS = " ▏▎▍▌▋▊▉█"
BAR_WIDTH = 30
HAVING_LABELS = {"code_links": "code links", "arxiv_ids": "arXiv ids"}


def bar(value: int, largest: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of `value` against `largest`, in eighths of a cell; a non-zero value shows."""
    if largest <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / largest * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (BLOCKS[rest] if rest else "")


def _chart(title: str, rows: Sequence[tuple[str, int]], style: str) -> RenderableType:
    largest = max((n for _, n in rows), default=0)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, overflow="ellipsis", max_width=28)
    grid.add_column(no_wrap=True, width=BAR_WIDTH)
    grid.add_column(justify="right", no_wrap=True)
    for label, n in rows:
        grid.add_row(Text(clean(label)), Text(bar(n, largest), style=style), str(n))
    return Group(Text(title, style="bold"), grid, Text(""))


def stats_view(stats: CatalogStats) -> RenderableType:
    kinds = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in stats.kinds)
    parts: list[RenderableType] = [Text(f"{stats.papers} entries ({kinds})", style="bold"), Text("")]
    if stats.years:
        undated = f" ({stats.undated} undated)" if stats.undated else ""
        parts.append(_chart(f"Papers per year{undated}", [(str(y), n) for y, n in stats.years], "cyan"))
    if stats.tags:
        parts.append(_chart("Top tags", stats.tags, "magenta"))
    if stats.institutions:
        parts.append(_chart("Top institutions", stats.institutions, "green"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(no_wrap=True, width=BAR_WIDTH)
    grid.add_column(justify="right", no_wrap=True)
    for label, n in stats.having:
        share = f"{n}/{stats.papers}" + (f" ({n * 100 // stats.papers}%)" if stats.papers else "")
        grid.add_row(
            HAVING_LABELS.get(label, label),
            ProgressBar(total=max(stats.papers, 1), completed=n, width=BAR_WIDTH),
            share,
        )
    parts += [Text("Papers with", style="bold"), grid, Text("")]
    if stats.reading is not None:
        reading = stats.reading
        c = reading.counts
        line = Table.grid(padding=(0, 1))
        line.add_column(no_wrap=True, width=BAR_WIDTH)
        line.add_column()
        line.add_row(
            progress_bar(c, BAR_WIDTH),
            f"{c.read} read · {c.reading} reading · {c.skipped} skipped · {c.to_go} to go",
        )
        rated = f"{reading.rated} rated, {reading.mean_rating} on average; " if reading.rated else ""
        pace = ", ".join(f"{n} read in the last {days} days" for days, n in reading.pace.items())
        parts += [Text("Reading", style="bold"), line, Text(rated + pace)]
    return Group(*parts)
