"""`papers export`: the selected papers as a document (Markdown, JSON, BibTeX, CSV) or a website (HTML)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from papercli.commands.context import AppState, note, state
from papercli.commands.options import with_filter_options
from papercli.errors import UsageError
from papercli.export import EXPORTERS, ExportFormat
from papercli.grouping import GroupBy
from papercli.models import Catalog, Paper, ReadingList
from papercli.query import PaperFilter, resolve_list

if TYPE_CHECKING:
    from papercli.reading_log import ReadingLog


@with_filter_options
def export_papers(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.md,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (atomically) instead of stdout; for html, the folder to write the site into.",
        ),
    ] = None,
    group_by: Annotated[
        GroupBy | None,
        typer.Option("--group-by", "-g", help="Sections by tag, by reading list, or none (md only; default none)."),
    ] = None,
    checkboxes: Annotated[
        bool,
        typer.Option(
            "--checkboxes",
            help="With --format md and --list: the list as a GitHub task list per section, [x] for papers you read.",
        ),
    ] = False,
    *,
    paper_filter: PaperFilter,
) -> None:
    """Export papers as a Markdown document, a JSON catalog, BibTeX, CSV or a static website (html).

    Example: papers export --format md --list must-read --group-by list -o must-read.md
    """
    exporter = EXPORTERS[fmt]
    if group_by is not None and not exporter.groups:
        grouping = ", ".join(f.value for f, e in EXPORTERS.items() if e.groups)
        raise UsageError(f"--group-by applies to {grouping} only, not to --format {fmt.value}")
    if exporter.folder and (output is None or str(output) == "-"):
        raise UsageError(f"--format {fmt.value} writes a folder of files: give it with --output DIR")
    if checkboxes and (fmt is not ExportFormat.md or paper_filter.reading_list is None or group_by is not None):
        raise UsageError("--checkboxes makes a Markdown task list of one reading list: give --format md and --list")
    app_state = state(ctx)
    index = app_state.index()
    log = app_state.reading_log() if paper_filter.statuses or checkboxes else None
    papers = list(index.select(paper_filter, reading_log=log)[0])
    catalog = index.vocabulary
    reading_list = resolve_list(catalog, paper_filter.reading_list) if paper_filter.reading_list else None
    list_id = reading_list.id if reading_list else None
    if checkboxes:
        assert reading_list is not None and log is not None
        listed = index.with_papers(reading_list.paper_ids())
        _emit(_checklist(listed, reading_list, papers, log), output, len(papers), app_state)
        return
    if exporter.folder:
        assert output is not None
        _write_site(output, exporter.render_files(catalog, papers, group_by or GroupBy.none, list_id), app_state)
        note(f"wrote {len(papers)} papers to {output}{os.sep}index.html")
        return
    _emit(exporter.render(catalog, papers, group_by or GroupBy.none, list_id), output, len(papers), app_state)


def _emit(text: str, output: Path | None, count: int, app_state: AppState) -> None:
    if output is None or str(output) == "-":
        sys.stdout.write(text)
    else:
        from papercli.write.atomic import refuse_catalog_overwrite, write_atomic

        refuse_catalog_overwrite(output, app_state.catalog_path)
        write_atomic(output, text)
        note(f"wrote {count} papers to {output}")


def _checklist(catalog: Catalog, reading_list: ReadingList, papers: list[Paper], log: ReadingLog) -> str:
    from papercli.export.checklist import render_checklist
    from papercli.reading import list_parts, restrict_parts, statuses_of

    parts = restrict_parts(list_parts(catalog, reading_list), (p.id for p in papers))
    return render_checklist(reading_list, parts, statuses_of(papers, log))


def _write_site(folder: Path, files: dict[str, str], app_state: AppState) -> None:
    from papercli.write.atomic import refuse_catalog_overwrite, write_folder

    for name in files:
        refuse_catalog_overwrite(folder / name, app_state.catalog_path)
    write_folder(folder, files)
