"""`papers init`: create a new catalog file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from papercli.commands.context import note
from papercli.errors import UsageError


def init_catalog(
    path: Annotated[Path, typer.Argument(help="Where to create the catalog (must not exist).")],
    title: Annotated[str, typer.Option("--title", help="The catalog's title.")] = "My papers",
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Start from a copy of the bundled catalog instead of an empty one.")
    ] = False,
) -> None:
    """Create a new catalog file to add papers to.

    Example: papers init ~/papers.toml && export PAPERS_CATALOG=~/papers.toml
    """
    from papercli.catalog import bundled_catalog_path, read_text
    from papercli.models import check_single_line
    from papercli.write.transaction import create_catalog

    reason = check_single_line(title)
    if reason:
        raise UsageError(f"--title: {reason}")
    create_catalog(path, title=title, bundled_text=read_text(bundled_catalog_path()) if bundled else None)
    note(f"created {path}; use it with `papers --catalog {path} ...` or `export PAPERS_CATALOG={path}`")
