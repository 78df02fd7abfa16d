"""Exporters: one module per format, each turning selected papers into text. No terminal I/O.

`EXPORTERS` is the one table of formats: what renders each, whether it can arrange papers in groups
(`--group-by`), and whether it makes one text or a folder of files (the static website). A format's module
is imported only when that format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from papercli.grouping import GroupBy
from papercli.models import Catalog, Paper


class ExportFormat(str, Enum):
    md = "md"
    json = "json"
    bibtex = "bibtex"
    csv = "csv"
    html = "html"


@dataclass(frozen=True)
class Exporter:
    target: str  # "module:function"; the function takes (catalog, papers, group_by, reading_list)
    groups: bool  # whether --group-by means anything for this format
    folder: bool = False  # the function returns {relative path: text} for a folder, not one text

    def render(
        self, catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy, reading_list: str | None = None
    ) -> str:
        assert not self.folder, f"{self.target} makes a folder of files; use render_files"
        text: str = self._function()(catalog, papers, group_by, reading_list)
        return text

    def render_files(
        self, catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy, reading_list: str | None = None
    ) -> dict[str, str]:
        """The files of a folder format, by path relative to the folder."""
        assert self.folder, f"{self.target} makes one text; use render"
        files: dict[str, str] = self._function()(catalog, papers, group_by, reading_list)
        return files

    def _function(self) -> Any:
        module_name, _, function_name = self.target.partition(":")
        return getattr(importlib.import_module(module_name), function_name)


EXPORTERS: dict[ExportFormat, Exporter] = {
    ExportFormat.md: Exporter("papercli.export.markdown:render_markdown", groups=True),
    ExportFormat.json: Exporter("papercli.export.json_format:render_json", groups=False),
    ExportFormat.bibtex: Exporter("papercli.export.bibtex:render_bibtex", groups=False),
    ExportFormat.csv: Exporter("papercli.export.csv_format:render_csv", groups=False),
    ExportFormat.html: Exporter("papercli.export.html:render_site", groups=False, folder=True),
}
