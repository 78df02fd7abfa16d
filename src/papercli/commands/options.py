"""Options shared by several commands, defined once so `list` and `export` take the same filters."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import typer

from papercli.commands.completion import completer
from papercli.query import PaperFilter

TagOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tag",
        "-t",
        autocompletion=completer("tag"),
        help="Only papers with this tag (name or alias, any case). Repeat to require several.",
    ),
]
InstitutionOption = Annotated[
    str | None,
    typer.Option(
        "--institution",
        "-i",
        autocompletion=completer("institution"),
        help="Only papers from an institution whose name or alias contains this text.",
    ),
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
StatusOption = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        help="Only papers with this status in your reading log: to-read, reading, read, skipped, or unread "
        "(neither read nor skipped). Repeat for any of several.",
    ),
]
ListOption = Annotated[
    str | None,
    typer.Option(
        "--list", "-l", autocompletion=completer("list"), help="Only papers of this reading list, in its order."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
TableOption = Annotated[
    bool,
    typer.Option("--table", help="Draw the table even when stdout is no terminal (piped output is tab-separated)."),
]
RefArgument = Annotated[
    str,
    typer.Argument(
        autocompletion=completer("id"), help="Paper id (any case), unique id prefix, or arXiv id or link (2106.09685)."
    ),
]


FILTER_OPTIONS: dict[str, Any] = {
    "tag": TagOption,
    "institution": InstitutionOption,
    "year": YearOption,
    "since": SinceOption,
    "until": UntilOption,
    "venue": VenueOption,
    "author": AuthorOption,
    "search": SearchOption,
    "reading_list": ListOption,
    "status": StatusOption,
}
Command = TypeVar("Command", bound=Callable[..., Any])


def with_filter_options(command: Command) -> Command:
    """Give a command every filter option, in place of its `paper_filter` parameter, and hand it the
    values built into one `PaperFilter`. Commands that select papers take the same filters by
    construction, and a new filter is added here once."""
    signature = inspect.signature(command, eval_str=True)  # Typer reads this signature, not the source
    parameters = list(signature.parameters.values())
    at = [p.name for p in parameters].index("paper_filter")
    filters = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=option)
        for name, option in FILTER_OPTIONS.items()
    ]
    keyword_only = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in parameters[at + 1 :]]
    combined = [*parameters[:at], *filters, *keyword_only]

    @functools.wraps(command)
    def with_filter(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name, None) for name in FILTER_OPTIONS}
        return command(*args, paper_filter=build_filter(**values), **kwargs)

    with_filter.__signature__ = signature.replace(parameters=combined)  # type: ignore[attr-defined]
    return with_filter  # type: ignore[return-value]


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
    status: list[str] | None = None,
) -> PaperFilter:
    return PaperFilter(
        tuple(tag or ()), institution, year, since, until, venue, author, search, reading_list, tuple(status or ())
    )
