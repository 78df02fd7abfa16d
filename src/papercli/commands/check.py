"""`papers check`: validate and lint the catalog's source, one located line per problem."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from papercli.catalog import load_catalog
from papercli.commands.context import note, state
from papercli.errors import PapersError
from papercli.problems import Problem
from papercli.sanitize import clean


def leftover_problems(catalog: Path) -> list[Problem]:
    """Temporary files that killed writers left beside the catalog (the next write removes them)."""
    from papercli.write.atomic import leftovers

    found = []
    for path in leftovers(Path(os.path.realpath(catalog))):
        try:
            size = f"{path.stat().st_size / 2**20:.1f} MB"
        except OSError:
            continue
        message = (
            f"temporary file {path.name} ({size}) left by an interrupted write; "
            "the next write of the catalog removes it, or delete it"
        )
        found.append(Problem(message, str(catalog), severity="warning"))
    return found


def check_catalog(ctx: typer.Context) -> None:
    """Validate and lint the catalog: one line per problem with its location; exit 1 on errors.

    Example: papers --catalog my.toml check
    """
    from papercli.lint import lint

    app_state = state(ctx)
    try:
        result = load_catalog(app_state.catalog_path)
    except PapersError as exc:
        typer.echo(f"error: {clean(str(exc))}", err=True)
        raise typer.Exit(1) from None
    problems = result.problems + lint(result.catalog, str(app_state.catalog_path), result.locate)
    problems += leftover_problems(app_state.catalog_path)
    for problem in problems:
        typer.echo(clean(str(problem)))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    note(f"{app_state.catalog_path}: {len(result.catalog.papers)} papers, {errors} errors, {warnings} warnings")
    if errors:
        raise typer.Exit(1)
