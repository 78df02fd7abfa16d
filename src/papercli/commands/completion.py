"""Shell completion of paper ids, tags (with aliases), institutions and reading-list names, answered from
the catalog's index. Completion must never fail loudly: any problem completes nothing."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from papercli.index.reader import CatalogIndex

Completer = Callable[[typer.Context, str], list[str]]


def completer(kind: str) -> Completer:
    """A Typer `autocompletion` callback offering the catalog's names of this kind ("id", "tag",
    "institution" or "list") that start with what was typed, any case."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            names = _index_of(ctx).names(kind)
        except Exception:  # noqa: BLE001 - a broken catalog completes nothing rather than print a traceback
            return []
        folded = incomplete.casefold()
        return [name for name in names if name.casefold().startswith(folded)]

    return complete


def _index_of(ctx: typer.Context) -> CatalogIndex:
    from papercli.bundled import bundled_catalog_path
    from papercli.index.access import open_index

    # During completion the root callback has not run: the catalog comes from its option or environment.
    chosen = ctx.find_root().params.get("catalog") or os.environ.get("PAPERS_CATALOG")
    return open_index(Path(chosen) if chosen else bundled_catalog_path(), warn=lambda message: None)
