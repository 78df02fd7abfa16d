"""CSV: a header row, then one row per paper, for spreadsheets and data tools.

Columns: id, kind, title, title_zh, authors, institutions, year, venue, url, arxiv, code, tags, summary.
Lists are joined with "; "; missing values are empty cells. Rows end in "\\n" (not RFC 4180's "\\r\\n"):
the other exporters do the same, "\\r\\n" would turn into "\\r\\r\\n" on a Windows text-mode stdout, and
every CSV reader (the csv module, pandas, Excel, LibreOffice) accepts it. Cells are quoted only when they
need it; a quoted summary may span lines. The text is plain UTF-8 without a byte-order mark; terminal
escape sequences and control characters other than tab and newline are dropped.

The note is left out: it is multi-line Markdown, often pages long, and a cell like that makes a
spreadsheet unusable (rows many screens tall, cell length limits). `papers export --format json` or
`--format md` carries notes.

Formula injection: spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (some also one that
starts with a tab) as a formula, so such a cell gets a leading single quote, which spreadsheets read as
"this is text". A cell that already starts with quotes followed by one of those characters gets one more
quote, so the rule stays reversible: drop one leading quote from a cell matching `'+[=+\\-@\\t]`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

from papercli.grouping import GroupBy
from papercli.models import PAPER_FIELDS, Catalog, Paper
from papercli.sanitize import clean

# The model's fields in order, the derived arXiv id beside the url, and no note.
_BEFORE_ARXIV = PAPER_FIELDS[: PAPER_FIELDS.index("code")]
COLUMNS = (*_BEFORE_ARXIV, "arxiv", *(f for f in PAPER_FIELDS[len(_BEFORE_ARXIV) :] if f != "note"))
LIST_SEPARATOR = "; "
_FORMULA_START = re.compile(r"^'*[=+\-@\t]")


def neutralise(cell: str) -> str:
    """`cell` without terminal escapes or control characters, prefixed with a single quote if a
    spreadsheet would read it as a formula."""
    cell = clean(cell)
    return "'" + cell if _FORMULA_START.match(cell) else cell


def paper_row(paper: Paper) -> dict[str, str]:
    """One paper as CSV cells (before neutralisation)."""
    return {
        "id": paper.id,
        "kind": paper.kind,
        "title": paper.title,
        "title_zh": paper.title_zh or "",
        "authors": LIST_SEPARATOR.join(paper.authors),
        "institutions": LIST_SEPARATOR.join(paper.institutions),
        "year": "" if paper.year is None else str(paper.year),
        "venue": paper.venue or "",
        "url": paper.url or "",
        "arxiv": paper.arxiv or "",
        "code": paper.code or "",
        "tags": LIST_SEPARATOR.join(paper.tags),
        "summary": paper.summary or "",
    }


def render_csv(
    catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy = GroupBy.none, reading_list: str | None = None
) -> str:
    """Header plus one row per paper in the given order. Grouping does not apply."""
    del catalog, group_by, reading_list
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for paper in papers:
        writer.writerow({name: neutralise(value) for name, value in paper_row(paper).items()})
    return buffer.getvalue()
