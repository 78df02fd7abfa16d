"""`papers progress`: how far you are in each reading list, per section, and your reading pace."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from papercli.commands.context import note, state
from papercli.commands.options import JsonOption

if TYPE_CHECKING:
    from papercli.reading import Counts


def show_progress(
    ctx: typer.Context,
    reading_list: Annotated[
        str | None, typer.Option("--list", "-l", help="Only this reading list (default: every list).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Show your progress through the reading lists: per list and per section, read / reading / to go,
    and how many papers you read in the last 7 and 30 days.

    Example: papers progress --list must-read
    """
    from papercli.query import resolve_list
    from papercli.reading import list_progress, pace
    from papercli.write.reading_log import now_utc

    app_state = state(ctx)
    catalog = app_state.catalog()
    log = app_state.reading_log()
    lists = [resolve_list(catalog, reading_list)] if reading_list is not None else list(catalog.lists)
    progress = [list_progress(catalog, rl, log) for rl in lists]
    recent = pace(log, now_utc())
    if as_json:
        from papercli.export.json_format import dumps

        sys.stdout.write(
            dumps(
                {
                    "lists": [
                        {
                            "id": p.reading_list.id,
                            "title": p.reading_list.title,
                            **_counts(p.counts),
                            "sections": [{"number": s.number, "title": s.title, **_counts(s.counts)} for s in p.parts],
                        }
                        for p in progress
                    ],
                    "pace": {f"last_{days}_days": count for days, count in recent.items()},
                }
            )
        )
    else:
        from papercli.render import make_console
        from papercli.render_reading import progress_view

        make_console().print(progress_view(progress, recent))
    if not log.exists:
        note(f"no reading log yet ({app_state.log_path()}): mark papers with `papers mark ID read`")
    elif not lists:
        note("the catalog has no reading lists")


def _counts(counts: Counts) -> dict[str, int]:
    return {
        "total": counts.total,
        "read": counts.read,
        "reading": counts.reading,
        "skipped": counts.skipped,
        "to_go": counts.to_go,
    }
