"""Properties of `papers show` piped (render_plain.paper_text): whatever a catalog holds, the head is
`key:<TAB>value` lines that keep every field's words, the note comes back as written, and nothing a
terminal would act on gets through."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from papercli.models import Paper
from papercli.render_plain import Place, paper_text
from tests.helpers import catalog_from_data
from tests.strategies import LINE, catalogs

KEY_LINE = re.compile(r"[a-z_]+:\t[^\t\n]*")
# What a terminal acts on: CSI and OSC sequences, a bell, a C1 CSI, a bare carriage return.
TROUBLE = ["\x1b[31m", "\x1b]8;;https://evil.example\x07", "\x07", "\x9b2J", "\r", "\x1b[0m"]


def _split(text: str) -> tuple[dict[str, list[str]], str | None]:
    head, *rest = re.split(r"(?m)^--\n", text, maxsplit=1)  # the line "--", not a value ending in "--"
    separator, note = (True, rest[0]) if rest else (False, "")
    fields: dict[str, list[str]] = {}
    for line in head.splitlines():
        assert KEY_LINE.fullmatch(line), line
        key, value = line.split(":\t", 1)
        fields.setdefault(key, []).append(value)
    return fields, (note if separator else None)


def _controls(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) == "Cc" and c not in "\t\n"}


@given(catalogs(min_papers=1), st.lists(st.tuples(st.sampled_from(["a", "b"]), LINE), max_size=2))
def test_plain_view_keeps_every_field_and_the_note(data: dict[str, Any], found: list[tuple[str, str]]) -> None:
    catalog = catalog_from_data(data)
    places = [Place(list_id, "1.2", section) for list_id, section in found]
    for paper in catalog.papers:
        fields, note = _split(paper_text(paper, places, "read"))
        assert [v.split() for v in fields["title"]] == [paper.title.split()]
        assert fields["id"] == [paper.id]
        assert fields["reading"] == ["read"]
        assert [v.split() for v in fields.get("lists", [])] == [f"{p.list_id} 1.2 {p.section}".split() for p in places]
        assert fields.get("kind", ["paper"]) == [paper.kind]
        for key, value in (("authors", ", ".join(paper.authors)), ("tags", ", ".join(paper.tags))):
            assert [v.split() for v in fields.get(key, [])] == ([value.split()] if value else [])
        if paper.summary:
            assert fields["summary"][0].split() == paper.summary.split()
        if paper.note.strip():
            assert note is not None
            assert note.strip("\n") == paper.note.replace("\r\n", "\n").strip("\n")
        else:
            assert note is None


@given(LINE, LINE, st.sampled_from(TROUBLE), st.sampled_from(TROUBLE))
def test_plain_view_lets_nothing_through_that_a_terminal_acts_on(left: str, right: str, one: str, two: str) -> None:
    hostile = left + one + right + two
    paper = Paper(id="x", title=hostile)
    paper = replace(paper, authors=(hostile,), venue=hostile, summary=hostile + "\n" + hostile, note=hostile)
    text = paper_text(paper, [Place("l", "1.1", hostile)], hostile)
    assert not _controls(text), text
    assert "evil.example" not in text  # an OSC hyperlink goes whole, not just its escape bytes
    fields, note = _split(text)
    assert set(fields) == {"title", "id", "authors", "venue", "lists", "reading", "summary"}
    assert note is not None and left.split()[0] in note
