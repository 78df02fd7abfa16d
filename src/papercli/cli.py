"""The `papers` command: argument parsing, output streams and the error edge. No business logic."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from papercli import __version__
from papercli.catalog import LoadResult, bundled_catalog_path, load_catalog
from papercli.errors import PapersError, UsageError
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
    chosen: bool = True  # False when no --catalog or $PAPERS_CATALOG was given (the bundled catalog)
    _loaded: LoadResult | None = field(default=None, repr=False)

    def catalog_to_change(self) -> Path:
        """The catalog a write command may change: one the user chose, never the bundled one."""
        from papercli.write.transaction import OWN_CATALOG_HINT

        if not self.chosen:  # the command itself refuses JSON files and the bundled catalog
            raise UsageError(f"this command changes a catalog, and none was chosen; {OWN_CATALOG_HINT}")
        return self.catalog_path

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
    ctx.obj = AppState(catalog or bundled_catalog_path(), chosen=catalog is not None)


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
    from papercli.write.atomic import refuse_catalog_overwrite, write_atomic

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


class EntryKind(str, Enum):
    paper = "paper"
    project = "project"


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
        EntryKind, typer.Option("--kind", help="'project' for a code base or model release that is not a paper.")
    ] = EntryKind.paper,
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
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for arXiv.")] = 15.0,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the TOML that would be added; write nothing.")
    ] = False,
) -> None:
    """Add a paper to the catalog, by hand or from arXiv.

    Example: papers --catalog my.toml add 2106.09685 --tag PEFT --note-file lora.md
    """
    from papercli.write import drafts as authoring

    app_state = state(ctx)
    path = app_state.catalog_path if dry_run else app_state.catalog_to_change()
    draft = authoring.Draft(
        title=title,
        id=paper_id,
        kind=kind.value,
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
        sys.stdout.write(authoring.preview_addition(path, draft, arxiv_ref=source, timeout=timeout))
        return
    addition = authoring.add_paper(path, draft, arxiv_ref=source, timeout=timeout)
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


def edit_paper(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Paper id (any case), unique id prefix, or arXiv id.")],
    note_only: Annotated[bool, typer.Option("--note", help="Edit only the note, as a Markdown file.")] = False,
) -> None:
    """Edit a paper's entry (or only its note) in $VISUAL or $EDITOR; it is checked before it is written.

    Example: papers --catalog my.toml edit lora --note
    """
    from papercli.write import edit_session as editing
    from papercli.write.editor import run_editor

    path = state(ctx).catalog_to_change()
    result = editing.edit_paper(path, ref, note_only=note_only, open_editor=run_editor, retry=ask_to_retry)
    messages = {
        editing.Outcome.saved: f"saved {result.paper_id!r} to {path}",
        editing.Outcome.unchanged: f"no changes to {result.paper_id!r}; nothing written",
        editing.Outcome.aborted: f"empty entry: edit of {result.paper_id!r} aborted; nothing written",
    }
    note(messages[result.outcome])


def ask_to_retry(problems: list[str]) -> bool:
    for problem in problems:
        note(f"error: {problem}")
    try:
        return typer.confirm("Re-open the editor to fix this?", default=True, err=True)
    except typer.Abort:  # stdin closed: nobody to ask
        return False


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
    from papercli.catalog import read_text
    from papercli.models import check_single_line
    from papercli.write.transaction import create_catalog

    reason = check_single_line(title)
    if reason:
        raise UsageError(f"--title: {reason}")
    create_catalog(path, title=title, bundled_text=read_text(bundled_catalog_path()) if bundled else None)
    note(f"created {path}; use it with `papers --catalog {path} ...` or `export PAPERS_CATALOG={path}`")


app.command("list")(list_papers)
app.command("show")(show_paper)
app.command("export")(export_papers)
app.command("tags")(list_tags)
app.command("institutions")(list_institutions)
app.command("check")(check_catalog)
app.command("add")(add_paper)
app.command("edit")(edit_paper)
app.command("init")(init_catalog)


def requested_command(argv: list[str]) -> str | None:
    """The subcommand `argv` runs, when that is plain to see (None for help, completion and the like)."""
    if any(name.endswith("_COMPLETE") for name in os.environ):  # shell completion needs every command
        return None
    args = iter(argv)
    for arg in args:
        if arg in ("--catalog", "-c"):
            next(args, None)
        elif arg.startswith(("--catalog=", "-c")):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def main() -> None:
    # Typer builds every registered command's parameters on each run (~1.7 ms a command, measured);
    # a run needs only the one it invokes.
    wanted = requested_command(sys.argv[1:])
    if wanted is not None and any(c.name == wanted for c in app.registered_commands):
        app.registered_commands = [c for c in app.registered_commands if c.name == wanted]
    try:
        app(prog_name="papers")
    except BrokenPipeError:  # `papers list | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
