"""`papers mark`: set the reading status (and rating) of papers in the reading log."""

from __future__ import annotations

from typing import Annotated

import typer

from papercli.commands.context import note, state
from papercli.errors import NotFoundError, PapersError, UsageError
from papercli.models import Catalog, Paper
from papercli.reading_log import STATUSES


def mark_papers(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="REF... STATUS",
            show_default=False,
            help="Papers (ids, unique id prefixes, arXiv ids or links), then the status: " + ", ".join(STATUSES) + ".",
        ),
    ],
    rating: Annotated[int | None, typer.Option("--rating", "-r", help="Your rating, 1 to 5.")] = None,
    reading_list: Annotated[
        str | None,
        typer.Option("--list", "-l", help="Mark every paper of this reading list (with --section: of one part)."),
    ] = None,
    section: Annotated[
        int | None,
        typer.Option("--section", "-s", help="With --list: only the papers of this section (1 = the first)."),
    ] = None,
) -> None:
    """Mark papers as to-read, reading, read or skipped in your reading log (the catalog is not changed).

    Example: papers mark lora qlora read --rating 4

    Example: papers mark --list must-read --section 1 read
    """
    from papercli.reading_log import check_rating, check_status
    from papercli.write.reading_log import mark_papers as write_marks

    *refs, status_word = words
    status = check_status(status_word)
    if rating is not None:
        check_rating(rating)
    app_state = state(ctx)
    papers = _papers_to_mark(app_state.catalog(), refs, reading_list, section)
    path = app_state.log_path()
    if path.resolve() == app_state.catalog_path.resolve():
        raise UsageError(f"$PAPERS_READING_LOG names the catalog ({path}); the reading log must be a file of its own")
    results = write_marks(path, papers, status, rating)
    for result in results:
        if not result.changed:
            note(f"{result.paper_id}: already {result.after}")
        elif result.before is None or result.before == result.after:
            note(f"{result.paper_id}: {result.after}")
        else:
            note(f"{result.paper_id}: {result.before} -> {result.after}")
    changed = sum(r.changed for r in results)
    rated = f", rated {rating}" if rating is not None else ""
    note(f"marked {changed} of {len(results)} {'paper' if len(results) == 1 else 'papers'} {status}{rated} in {path}")


def _papers_to_mark(catalog: Catalog, refs: list[str], list_name: str | None, section: int | None) -> list[Paper]:
    from papercli.query import resolve_list, resolve_ref
    from papercli.reading import list_parts

    if section is not None and list_name is None:
        raise UsageError("--section needs --list (the reading list whose section to mark)")
    if list_name is not None:
        if refs:
            raise UsageError("give papers or --list, not both")
        parts = list_parts(catalog, resolve_list(catalog, list_name), section)
        return [item.paper for part in parts for item in part.items]
    if not refs:
        raise UsageError("name the papers to mark, then the status (e.g. `papers mark lora read`), or use --list")
    papers: list[Paper] = []
    reasons: list[str] = []
    for ref in refs:
        try:
            papers.append(resolve_ref(catalog, ref))
        except PapersError as exc:
            reasons.append(str(exc))
    if reasons:
        raise NotFoundError("nothing marked: " + "; ".join(reasons))
    return papers
