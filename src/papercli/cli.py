"""The `papers` command: the app, the root callback (which catalog), the error edge, and the table of
commands, each imported only when it runs. Command bodies live in `papercli.commands`."""

from __future__ import annotations

import importlib
import io
import os
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from typer import _click as click  # typer 0.28 vendors click (the version pyproject pins)
from typer.core import TyperGroup

from papercli import __version__
from papercli.commands.context import AppState, choose_catalog
from papercli.errors import PapersError
from papercli.sanitize import clean

# name -> "module:function". Order is the order `papers --help` lists them in.
COMMANDS: dict[str, str] = {
    "list": "papercli.commands.listing:list_papers",
    "search": "papercli.commands.search:search_papers",
    "show": "papercli.commands.show:show_paper",
    "export": "papercli.commands.export:export_papers",
    "tags": "papercli.commands.vocabulary:list_tags",
    "institutions": "papercli.commands.vocabulary:list_institutions",
    "check": "papercli.commands.check:check_catalog",
    "add": "papercli.commands.add:add_paper",
    "edit": "papercli.commands.edit:edit_paper",
    "init": "papercli.commands.init:init_catalog",
    "mark": "papercli.commands.mark:mark_papers",
    "next": "papercli.commands.next_paper:next_paper",
    "open": "papercli.commands.open_paper:open_paper",
    "progress": "papercli.commands.progress:show_progress",
    "stats": "papercli.commands.stats:show_stats",
}


class PapersGroup(TyperGroup):
    """Builds a command only when it is invoked or listed (click's LazyGroup pattern: building every
    command's parameters costs ~1.7 ms each at start-up), and maps domain errors to one clean line on
    stderr and an exit code; PAPERS_DEBUG=1 shows tracebacks."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        from typer.main import get_command_from_info
        from typer.models import CommandInfo

        module_name, _, function_name = target.partition(":")
        callback = getattr(importlib.import_module(module_name), function_name)
        info = CommandInfo(name=cmd_name, callback=callback)
        return get_command_from_info(info, pretty_exceptions_short=True, rich_markup_mode=None)

    def invoke(self, ctx: click.Context) -> Any:
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
    path, chosen = choose_catalog(catalog)
    ctx.obj = AppState(path, chosen=chosen)


def _encodable_stdout() -> None:
    """Catalog text is any Unicode; stdout's encoding may hold less (cp1252 when Windows redirects it,
    PYTHONIOENCODING=latin-1). Output to a file or pipe is data and is written as UTF-8, what every export
    format is read as; a terminal keeps its encoding, and what it cannot show becomes '?'. Never a crash."""
    import codecs

    stream = sys.stdout
    encoding = getattr(stream, "encoding", None)
    if not isinstance(stream, io.TextIOWrapper) or not encoding or codecs.lookup(encoding).name == "utf-8":
        return
    if stream.isatty():
        stream.reconfigure(errors="replace")
    else:
        stream.reconfigure(encoding="utf-8", errors="replace")


def main() -> None:
    _encodable_stdout()
    try:
        app(prog_name="papers")
    except BrokenPipeError:  # `papers list | head`: the reader left; that is not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)
