"""`papers show`: one paper with its metadata, links, reading lists and notes."""

from __future__ import annotations

import sys

import typer

from papercli.commands.context import state
from papercli.commands.options import JsonOption, RefArgument
from papercli.query import resolve_ref


def show_paper(ctx: typer.Context, ref: RefArgument, as_json: JsonOption = False) -> None:
    """Show one paper: its metadata, links, tags, reading lists and notes.

    Example: papers show lora
    """
    catalog = state(ctx).catalog()
    paper = resolve_ref(catalog, ref)
    if as_json:
        from papercli.export.json_format import dumps, paper_record

        sys.stdout.write(dumps(paper_record(paper)))
        return
    from papercli.render import make_console, paper_view

    make_console().print(paper_view(paper, catalog.lists_containing(paper.id)))
