"""JSON: paper records for `--json` output, and whole-catalog documents that load back as catalogs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, replace
from typing import Any, TextIO

from papercli.grouping import GroupBy
from papercli.models import PAPER_FIELDS, Catalog, Paper, ReadingList
from papercli.sanitize import escape_for_json


def paper_record(paper: Paper) -> dict[str, Any]:
    """The stable JSON shape of one paper: every model field plus the derived `arxiv`."""
    record: dict[str, Any] = {name: getattr(paper, name) for name in PAPER_FIELDS}
    record["arxiv"] = paper.arxiv
    return record


def dumps(value: object) -> str:
    """Readable JSON (UTF-8 text kept as it is) in which no character can act on a terminal: C0 controls
    are escaped by JSON itself, C1 controls and invisible format characters by `escape_for_json`."""
    return escape_for_json(json.dumps(value, ensure_ascii=False, indent=2)) + "\n"


def write_array(values: Iterable[object], out: TextIO) -> int:
    """`dumps(list(values))`, written to `out` one value at a time, so a long result never sits in memory
    as one document; returns how many values were written."""
    count = 0
    for value in values:
        item = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")  # one level deeper
        out.write(escape_for_json(("[\n  " if count == 0 else ",\n  ") + item))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


def render_json(
    catalog: Catalog, papers: Sequence[Paper], group_by: GroupBy = GroupBy.none, reading_list: str | None = None
) -> str:
    """`{"papers", "tags", "institutions", "lists"}`. Grouping does not apply to JSON; reading lists
    keep only the selected papers so the document is itself a valid catalog."""
    del group_by
    kept = {p.id for p in papers}
    lists = [_restricted(rl, kept) for rl in catalog.lists if reading_list is None or rl.id == reading_list]
    document: dict[str, Any] = {}
    if catalog.title is not None:
        document["title"] = catalog.title
    document |= {
        "papers": [paper_record(p) for p in papers],
        "tags": [asdict(t) for t in catalog.tags],
        "institutions": [asdict(i) for i in catalog.institutions],
        "lists": [asdict(rl) for rl in lists],
    }
    return dumps(document)


def _restricted(reading_list: ReadingList, kept: set[str]) -> ReadingList:
    sections = tuple(replace(s, papers=tuple(pid for pid in s.papers if pid in kept)) for s in reading_list.sections)
    return replace(reading_list, sections=sections)
