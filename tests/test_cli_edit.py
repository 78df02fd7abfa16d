"""`papers edit` driven by a scripted $EDITOR (tests/fake_editor.py)."""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path

import pytest

from tests.helpers import EditorScript, Invoke, editor_saw, toml_data


def paper(catalog: Path, paper_id: str) -> dict[str, object]:
    return next(p for p in toml_data(catalog.read_text(encoding="utf-8"))["papers"] if p["id"] == paper_id)


def test_editor_is_shown_the_entry_as_written(papers: Invoke, scripted_editor: EditorScript) -> None:
    script = scripted_editor({"keep": True})
    result = papers("edit", "lora")
    assert result.exit_code == 0, result.output
    shown = editor_saw(script)[0]
    assert shown.startswith("#: Editing paper 'lora'")
    assert 'id = "lora"\ntitle = "LoRA: Low-Rank Adaptation of Large Language Models"\n' in shown
    assert "- **动机**:全参数微调太贵。" in shown
    assert "[[papers]]" not in shown
    assert "no changes to 'lora'" in result.stderr


def test_edit_writes_back_only_the_changed_entry(
    papers: Invoke, scripted_editor: EditorScript, small_catalog: Path
) -> None:
    before = small_catalog.read_text(encoding="utf-8")
    scripted_editor({"replace": ['venue = "ICLR 2022"', 'venue = "ICLR 2022 (oral)"  # checked']})
    result = papers("edit", "LoRA")
    assert result.exit_code == 0, result.output
    assert "saved 'lora'" in result.stderr
    after = small_catalog.read_text(encoding="utf-8")
    assert after == before.replace('venue = "ICLR 2022"', 'venue = "ICLR 2022 (oral)"  # checked')
    assert json.loads(papers("show", "lora", "--json").stdout)["venue"] == "ICLR 2022 (oral)"


def test_invalid_edit_offers_to_reopen_and_then_saves(
    papers: Invoke, scripted_editor: EditorScript, small_catalog: Path
) -> None:
    script = scripted_editor(
        {"replace": ["year = 2021", "year = 21021"]},
        {"replace": ["year = 21021", "year = 2022\nvenue2 = 1"]},
        {"replace": ["\nvenue2 = 1", ""]},
    )
    result = papers("edit", "lora", input="y\ny\n")
    assert result.exit_code == 0, result.output
    assert "year: must be between 1900 and" in result.stderr
    assert "venue2: unknown field" in result.stderr
    assert "Re-open the editor to fix this?" in result.stderr
    # the second and third runs were shown the user's own text, not the original
    assert "year = 21021" in editor_saw(script)[1]
    assert "saved 'lora'" in result.stderr
    assert paper(small_catalog, "lora")["year"] == 2022


def test_problems_name_the_line_in_the_edited_file(papers: Invoke, scripted_editor: EditorScript) -> None:
    scripted_editor({"replace": ["year = 2021", "year = 'soon'"]})
    result = papers("edit", "lora", input="n\n")
    assert result.exit_code == 1
    line = next(line for line in result.stderr.splitlines() if "year:" in line)
    # "#:" instructions take 3 lines, then id, title, title_zh, authors, institutions: year is line 9
    assert ".toml:9: year: " in line


def test_declining_to_reopen_aborts_keeps_the_edit_and_writes_nothing(
    papers: Invoke, scripted_editor: EditorScript, small_catalog: Path
) -> None:
    before = small_catalog.read_bytes()
    scripted_editor({"replace": ['tags = ["PEFT"]', 'tags = ["nonexistent"]']})
    result = papers("edit", "lora", input="n\n")
    assert result.exit_code == 1
    assert "tag 'nonexistent' is not declared" in result.stderr
    assert "nothing written; your edit is kept in" in result.stderr
    kept = Path(result.stderr.rsplit("kept in ", 1)[1].strip())
    assert 'tags = ["nonexistent"]' in kept.read_text(encoding="utf-8")
    kept.unlink()
    assert small_catalog.read_bytes() == before


def test_toml_syntax_error_is_shown_with_its_line(papers: Invoke, scripted_editor: EditorScript) -> None:
    scripted_editor({"replace": ['venue = "ICLR 2022"', "venue = ICLR"]})
    result = papers("edit", "lora", input="n\n")
    assert result.exit_code == 1
    assert "TOML syntax error" in result.stderr
    assert ".toml:10:" in result.stderr


