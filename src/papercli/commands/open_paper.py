"""`papers open`: a paper's page, arXiv PDF or code in the web browser."""

from __future__ import annotations

from typing import Annotated

import typer

from papercli.commands.context import note, state
from papercli.commands.options import RefArgument
from papercli.errors import NotFoundError, UsageError
from papercli.models import Paper


def open_paper(
    ctx: typer.Context,
    ref: RefArgument,
    pdf: Annotated[bool, typer.Option("--pdf", help="The arXiv PDF instead of the paper's page.")] = False,
    code: Annotated[bool, typer.Option("--code", help="The code instead of the paper's page.")] = False,
    print_only: Annotated[bool, typer.Option("--print", help="Only print the link; open nothing.")] = False,
) -> None:
    """Open a paper's page (or its arXiv PDF, or its code) in the web browser.

    Example: papers open lora --pdf
    """
    from papercli.query import resolve_ref

    if pdf and code:
        raise UsageError("--pdf and --code: choose one")
    paper = resolve_ref(state(ctx).index(), ref)
    url = link_for(paper, "pdf" if pdf else "code" if code else "page")
    if print_only:
        typer.echo(url)
        return
    import webbrowser

    if not webbrowser.open(url):
        raise NotFoundError(f"no web browser could be opened; the link is {url}")
    note(f"opened {url}")


def link_for(paper: Paper, kind: str) -> str:
    """The paper's link of this kind (page, pdf or code), or a NotFoundError saying what it has instead."""
    links = paper.links()
    if kind in links:
        return links[kind]
    problem = {
        "pdf": "has no arXiv link, so no PDF link",
        "code": "has no code link",
    }.get(kind, "has no link to its page")
    others = [
        name for name, present in (("page", paper.url), ("--pdf", paper.arxiv), ("--code", paper.code)) if present
    ]
    hint = f" (it has: {', '.join(others)})" if others else ""
    raise NotFoundError(f"paper {paper.id!r} {problem}{hint}")
