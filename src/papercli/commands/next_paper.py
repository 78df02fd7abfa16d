"""`papers next`: the first paper of a reading list you have neither read nor skipped."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from papercli.commands.context import note, state
from papercli.commands.options import JsonOption


def next_paper(
    ctx: typer.Context,
    reading_list: Annotated[
        str | None, typer.Option("--list", "-l", help="The reading list (default: the catalog's first).")
    ] = None,
    section: Annotated[
        int | None, typer.Option("--section", "-s", help="Only this section of the list (1 = the first).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show the next paper to read: the first one in list order that is neither read nor skipped, with
    its item number, headline, summary and links.

    Example: papers next --list must-read --section 2
    """
    from papercli.reading import list_parts, next_item, resolve_section_list

    app_state = state(ctx)
    catalog = app_state.catalog()
    log = app_state.reading_log()
    chosen = resolve_section_list(catalog, reading_list)
    parts = list_parts(catalog, chosen, section)
    found = next_item(parts, log)
    where = f"section {section} of {chosen.id!r}" if section is not None else repr(chosen.id)
    if found is None:
        if as_json:
            sys.stdout.write("null\n")
        note(f"nothing left in {where}: every paper is read or skipped (`papers progress --list {chosen.id}`)")
        return
    part, item, status = found
    if as_json:
        from papercli.export.json_format import dumps, paper_record

        record = {
            "list": chosen.id,
            "item": item.number,
            "section": {"number": part.number, "title": part.section.title},
            "status": status,
            "paper": paper_record(item.paper),
        }
        sys.stdout.write(dumps(record))
        return
    from papercli.render import make_console
    from papercli.render_reading import next_card

    make_console().print(next_card(chosen.id, part, item, status))
    note(f"open it: papers open {item.paper.id} · done: papers mark {item.paper.id} read")
