"""`papers list`: the papers that match, as a table or JSON."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from papercli.commands.context import AppState, note, papers_shown, state, tsv_line
from papercli.commands.options import JsonOption, TableOption, with_filter_options
from papercli.models import Paper
from papercli.query import PaperFilter, SortKey

if TYPE_CHECKING:
    from papercli.reading_log import ReadingLog


@with_filter_options
def list_papers(
    ctx: typer.Context,
    paper_filter: PaperFilter,
    sort: Annotated[
        SortKey | None,
        typer.Option("--sort", help="Sort by this key (default: catalog order; rating: yours, best first)."),
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most N papers.")] = None,
    as_json: JsonOption = False,
    table: TableOption = False,
) -> None:
    """List papers as a table (or JSON), filtered and sorted; with --list, the list as its author wrote it:
    sections in order, items numbered (2.3 = part 2, item 3), a status mark per paper once you mark papers.

    Example: papers list --tag RAG --since 2023 --sort year
    """
    app_state = state(ctx)
    log = app_state.reading_log() if paper_filter.statuses or sort is SortKey.rating else None
    as_text = not as_json and paper_filter.reading_list is None and not table and not sys.stdout.isatty()
    draws_table = not as_json and not as_text
    # A table of thousands of rows helps nobody on a screen and takes seconds to draw: it stops at
    # TABLE_ROWS unless --limit asks for more (piped and JSON output are never cut).
    cap = limit if limit is not None or not draws_table else TABLE_ROWS
    if as_text or as_json:  # written as the rows come: a long result is never in memory whole
        found, total = app_state.index().select(paper_filter, sort, reverse, cap, log)
        if as_json:
            from papercli.export.json_format import paper_record, write_array

            shown = write_array((paper_record(p) for p in found), sys.stdout)
        else:
            shown = 0
            for p in found:
                sys.stdout.write(tsv_line(p.id, str(p.year or ""), p.title, ", ".join(p.tags)))
                shown += 1
        _count(shown, total, limit)
        return
    found, total = app_state.index().select(paper_filter, sort, reverse, cap, log)
    papers = list(found)
    if paper_filter.reading_list is not None and sort is None and not reverse:
        _print_as_written(app_state, paper_filter.reading_list, papers, log)
    else:
        from papercli.render import make_console, papers_table

        if papers:
            make_console().print(papers_table(papers))
    _count(len(papers), total, limit)


def _count(shown: int, total: int, limit: int | None) -> None:
    more = f"; --limit {total} shows them all" if limit is None and shown < total else ""
    note(papers_shown(shown, total) + more)


TABLE_ROWS = 500


def _print_as_written(app_state: AppState, list_name: str, papers: list[Paper], log: ReadingLog | None) -> None:
    """A reading list as its author wrote it: sections in order, items numbered as the list numbers them,
    and a status mark per paper when there is a reading log."""
    from dataclasses import replace

    from papercli.query import resolve_list
    from papercli.reading import list_parts, restrict_parts, statuses_of
    from papercli.render import make_console
    from papercli.render_reading import list_view

    # The papers shown are all the view needs (item numbers come from the list itself): no other row is read.
    catalog = replace(app_state.index().vocabulary, papers=tuple(papers))
    reading_list = resolve_list(catalog, list_name)
    parts = restrict_parts(list_parts(catalog, reading_list), (p.id for p in papers))
    if log is None:
        log = app_state.reading_log_if_readable()
    statuses = statuses_of(papers, log) if log is not None and log.exists else None
    if parts:
        make_console().print(list_view(reading_list.title, parts, statuses))
