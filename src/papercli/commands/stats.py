"""`papers stats`: what the catalog holds, drawn: papers per year, top tags and institutions, coverage,
and reading progress when there is a reading log."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from papercli.commands.context import state
from papercli.commands.options import JsonOption


def show_stats(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", min=1, help="How many tags and institutions to show.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Show what the catalog holds: papers per year as a bar chart, the top tags and institutions, kinds,
    how many papers have notes, code links and venues, and your reading progress.

    Example: papers stats --top 5
    """
    from papercli.stats import catalog_stats
    from papercli.write.reading_log import now_utc

    app_state = state(ctx)
    stats = catalog_stats(app_state.catalog(), app_state.reading_log_if_readable(), now_utc(), top)
    if as_json:
        from papercli.export.json_format import dumps

        sys.stdout.write(dumps(stats.as_json()))
        return
    from papercli.render import make_console
    from papercli.render_stats import stats_view

    make_console().print(stats_view(stats))
