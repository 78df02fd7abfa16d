"""`papers add`: append a paper, typed in or fetched from arXiv."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from papercli.arxiv import DEFAULT_TIMEOUT
from papercli.commands.context import note, state
from papercli.errors import UsageError
from papercli.models import DEFAULT_KIND, PAPER_KINDS


def _known_kind(value: str) -> str:
    if value not in PAPER_KINDS:
        raise typer.BadParameter(f"{value!r} is not one of " + ", ".join(repr(k) for k in PAPER_KINDS))
    return value


def add_paper(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="[ARXIV]",
            help="arXiv id or link (2106.09685, https://arxiv.org/abs/2106.09685): fetch title, authors, year "
            "and link from arXiv. Options given here win over fetched values.",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title (required without ARXIV).")] = None,
    paper_id: Annotated[
        str | None, typer.Option("--id", help="Id (default: derived from the title, e.g. 'lora').")
    ] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="[" + "|".join(PAPER_KINDS) + "]",
            callback=_known_kind,
            help="'project' for a code base or model release that is not a paper.",
        ),
    ] = DEFAULT_KIND,
    url: Annotated[str | None, typer.Option("--url", help="Link to the paper.")] = None,
    code: Annotated[str | None, typer.Option("--code", help="Link to the code.")] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="A declared tag (name or alias). Repeat.")
    ] = None,
    institution: Annotated[
        list[str] | None, typer.Option("--institution", "-i", help="A declared institution (name or alias). Repeat.")
    ] = None,
    author: Annotated[list[str] | None, typer.Option("--author", "-a", help="An author, in order. Repeat.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Year of first publication.")] = None,
    venue: Annotated[str | None, typer.Option("--venue", help="Venue, e.g. 'ICLR 2022'.")] = None,
    title_zh: Annotated[str | None, typer.Option("--title-zh", help="Chinese title.")] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="One- or two-sentence summary.")] = None,
    note_file: Annotated[
        Path | None, typer.Option("--note-file", help="Markdown file with the reading note ('-' reads stdin).")
    ] = None,
    new_tag: Annotated[
        list[str] | None, typer.Option("--new-tag", help="Declare a new tag in the catalog and use it. Repeat.")
    ] = None,
    new_institution: Annotated[
        list[str] | None,
        typer.Option("--new-institution", help="Declare a new institution in the catalog and use it. Repeat."),
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for arXiv, in all (at most 600).")
    ] = DEFAULT_TIMEOUT,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the TOML that would be added; write nothing.")
    ] = False,
) -> None:
    """Add a paper to the catalog, by hand or from arXiv.

    Example: papers --catalog my.toml add 2106.09685 --tag PEFT --note-file lora.md
    """
    from papercli.write import adding, drafts

    app_state = state(ctx)
    path = app_state.catalog_path if dry_run else app_state.catalog_to_change()
    draft = drafts.Draft(
        title=title,
        id=paper_id,
        kind=kind,
        title_zh=title_zh,
        authors=tuple(author or ()),
        institutions=tuple(institution or ()),
        year=year,
        venue=venue,
        url=url,
        code=code,
        tags=tuple(tag or ()),
        summary=summary,
        note=read_note_file(note_file) if note_file is not None else None,
        new_tags=tuple(new_tag or ()),
        new_institutions=tuple(new_institution or ()),
    )
    if dry_run:
        sys.stdout.write(adding.preview_addition(path, draft, arxiv_ref=source, timeout=timeout))
        return
    addition = adding.add_paper(path, draft, arxiv_ref=source, timeout=timeout)
    declared = [*addition.new_tags, *addition.new_institutions]
    also = f" (declared {', '.join(repr(n) for n in declared)})" if declared else ""
    note(f"added {addition.paper.id!r} to {path}{also}: {addition.paper.title}")
    typer.echo(addition.paper.id)


def read_note_file(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"--note-file {path}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"--note-file {path}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"--note-file {path}: cannot read: {exc.strerror}") from None
