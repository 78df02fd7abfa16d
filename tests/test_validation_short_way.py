"""validation.validate's short way (no pydantic) against pydantic itself: on valid entries it gives the same
objects, on broken ones it either steps aside or, where pydantic accepts too, gives what pydantic gives.
It never accepts anything pydantic refuses, so what `add` and `edit` accept is what `check` accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papercli import validation
from papercli.models import Institution, Paper, ReadingList, Section, Tag
from tests.strategies import catalogs

SECTIONS: dict[str, type] = {"tags": Tag, "institutions": Institution, "lists": ReadingList, "papers": Paper}
# Values of the wrong type or shape, and values of the right type that a field's rules refuse.
ODD_VALUES = [
    None,
    True,
    0,
    -1,
    2021,
    2021.0,
    10**30,
    "2021",
    "",
    " padded ",
    "two\nlines",
    "UPPER-Case",
    "ok-slug",
    "not a link",
    "https://example.org/x",
    "project",
    "book",
    [],
    ["a", "b"],
    ["a", 1],
    ("a",),
    ["two\nlines"],
    {"title": "A section"},
    [{"title": "A section", "papers": ["x"]}],
    [{"title": "A section", "extra": 1}],
    [{"title": "A section", "gaps": [True]}],
    [{"title": "A section", "gaps": [2, 0]}],
    b"bytes",
]


def _short(model: type, data: Any) -> Any:
    """What the short way makes of `data`, or None where it leaves the decision to pydantic."""
    check = validation._short_way(model)
    assert check is not None, f"{model.__name__} has no short way"
    try:
        return check(data)
    except validation._NotSure:
        return None


def _pydantic(model: type, data: Any) -> Any:
    return validation._by_pydantic(model, data)[0]


@given(catalogs(min_papers=1))
def test_valid_entries_take_the_short_way_to_what_pydantic_gives(data: dict[str, Any]) -> None:
    for section, model in SECTIONS.items():
        for entry in data.get(section, []):
            short = _short(model, entry)
            assert short is not None, entry
            assert short == _pydantic(model, entry)
            assert type(short) is model


@given(
    catalogs(min_papers=1),
    st.sampled_from(sorted(SECTIONS)),
    st.data(),
)
def test_broken_entries_are_pydantics_to_judge(data: dict[str, Any], section: str, draw: st.DataObject) -> None:
    entries = data.get(section, [])
    if not entries:
        return
    model = SECTIONS[section]
    entry = dict(draw.draw(st.sampled_from(entries)))
    for _ in range(draw.draw(st.integers(1, 3))):
        keys = [*entry, "id", "title", "name", "kind", "year", "tags", "sections", "aliases", "url", "unknown"]
        key = draw.draw(st.sampled_from(keys))
        if draw.draw(st.booleans()) and key in entry:
            del entry[key]
        else:
            entry[key] = draw.draw(st.sampled_from(ODD_VALUES))
    short, decided = _short(model, entry), _pydantic(model, entry)
    if short is not None:
        assert short == decided, entry  # accepted by the short way: pydantic accepts it as the same object
    if decided is None:
        assert short is None, entry  # refused by pydantic: never let through the short way


@pytest.mark.parametrize(
    "entry",
    [
        {"id": "x", "title": "T", "year": True},
        {"id": "x", "title": "T", "year": "2021"},
        {"id": "x", "title": "T", "year": 1800},
        {"id": "X", "title": "T"},
        {"id": "x", "title": " T"},
        {"id": "x", "title": "T", "url": "ftp://example.org"},
        {"id": "x", "title": "T", "authors": "Ann"},
        {"id": "x", "title": "T", "kind": "book"},
        {"id": "x", "title": "T", "arxiv": "2106.09685"},
        {"title": "T"},
    ],
)
def test_each_refusal_keeps_pydantics_words(entry: dict[str, Any]) -> None:
    assert _short(Paper, entry) is None
    value, errors = validation.validate(Paper, entry)
    assert value is None and errors
    assert errors == validation._by_pydantic(Paper, entry)[1]


def test_a_nested_table_takes_the_short_way_too() -> None:
    entry = {"id": "l", "title": "L", "sections": [{"title": "S", "papers": ["a", "b"], "gaps": [2]}]}
    shown = _short(ReadingList, entry)
    assert shown == ReadingList(id="l", title="L", sections=(Section(title="S", papers=("a", "b"), gaps=(2,)),))
    for gaps in ([True], [1.0], ["2"]):  # a bool is an int to Python, not to the catalog
        broken = {"id": "l", "title": "L", "sections": [{"title": "S", "gaps": gaps}]}
        assert _short(ReadingList, broken) is None
        assert validation.validate(ReadingList, broken)[0] is None


def test_one_entry_is_validated_without_building_pydantics_validator(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from papercli.models import Paper\n"
        "from papercli.validation import validate\n"
        "paper, errors = validate(Paper, {'id': 'lora', 'title': 'LoRA', 'year': 2021, 'tags': ['PEFT']})\n"
        "assert paper is not None and not errors\n"
        "print('pydantic.type_adapter' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


def test_a_model_whose_annotations_do_not_resolve_is_left_to_pydantic() -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Odd:
        name: NoSuchType  # type: ignore[name-defined]  # noqa: F821

    assert validation._short_way(Odd) is None
