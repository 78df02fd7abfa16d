"""`papers list`: the papers that match, as a table or JSON."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from papercli.commands.context import note, state
from papercli.commands.options import JsonOption, with_filter_options
from papercli.query import PaperFilter, SortKey, select_papers, sort_papers


@with_filter_options
def list_papers(
    ctx: typer.Context,
    paper_filter: PaperFilter,
    sort: Annotated[SortKey | None, typer.Option("--sort", help="Sort by this key (default: catalog order).")] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most N papers.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List papers as a table (or JSON), filtered and sorted.

    Example: papers list --tag RAG --since 2023 --sort year
    """
    catalog = state(ctx).catalog()
    papers = sort_papers(select_papers(catalog, paper_filter), sort, reverse)
    total = len(papers)
    if limit is not None:
        papers = papers[:limit]
    if as_json:
        from papercli.export.json_format import dumps, paper_record

        sys.stdout.write(dumps([paper_record(p) for p in papers]))
    else:
        from papercli.render import make_console, papers_table

        if papers:
            make_console().print(papers_table(papers))
    shown = f"{len(papers)} of {total}" if len(papers) < total else str(total)
    note(f"{shown} {'paper' if total == 1 else 'papers'}")
