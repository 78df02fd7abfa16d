"""`papers search`: papers ranked by how well they match words (BM25 over the index's FTS5 table)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from papercli.commands.context import note, papers_shown, state, tsv_line
from papercli.commands.options import JsonOption, TableOption, with_filter_options
from papercli.errors import UsageError
from papercli.query import PaperFilter


@with_filter_options
def search_papers(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            help="Words to look for (all must occur) in titles, Chinese headlines, authors, summaries, tags "
            "and their aliases, institutions and notes. Chinese words match inside longer text (检索, 对齐).",
        ),
    ],
    paper_filter: PaperFilter,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Show at most N papers (best first).")] = 20,
    as_json: JsonOption = False,
    table: TableOption = False,
) -> None:
    """Search papers by relevance, best first, with a line of context around the match. First the papers
    with every word in the title, Chinese headline, authors, summary, tags or institutions (by BM25 over
    those fields), then those where a word occurs only in the note (by BM25 over every field). Piped
    output is one tab-separated line per paper: rank, id, year, title, context.

    Example: papers search 检索 --tag RAG --limit 5
    """
    from papercli.index.fts import match_expression, snippet

    match = match_expression(query)
    if match is None:
        raise UsageError(f"nothing to search for in {query!r}: give a word")
    app_state = state(ctx)
    log = app_state.reading_log() if paper_filter.statuses else None
    hits, total = app_state.index().search(match, paper_filter, limit, log)
    snippets = [
        snippet((h.paper.summary, h.paper.note, h.paper.title_zh, h.paper.title, ", ".join(h.paper.authors)), query)
        for h in hits
    ]
    if as_json:
        from papercli.export.json_format import dumps, paper_record

        records = [
            {
                "rank": rank,
                "tier": hit.tier,
                "score": float(f"{hit.score:.4g}"),  # a word in most papers scores near 0: digits, not decimals
                "snippet": found.text,
                "highlights": [list(span) for span in found.highlights],
            }
            | paper_record(hit.paper)
            for rank, (hit, found) in enumerate(zip(hits, snippets, strict=True), start=1)
        ]
        sys.stdout.write(dumps(records))
    elif not table and not sys.stdout.isatty():
        rows = zip(hits, snippets, strict=True)
        lines = (
            tsv_line(str(rank), h.paper.id, str(h.paper.year or ""), h.paper.title, found.text)
            for rank, (h, found) in enumerate(rows, start=1)
        )
        sys.stdout.write("".join(lines))
    elif hits:
        from papercli.render import make_console, search_results

        make_console().print(search_results([(h.paper, s) for h, s in zip(hits, snippets, strict=True)]))
    note(f"{papers_shown(len(hits), total)} match")
