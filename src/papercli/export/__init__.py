"""Exporters: one module per format, each turning selected papers into text. No terminal I/O."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from papercli.grouping import GroupBy
from papercli.models import Catalog, Paper


class ExportFormat(str, Enum):
    md = "md"
    json = "json"
    bibtex = "bibtex"
    csv = "csv"


def export_text(
    fmt: ExportFormat, catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy, reading_list: str | None = None
) -> str:
    """Render `papers` in `fmt`. Imports only the exporter asked for."""
    if fmt is ExportFormat.md:
        from papercli.export.markdown import render_markdown

        return render_markdown(catalog, papers, group_by, reading_list)
    if fmt is ExportFormat.bibtex:
        from papercli.export.bibtex import render_bibtex

        return render_bibtex(catalog, papers, group_by, reading_list)
    if fmt is ExportFormat.csv:
        from papercli.export.csv_format import render_csv

        return render_csv(catalog, papers, group_by, reading_list)
    from papercli.export.json_format import render_json

    return render_json(catalog, papers, group_by, reading_list)
