"""What every command shares at run time: the catalog chosen by the root callback, and the stderr voice."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from papercli.errors import UsageError
from papercli.index.reader import CatalogIndex
from papercli.models import Catalog
from papercli.sanitize import clean

if TYPE_CHECKING:
    from papercli.reading_log import ReadingLog


def note(message: str) -> None:
    """A diagnostic or count for the user, on stderr (stdout is for data)."""
    typer.echo(clean(message), err=True)


def papers_shown(shown: int, total: int) -> str:
    """`3 of 10 papers`, or `10 papers` when every match is shown: the count line of `list` and `search`."""
    count = f"{shown} of {total}" if shown < total else str(total)
    return f"{count} {'paper' if total == 1 else 'papers'}"


def tsv_line(*fields: str) -> str:
    """Fields as one tab-separated line, each cleaned and its whitespace (tabs, newlines) made single
    spaces: what `list` and `search` print for `| grep` and `| cut -f1` when stdout is no terminal."""
    return "\t".join(" ".join(clean(f).split()) for f in fields) + "\n"


def choose_catalog(option: Path | None) -> tuple[Path, bool]:
    """The catalog a run reads, and whether the user chose it: `--catalog`, else $PAPERS_CATALOG, else
    the bundled one. A set but empty $PAPERS_CATALOG is a mistake, not a request for the bundled catalog."""
    from papercli.bundled import bundled_catalog_path

    if option is None:
        named = os.environ.get("PAPERS_CATALOG")
        if named == "":  # click reads an empty variable as unset
            raise UsageError(
                "PAPERS_CATALOG is set but empty; set it to a catalog file, or unset it to read the bundled catalog"
            )
        option = Path(named) if named else None
    return (option, True) if option is not None else (bundled_catalog_path(), False)


@dataclass
class AppState:
    catalog_path: Path
    chosen: bool = True  # False when no --catalog or $PAPERS_CATALOG was given (the bundled catalog)
    _index: CatalogIndex | None = field(default=None, repr=False)
    _log: ReadingLog | None = field(default=None, repr=False)

    def catalog_to_change(self) -> Path:
        """The catalog a write command may change: one the user chose, never the bundled one."""
        from papercli.write.transaction import OWN_CATALOG_HINT

        if not self.chosen:  # the command itself refuses JSON files and the bundled catalog
            raise UsageError(f"this command changes a catalog, and none was chosen; {OWN_CATALOG_HINT}")
        return self.catalog_path

    def index(self) -> CatalogIndex:
        """The catalog's index, for read commands; its load problems are summarised in one warning line."""
        if self._index is None:
            from papercli.index.access import open_index

            self._index = index = open_index(self.catalog_path, warn=note)
            errors = [p for p in index.problems if p.is_error]
            if errors:
                skipped = f"; {index.skipped} entries skipped" if index.skipped else ""
                note(
                    f"warning: {self.catalog_path} has {len(errors)} problem(s){skipped}; "
                    "run `papers check` for details"
                )
        return self._index

    def catalog(self) -> Catalog:
        """The whole checked catalog, every paper read from the index (for commands that need them all)."""
        from dataclasses import replace

        index = self.index()
        return replace(index.vocabulary, papers=tuple(index.iter_papers()))

    def log_path(self) -> Path:
        """The reading log: $PAPERS_READING_LOG, else one in the user data folder. Never the catalog."""
        from papercli.reading_log import default_log_path

        return default_log_path()

    def reading_log(self) -> ReadingLog:
        """The reading log (empty when there is none yet); a damaged one is an error."""
        if self._log is None:
            from papercli.reading_log import load_log

            self._log = load_log(self.log_path())
        return self._log

    def reading_log_if_readable(self) -> ReadingLog | None:
        """The reading log for views that merely show statuses: a damaged log is one warning, not a failure."""
        from papercli.reading_log import ReadingLogError

        try:
            return self.reading_log()
        except ReadingLogError as exc:
            note(f"warning: {exc}; statuses not shown")
            return None


def state(ctx: typer.Context) -> AppState:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppState)
    return obj