def test_emptied_file_aborts(papers: Invoke, scripted_editor: EditorScript, small_catalog: Path) -> None:
    before = small_catalog.read_bytes()
    scripted_editor({"write": "#: nothing\n\n"})
    result = papers("edit", "lora")
    assert result.exit_code == 0
    assert "aborted; nothing written" in result.stderr
    assert small_catalog.read_bytes() == before


def test_editor_failure_aborts(papers: Invoke, scripted_editor: EditorScript, small_catalog: Path) -> None:
    before = small_catalog.read_bytes()
    scripted_editor({"exit": 3})
    result = papers("edit", "lora")
    assert result.exit_code == 1
    assert "the editor exited with status 3; nothing written" in result.stderr
    assert small_catalog.read_bytes() == before


def test_renaming_a_paper_that_a_reading_list_uses_is_refused(papers: Invoke, scripted_editor: EditorScript) -> None:
    scripted_editor({"replace": ['id = "lora"', 'id = "lora-v1"']})
    result = papers("edit", "lora", input="n\n")
    assert result.exit_code == 1
    assert "names 'lora', which is no paper in the catalog" in result.stderr


def test_renaming_a_paper_no_list_uses_works(papers: Invoke, scripted_editor: EditorScript) -> None:
    scripted_editor({"replace": ['id = "self-rag"', 'id = "selfrag"']})
    assert papers("edit", "self-rag").exit_code == 0
    assert papers("show", "selfrag").exit_code == 0


def test_duplicate_id_is_refused(papers: Invoke, scripted_editor: EditorScript) -> None:
    scripted_editor({"replace": ['id = "self-rag"', 'id = "llava"']})
    result = papers("edit", "self-rag", input="n\n")
    assert result.exit_code == 1
    assert "duplicate id" in result.stderr


def test_table_headers_inside_the_entry_are_refused(papers: Invoke, scripted_editor: EditorScript) -> None:
    scripted_editor({"append": "\n[[papers]]\nid = 'sneaky'\ntitle = 'S'\n"})
    result = papers("edit", "lora", input="n\n")
    assert result.exit_code == 1
    assert "papers: unknown field" in result.stderr


def test_note_is_edited_as_markdown(papers: Invoke, scripted_editor: EditorScript, small_catalog: Path) -> None:
    before = small_catalog.read_text(encoding="utf-8")
    script = scripted_editor({"append": "- **结果**: 与全量微调相当。\n\n\n"})
    result = papers("edit", "lora", "--note")
    assert result.exit_code == 0, result.output
    shown = editor_saw(script)[0]
    assert shown == paper(small_catalog, "lora")["note"].removesuffix("- **结果**: 与全量微调相当。\n")  # type: ignore[union-attr]
    assert paper(small_catalog, "lora")["note"].endswith("  - 旁路低秩分解\n- **结果**: 与全量微调相当。\n")  # type: ignore[union-attr]
    after = small_catalog.read_text(encoding="utf-8")
    # only the note's lines changed
    assert after.replace("- **结果**: 与全量微调相当。\n", "") == before


def test_note_can_be_added_to_a_paper_without_one(
    papers: Invoke, scripted_editor: EditorScript, small_catalog: Path
) -> None:
    assert papers("add", "--title", "Segment Anything").exit_code == 0
    assert "note" not in paper(small_catalog, "segment-anything")
    scripted_editor({"write": '# Promptable segmentation\n\nSA-1B """data""" \\o/\n'})
    assert papers("edit", "segment-anything", "--note").exit_code == 0
    assert paper(small_catalog, "segment-anything")["note"] == '# Promptable segmentation\n\nSA-1B """data""" \\o/\n'


def test_emptying_the_note_removes_it(papers: Invoke, scripted_editor: EditorScript, small_catalog: Path) -> None:
    scripted_editor({"write": "\n"})
    assert papers("edit", "lora", "--note").exit_code == 0
    assert "note" not in paper(small_catalog, "lora")


def test_unknown_paper_is_reported(papers: Invoke, scripted_editor: EditorScript) -> None:
    script = scripted_editor({"keep": True})
    result = papers("edit", "lorra")
    assert result.exit_code == 1
    assert "no paper matches 'lorra'" in result.stderr
    assert editor_saw(script) == []


