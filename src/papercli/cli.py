"""The `papers` command: argument parsing, output streams and the error edge. No business logic."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from papercli import __version__
from papercli.catalog import LoadResult, bundled_catalog_path, load_catalog
from papercli.errors import PapersError
from papercli.export import ExportFormat
from papercli.grouping import GroupBy
from papercli.models import Catalog
from papercli.query import PaperFilter, SortKey, resolve_list, resolve_ref, select_papers, sort_papers
from papercli.sanitize import clean


class PapersGroup(TyperGroup):
    """Maps domain errors to one clean line on stderr and an exit code; PAPERS_DEBUG=1 shows tracebacks."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except PapersError as exc:
            if os.environ.get("PAPERS_DEBUG"):
                raise
            fail(str(exc), exc.exit_code)


app = typer.Typer(
    name="papers",
    cls=PapersGroup,
    help="Keep and read a catalog of research-paper notes from the terminal.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {clean(message)}", err=True)
    raise typer.Exit(code)


def note(message: str) -> None:
    typer.echo(clean(message), err=True)


@dataclass
class AppState:
    catalog_path: Path
    _loaded: LoadResult | None = field(default=None, repr=False)

    def load(self) -> LoadResult:
        if self._loaded is None:
            self._loaded = load_catalog(self.catalog_path)
        return self._loaded

    def catalog(self) -> Catalog:
        """The catalog for read commands: problems are summarised in one warning line."""
        result = self.load()
        errors = result.errors
        if errors:
            skipped = f"; {result.skipped} entries skipped" if result.skipped else ""
            note(f"warning: {self.catalog_path} has {len(errors)} problem(s){skipped}; run `papers check` for details")
        return result.catalog


