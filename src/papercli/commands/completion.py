"""Shell completion of paper ids, tags (with aliases), institutions and reading-list names, answered from
the catalog's index. Completion must never fail loudly: any problem completes nothing."""

from __future__ import annotations

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
    from papercli.commands.context import choose_catalog
    from papercli.index.access import open_index

    # During completion the root callback has not run: the catalog is chosen here as it would choose it.
    option = ctx.find_root().params.get("catalog")
    path, _ = choose_catalog(Path(option) if option else None)
    return open_index(path, warn=lambda message: None)
