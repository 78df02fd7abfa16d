"""`papers tags` and `papers institutions`: the catalog's vocabularies with paper counts."""

from __future__ import annotations

import sys

import typer

from papercli.commands.context import note, state
from papercli.commands.options import JsonOption
from papercli.query import VocabularyKind


def _show_vocabulary(ctx: typer.Context, kind: VocabularyKind, as_json: bool) -> None:
    usage = state(ctx).index().vocabulary_usage(kind)
    if as_json:
        from papercli.export.json_format import dumps

        records = [
            {"name": e.name, "papers": count, "aliases": list(e.aliases), "description": e.description}
            for e, count in usage
        ]
        sys.stdout.write(dumps(records))
    else:
        from papercli.render import VocabularyRow, make_console, vocabulary_table

        rows = [VocabularyRow(e.name, count, e.aliases, e.description) for e, count in usage]
        make_console().print(vocabulary_table(rows, kind))
    note(f"{len(usage)} {kind}s")


def list_tags(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the tag vocabulary with paper counts and aliases.

    Example: papers tags --json
    """
    _show_vocabulary(ctx, "tag", as_json)


def list_institutions(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the institution vocabulary with paper counts and aliases.

    Example: papers institutions
    """
    _show_vocabulary(ctx, "institution", as_json)
