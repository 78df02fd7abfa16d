"""`papers show`: one paper with its metadata, links, reading lists and notes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from papercli.commands.context import AppState, state
from papercli.commands.options import JsonOption, RefArgument
from papercli.models import Paper
from papercli.query import resolve_ref


def show_paper(
    ctx: typer.Context,
    ref: RefArgument,
    as_json: JsonOption = False,
    pretty: Annotated[
        bool,
        typer.Option(
            "--pretty", help="Draw the terminal view even when stdout is no terminal (piped output is plain text)."
        ),
    ] = False,
) -> None:
    """Show one paper: its metadata, links, tags, the list sections it sits in (with item numbers), your
    reading status, and its notes rendered as Markdown. Piped or redirected, it prints plain text instead:
    `key:<TAB>value` lines, then `--` and the note as written.

    Example: papers show lora
    """
    app_state = state(ctx)
    index = app_state.index()
    paper = resolve_ref(index, ref)
    if as_json:
        from papercli.export.json_format import dumps, paper_record

        sys.stdout.write(dumps(paper_record(paper)))
        return
    from papercli.reading import positions
    from papercli.render_plain import Place

    lists = index.vocabulary.lists_containing(paper.id)
    catalog = index.with_papers(pid for rl in lists for pid in rl.paper_ids())
    places = [Place(rl.id, number, part.section.title) for rl, part, number in positions(catalog, paper.id)]
    reading = _reading_line(app_state, paper)
    if not pretty and not sys.stdout.isatty():
        from papercli.render_plain import paper_text

        sys.stdout.write(paper_text(paper, places, reading))
        return
    from papercli.render import make_console, paper_view

    make_console().print(paper_view(paper, places, reading))


def _reading_line(app_state: AppState, paper: Paper) -> str | None:
    """`read, rated 4 (since 2026-11-30)` from the reading log, or None when the log has no entry."""
    log = app_state.reading_log_if_readable()
    entry = log.entry_for(paper) if log is not None else None
    if entry is None:
        return None
    line = entry.status + (f", rated {entry.rating}" if entry.rating is not None else "")
    if entry.history:
        line += f" (since {entry.history[-1].at.date().isoformat()})"
    return line
