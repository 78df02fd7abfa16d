"""Loading catalogs that are valid but unusual: a byte-order mark, table headers inside multi-line notes,
upper-case `.JSON` names, and paths that cannot be catalogs at all (a symlink loop, `init x.json`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papercli.catalog import load_catalog_text
from tests.helpers import Invoke, one_error_line, write_catalog

BOM = "\ufeff"


def test_a_catalog_starting_with_a_byte_order_mark_loads(papers: Invoke, small_catalog: Path) -> None:
    text = small_catalog.read_text(encoding="utf-8")
    small_catalog.write_text(BOM + text.replace("year = 2021", "year = 1066", 1), encoding="utf-8")
    listed = papers("list", "--json")
    assert listed.exit_code == 0, listed.output
    checked = papers("check")
    # the mark is no line of its own: the bad year is reported at its real line
    bad_line = text.split("\n").index("year = 2021") + 1
    assert f":{bad_line}: error: paper " in checked.stdout, checked.stdout


def test_a_json_catalog_starting_with_a_byte_order_mark_loads(papers: Invoke, tmp_path: Path) -> None:
    exported = tmp_path / "catalog.json"
    assert papers("export", "-f", "json", "-o", str(exported)).exit_code == 0
    exported.write_bytes(BOM.encode() + exported.read_bytes())
    result = papers("list", "--json", catalog=exported)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 4


@pytest.mark.parametrize("name", ["X.JSON", "x.Json"])
def test_an_export_named_in_upper_case_reads_back(papers: Invoke, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    assert papers("export", "-f", "json", "-o", str(target)).exit_code == 0
    result = papers("list", "--json", catalog=target)
    assert result.exit_code == 0, result.output
    assert [p["id"] for p in json.loads(result.stdout)] == [
        p["id"] for p in json.loads(papers("list", "--json").stdout)
    ]


@pytest.mark.parametrize("name", ["new.json", "NEW.JSON"])
def test_init_refuses_a_json_name_in_one_line(papers: Invoke, tmp_path: Path, name: str) -> None:
    result = papers("init", str(tmp_path / name), catalog=None)
    line = one_error_line(result)
    assert "TOML" in line and "invalid JSON" not in line
    assert result.exit_code == 2
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("command", [["list"], ["check"], ["show", "lora"], ["add", "--title", "X"]])
def test_a_symlink_loop_as_catalog_is_one_line(papers: Invoke, tmp_path: Path, command: list[str]) -> None:
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    result = papers(*command, catalog=tmp_path / "a.toml")
    assert "symbolic links" in one_error_line(result)
    assert result.exit_code in (1, 2)


TRICKY_NOTE_LINES = [
    "[[papers]]",
    "  [[papers]]  ",
    "[papers]",
    "[[tags]]",
    "[a link](https://example.org) at the start of a line",
    "year = 1066",
    'id = "other"',
    "title = 'x'",
    "# a heading",
    "plain text",
    'He said """quoted""" and left',
    "a \\ backslash at the end \\",
    "",
]


def note_literal(lines: list[str], style: str) -> str:
    body = "\n".join(lines)
    if style == "basic":
        return '"""\n' + body.replace("\\", "\\\\").replace('"', '\\"') + '\n"""'
    return "'''\n" + body + "\n'''"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    notes=st.lists(
        st.tuples(st.lists(st.sampled_from(TRICKY_NOTE_LINES), max_size=6), st.sampled_from(["basic", "literal"])),
        min_size=1,
        max_size=3,
    ),
    field=st.sampled_from(["year", "url", "tags"]),
)
def test_lines_inside_multi_line_notes_never_shift_locations(notes: list[tuple[list[str], str]], field: str) -> None:
    """Each paper's note may hold lines that look like table headers or keys; the paper after them has
    an error in `field`, which must be reported at the line where that field really is."""
    text = '[[tags]]\nname = "QA"\n'
    bad_values = {"year": "1066", "url": '"ftp://nope"', "tags": '["nope"]'}
    for number, (lines, style) in enumerate(notes):
        text += f'\n[[papers]]\nid = "p{number}"\ntitle = "P"\nnote = {note_literal(lines, style)}\nsummary = "s"\n'
    text += '\n[[papers]]\nid = "bad"\ntitle = "Bad"\nnote = """\n[[papers]]\n"""\n'
    expected = text.count("\n") + 1
    text += f"{field} = {bad_values[field]}\n"
    result = load_catalog_text(text, "t.toml")
    located = [p.line for p in result.problems if p.subject == "paper 'bad'"]
    assert located == [expected], (located, text)


def test_a_header_inside_a_note_does_not_shift_check(papers: Invoke, tmp_path: Path) -> None:
    """The case from the issue: reported 6, real 13."""
    path = write_catalog(
        tmp_path / "notes.toml",
        '[[tags]]\nname = "QA"\n\n[[papers]]\nid = "a"\ntitle = "A"\nnote = """\n'
        'Some text.\n[[papers]]\nmore text\n"""\n\n[[papers]]\nid = "b"\ntitle = "B"\nyear = 1066\n',
    )
    result = papers("check", catalog=path)
    assert result.exit_code == 1
    assert f"{path}:16: error: paper 'b': year: must be between" in result.stdout, result.stdout
