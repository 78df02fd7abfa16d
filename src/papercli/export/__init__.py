"""Exporters: one module per format, each turning selected papers into text. No terminal I/O.

`EXPORTERS` is the one table of formats: what renders each, and whether it can arrange papers in groups
(`--group-by`). A format's module is imported only when that format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from papercli.grouping import GroupBy
from papercli.models import Catalog, Paper


class ExportFormat(str, Enum):
    md = "md"
    json = "json"
    bibtex = "bibtex"
    csv = "csv"


@dataclass(frozen=True)
class Exporter:
    target: str  # "module:function"; the function takes (catalog, papers, group_by, reading_list) -> text
    groups: bool  # whether --group-by means anything for this format

    def render(
        self, catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy, reading_list: str | None = None
    ) -> str:
        module_name, _, function_name = self.target.partition(":")
        function = getattr(importlib.import_module(module_name), function_name)
        text: str = function(catalog, papers, group_by, reading_list)
        return text


EXPORTERS: dict[ExportFormat, Exporter] = {
    ExportFormat.md: Exporter("papercli.export.markdown:render_markdown", groups=True),
    ExportFormat.json: Exporter("papercli.export.json_format:render_json", groups=False),
    ExportFormat.bibtex: Exporter("papercli.export.bibtex:render_bibtex", groups=False),
    ExportFormat.csv: Exporter("papercli.export.csv_format:render_csv", groups=False),
}


def export_text(
    fmt: ExportFormat, catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy, reading_list: str | None = None
) -> str:
    """Render `papers` in `fmt`."""
    return EXPORTERS[fmt].render(catalog, papers, group_by, reading_list)