def test_edit_keeps_changes_made_meanwhile_to_other_entries(
    papers: Invoke, scripted_editor: EditorScript, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While the editor is open, another process adds a paper; saving the edit must keep that paper.
    scripted_editor({"replace": ['venue = "ICLR 2022"', 'venue = "ICLR"']})
    wrapper = small_catalog.parent / "editor-with-concurrent-add.sh"
    add = (
        f"{shlex.quote(sys.executable)} -m papercli --catalog {shlex.quote(str(small_catalog))} add --title Concurrent"
    )
    wrapper.write_text(f'#!/bin/sh\n{add} >/dev/null 2>&1 || exit 9\nexec "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(str(wrapper))} {os.environ['EDITOR']}")
    result = papers("edit", "lora")
    assert result.exit_code == 0, result.output
    ids = [p["id"] for p in toml_data(small_catalog.read_text(encoding="utf-8"))["papers"]]
    assert "concurrent" in ids
    assert paper(small_catalog, "lora")["venue"] == "ICLR"


def test_edit_refuses_when_the_same_entry_changed_meanwhile(
    papers: Invoke, scripted_editor: EditorScript, small_catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While the user edits, someone else changes the same paper: the user's version must not overwrite it.
    other = small_catalog.read_text(encoding="utf-8").replace('venue = "ICLR 2022"', 'venue = "theirs"')
    scripted_editor({"replace": ['venue = "ICLR 2022"', 'venue = "mine"']})
    import papercli.write.editor

    real = papercli.write.editor.run_editor

    def edit_and_race(path: Path) -> None:
        real(path)
        small_catalog.write_text(other, encoding="utf-8")

    monkeypatch.setattr(papercli.write.editor, "run_editor", edit_and_race)
    result = papers("edit", "lora")
    assert result.exit_code == 1
    assert "changed by someone else while you were editing" in result.stderr
    assert paper(small_catalog, "lora")["venue"] == "theirs"


def test_visual_wins_over_editor(
    papers: Invoke, scripted_editor: EditorScript, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripted_editor({"keep": True})
    monkeypatch.setenv("VISUAL", "false")  # exits 1: proves VISUAL was the one run
    result = papers("edit", "lora")
    assert result.exit_code == 1
    assert "the editor exited with status 1" in result.stderr


def test_missing_editor_program_is_reported(papers: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "no-such-editor-xyz --wait")
    monkeypatch.delenv("VISUAL", raising=False)
    result = papers("edit", "lora")
    assert result.exit_code == 2
    assert "cannot run the editor 'no-such-editor-xyz'" in result.stderr


def test_edit_refuses_the_bundled_catalog(papers: Invoke, scripted_editor: EditorScript) -> None:
    scripted_editor({"keep": True})
    result = papers("edit", "lora", catalog=None)
    assert result.exit_code == 2
    assert "papers init PATH" in result.stderr


def test_a_paper_with_schema_errors_can_be_fixed_with_edit(
    papers: Invoke, scripted_editor: EditorScript, tmp_path: Path
) -> None:
    catalog = tmp_path / "broken.toml"
    catalog.write_text('[[papers]]\nid = "ok"\ntitle = "Fine"\n\n[[papers]]\nid = "bad"\ntitle = "B"\nyear = 20\n')
    assert papers("show", "bad", catalog=catalog).exit_code == 1  # left out of the catalog: year is invalid
    scripted_editor({"replace": ["year = 20", "year = 2020"]})
    result = papers("edit", "bad", catalog=catalog)
    assert result.exit_code == 0, result.output
    assert papers("check", catalog=catalog).exit_code == 0
    assert json.loads(papers("show", "bad", "--json", catalog=catalog).stdout)["year"] == 2020


def test_note_edit_of_a_paper_with_other_errors_names_them(
    papers: Invoke, scripted_editor: EditorScript, tmp_path: Path
) -> None:
    catalog = tmp_path / "broken.toml"
    catalog.write_text('[[papers]]\nid = "bad"\ntitle = "B"\nyear = 20\n')
    scripted_editor({"write": "A note.\n"})
    result = papers("edit", "bad", "--note", catalog=catalog, input="n\n")
    assert result.exit_code == 1
    assert "paper 'bad': year: must be between 1900" in result.stderr