def _version(value: bool) -> None:
    if value:
        typer.echo(f"papers {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    catalog: Annotated[
        Path | None,
        typer.Option(
            "--catalog",
            "-c",
            envvar="PAPERS_CATALOG",
            help="Catalog file (TOML, or JSON from `papers export`). Default: $PAPERS_CATALOG, else the bundled one.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Keep and read a catalog of research-paper notes from the terminal."""
    ctx.obj = AppState(catalog or bundled_catalog_path())


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj


# Shared options: `list` and `export` take the same filters by construction.
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Only papers with this tag (name or alias, any case). Repeat to require several."),
]
InstitutionOption = Annotated[
    str | None,
    typer.Option("--institution", "-i", help="Only papers from an institution whose name or alias contains this text."),
]
YearOption = Annotated[int | None, typer.Option("--year", help="Only papers from this year.")]
SinceOption = Annotated[int | None, typer.Option("--since", help="Only papers from this year or later.")]
UntilOption = Annotated[int | None, typer.Option("--until", help="Only papers from this year or earlier.")]
VenueOption = Annotated[str | None, typer.Option("--venue", help="Only papers whose venue contains this text.")]
AuthorOption = Annotated[str | None, typer.Option("--author", help="Only papers with an author containing this text.")]
SearchOption = Annotated[
    str | None,
    typer.Option("--search", "-q", help="Full text over titles, summary and note (all words must occur; any case)."),
]
ListOption = Annotated[str | None, typer.Option("--list", "-l", help="Only papers of this reading list, in its order.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def build_filter(
    tag: list[str] | None,
    institution: str | None,
    year: int | None,
    since: int | None,
    until: int | None,
    venue: str | None,
    author: str | None,
    search: str | None,
    reading_list: str | None,
) -> PaperFilter:
    return PaperFilter(tuple(tag or ()), institution, year, since, until, venue, author, search, reading_list)


def list_papers(
    ctx: typer.Context,
    tag: TagOption = None,
    institution: InstitutionOption = None,
    year: YearOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    venue: VenueOption = None,
    author: AuthorOption = None,
    search: SearchOption = None,
    reading_list: ListOption = None,
    sort: Annotated[SortKey | None, typer.Option("--sort", help="Sort by this key (default: catalog order).")] = None,
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="Show at most N papers.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List papers as a table (or JSON), filtered and sorted.

    Example: papers list --tag RAG --since 2023 --sort year
    """
    catalog = state(ctx).catalog()
    spec = build_filter(tag, institution, year, since, until, venue, author, search, reading_list)
    papers = sort_papers(select_papers(catalog, spec), sort, reverse)
    total = len(papers)
    if limit is not None:
        papers = papers[:limit]
    if as_json:
        from papercli.export.json_format import dumps, paper_record

        sys.stdout.write(dumps([paper_record(p) for p in papers]))
    else:
        from papercli.render import make_console, papers_table

        if papers:
            make_console().print(papers_table(papers))
    shown = f"{len(papers)} of {total}" if len(papers) < total else str(total)
    note(f"{shown} {'paper' if total == 1 else 'papers'}")


def show_paper(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Paper id (any case), unique id prefix, or arXiv id like 2106.09685.")],
    as_json: JsonOption = False,
) -> None:
    """Show one paper: its metadata, links, tags, reading lists and notes.

    Example: papers show lora
    """
    catalog = state(ctx).catalog()
    paper = resolve_ref(catalog, ref)
    if as_json:
        from papercli.export.json_format import dumps, paper_record

        sys.stdout.write(dumps(paper_record(paper)))
        return
    from papercli.render import make_console, paper_view

    make_console().print(paper_view(paper, catalog.lists_containing(paper.id)))


def export_papers(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file (atomically) instead of stdout."),
    ] = None,
    group_by: Annotated[
        GroupBy, typer.Option("--group-by", "-g", help="Markdown sections by tag, by reading list, or none.")
    ] = GroupBy.none,
    tag: TagOption = None,
    institution: InstitutionOption = None,
    year: YearOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    venue: VenueOption = None,
    author: AuthorOption = None,
    search: SearchOption = None,
    reading_list: ListOption = None,
) -> None:
    """Export papers as a Markdown document, a JSON catalog, BibTeX or CSV.

    Example: papers export --format md --list must-read --group-by list -o must-read.md
    """
    from papercli.export import export_text
    from papercli.files import refuse_catalog_overwrite, write_atomic

    app_state = state(ctx)
    catalog = app_state.catalog()
    spec = build_filter(tag, institution, year, since, until, venue, author, search, reading_list)
    papers = select_papers(catalog, spec)
    list_id = resolve_list(catalog, reading_list).id if reading_list else None
    text = export_text(fmt, catalog, papers, group_by, list_id)
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        refuse_catalog_overwrite(output, app_state.catalog_path)
        write_atomic(output, text)
        note(f"wrote {len(papers)} papers to {output}")


def _vocabulary(ctx: typer.Context, kind: str, as_json: bool) -> None:
    from papercli.render import VocabularyRow, make_console, vocabulary_table

    catalog = state(ctx).catalog()
    items = catalog.tags if kind == "tag" else catalog.institutions

    def count(name: str) -> int:
        return sum(name in (p.tags if kind == "tag" else p.institutions) for p in catalog.papers)

    rows = [VocabularyRow(i.name, count(i.name), i.aliases, i.description) for i in items]
    if as_json:
        from papercli.export.json_format import dumps

        sys.stdout.write(
            dumps(
                [
                    {"name": r.name, "papers": r.count, "aliases": list(r.aliases), "description": r.description}
                    for r in rows
                ]
            )
        )
    else:
        make_console().print(vocabulary_table(rows, kind))
    note(f"{len(rows)} {kind}s")


def list_tags(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the tag vocabulary with paper counts and aliases.

    Example: papers tags --json
    """
    _vocabulary(ctx, "tag", as_json)


def list_institutions(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the institution vocabulary with paper counts and aliases.

    Example: papers institutions
    """
    _vocabulary(ctx, "institution", as_json)


def check_catalog(ctx: typer.Context) -> None:
    """Validate and lint the catalog: one line per problem with its location; exit 1 on errors.

    Example: papers --catalog my.toml check
    """
    from papercli.lint import lint

    app_state = state(ctx)
    try:
        result = load_catalog(app_state.catalog_path, use_cache=False)
    except PapersError as exc:
        fail(str(exc), 1)
    problems = result.problems + lint(result.catalog, str(app_state.catalog_path), result.locate)
    for problem in problems:
        typer.echo(clean(str(problem)))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    note(f"{app_state.catalog_path}: {len(result.catalog.papers)} papers, {errors} errors, {warnings} warnings")
    if errors:
        raise typer.Exit(1)


app.command("list")(list_papers)
app.command("show")(show_paper)
app.command("export")(export_papers)
app.command("tags")(list_tags)
app.command("institutions")(list_institutions)
app.command("check")(check_catalog)


def main() -> None:
    try:
        app(prog_name="papers")
    except BrokenPipeError:  # `papers list | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
