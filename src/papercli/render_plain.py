"""One paper as plain text, for output that is no terminal (`papers show lora | less`, `> lora.txt`): its
fields as `key:<TAB>value` lines, as `gh issue view` writes them when piped, then `--` and the note's
Markdown as written. No Rich here (its Markdown renderer is most of what `show` would cost); catalog text
is stripped of terminal sequences all the same, and Rich markup in it is plain text by construction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from papercli.models import Paper
from papercli.sanitize import clean


@dataclass(frozen=True)
class Place:
    """Where a paper sits in a reading list: `must-read 2.3` in section `title`."""

    list_id: str
    number: str
    section: str


def paper_fields(paper: Paper, places: Sequence[Place], reading: str | None) -> list[tuple[str, list[str]]]:
    """The fields `show` prints under the title, in order, each with its lines (fields without a value are
    left out). Not yet cleaned: each view cleans what it prints."""
    rows: list[tuple[str, list[str]]] = [
        ("id", [paper.id]),
        ("authors", [", ".join(paper.authors)] if paper.authors else []),
        ("institutions", [", ".join(paper.institutions)] if paper.institutions else []),
        ("venue", [paper.venue] if paper.venue else []),
        ("year", [str(paper.year)] if paper.year else []),
        ("url", [paper.url] if paper.url else []),
        ("arXiv", [paper.arxiv] if paper.arxiv else []),
        ("code", [paper.code] if paper.code else []),
        ("tags", [", ".join(paper.tags)] if paper.tags else []),
        ("lists", [f"{p.list_id} {p.number}  {p.section}" for p in places]),
        ("reading", [reading] if reading else []),
    ]
    return [(label, lines) for label, lines in rows if lines]


def paper_text(paper: Paper, places: Sequence[Place], reading: str | None = None) -> str:
    """`title:`, `title_zh:`, `kind:` (when not a paper), the fields of `paper_fields` (a list place per
    `lists:` line), `summary:`; then, when there is a note, a `--` line and the note. A key's value is one
    line (line breaks and tabs in it become spaces); keys are lowercase."""
    rows: list[tuple[str, str]] = [("title", paper.title)]
    if paper.title_zh:
        rows.append(("title_zh", paper.title_zh))
    if paper.kind != "paper":
        rows.append(("kind", paper.kind))
    rows += [(label.lower(), line) for label, lines in paper_fields(paper, places, reading) for line in lines]
    if paper.summary:
        rows.append(("summary", paper.summary))
    text = "".join(f"{key}:\t{_one_line(value)}\n" for key, value in rows)
    note = clean(paper.note).strip("\n")
    return text + (f"--\n{note}\n" if note.strip() else "")


def _one_line(value: str) -> str:
    """`value` cleaned, on one line: line breaks of any kind and tabs become spaces."""
    return " ".join(line.strip() for line in clean(value).replace("\t", " ").splitlines()).strip()
