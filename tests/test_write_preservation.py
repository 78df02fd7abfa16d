"""Writes keep every byte outside the changed entry: comments, order, blank lines and string styles."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papercli.write import toml_edit
from tests.helpers import EditorScript, Invoke, toml_data


def inserted_block(before: str, after: str) -> str:
    """The text `after` adds to `before`, asserting that it only adds one contiguous block.
    (Where the block starts is ambiguous when it repeats its surroundings; any valid split is returned.)"""
    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    added = len(after) - len(before)
    assert added > 0, "nothing was added"
    assert after[prefix + added :] == before[prefix:], "bytes outside the inserted block changed"
    return after[prefix : prefix + added]


def test_add_only_inserts_the_new_entry(papers: Invoke, commented_catalog: Path) -> None:
    before = commented_catalog.read_text(encoding="utf-8")
    result = papers("add", "--title", "Segment Anything", "--tag", "RAG", catalog=commented_catalog)
    assert result.exit_code == 0, result.output
    block = inserted_block(before, commented_catalog.read_text(encoding="utf-8"))
    assert "[[papers]]\n" in block
    assert 'id = "segment-anything"' in block


def test_add_puts_new_vocabulary_after_its_section_and_before_the_next_comment(
    papers: Invoke, commented_catalog: Path
) -> None:
    before = commented_catalog.read_text(encoding="utf-8")
    result = papers("add", "--title", "X", "--new-tag", "agents", catalog=commented_catalog)
    assert result.exit_code == 0, result.output
    after = commented_catalog.read_text(encoding="utf-8")
    # a comment directly under the last tag stays with that tag; the new tag follows it
    tag_at = after.index('[[tags]]\nname = "agents"')
    assert after.index("# a comment directly under the last key") < tag_at < after.index("# ===== institutions")
    # outside the two inserted blocks, nothing changed
    without_tag = after.replace('\n[[tags]]\nname = "agents"\n', "", 1)
    assert inserted_block(before, without_tag).count("[[papers]]") == 1


def test_edit_changes_only_that_entry(papers: Invoke, commented_catalog: Path, scripted_editor: EditorScript) -> None:
    before = commented_catalog.read_text(encoding="utf-8")
    scripted_editor({"replace": ["year = 2021", "year = 2022"]})
    assert papers("edit", "lora", catalog=commented_catalog).exit_code == 0
    assert commented_catalog.read_text(encoding="utf-8") == before.replace("year = 2021", "year = 2022")


def test_note_edit_changes_only_the_note(
    papers: Invoke, commented_catalog: Path, scripted_editor: EditorScript
) -> None:
    before = commented_catalog.read_text(encoding="utf-8")
    scripted_editor({"append": "More.\n"})
    assert papers("edit", "self-rag", "--note", catalog=commented_catalog).exit_code == 0
    after = commented_catalog.read_text(encoding="utf-8")
    block = inserted_block(before, after)
    assert block.strip() == 'note = """\nMore.\n"""'
    assert toml_data(after)["papers"][1]["note"] == "More.\n"


def test_unchanged_edit_leaves_the_file_untouched(
    papers: Invoke, commented_catalog: Path, scripted_editor: EditorScript
) -> None:
    before = commented_catalog.read_bytes()
    mtime = commented_catalog.stat().st_mtime_ns
    scripted_editor({"keep": True})
    assert papers("edit", "self-rag", catalog=commented_catalog).exit_code == 0
    assert commented_catalog.read_bytes() == before
    assert commented_catalog.stat().st_mtime_ns == mtime


def test_bundled_catalog_survives_an_add_byte_for_byte(papers: Invoke, tmp_path: Path) -> None:
    bundled = Path(__file__).parents[1] / "data" / "papers.toml"
    copy = tmp_path / "papers.toml"
    copy.write_bytes(bundled.read_bytes())
    result = papers("add", "--title", "A New Paper", "--tag", "RAG", "--new-institution", "Nowhere", catalog=copy)
    assert result.exit_code == 0, result.output
    after = copy.read_text(encoding="utf-8")
    without_institution = after.replace('\n[[institutions]]\nname = "Nowhere"\n', "", 1)
    assert inserted_block(bundled.read_text(encoding="utf-8"), without_institution).count("[[papers]]") == 1


# Text that exercises TOML escaping: quotes, backslashes, triple quotes, tabs, unicode, control characters.
hostile_text = st.lists(
    st.sampled_from(list("ab \"\\'\t\r\n#[]=中文\x01\x7f\u2028é") + ['"""', "'''", "\r\n"]), min_size=1, max_size=30
).map("".join)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile_text.filter(lambda s: "\n" not in s), note=hostile_text, tags=st.lists(hostile_text, max_size=3))
def test_any_values_read_back_exactly_after_a_write(title: str, note: str, tags: list[str]) -> None:
    doc = toml_edit.parse('title = "t"\n', "t.toml")
    record = {"id": "p", "title": title, "note": note, "tags": tags}
    toml_edit.append_entry(doc, "papers", toml_edit.new_table(record))
    written = toml_data(doc.as_string())["papers"][0]
    assert written == {k: v for k, v in record.items() if v}


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    comments=st.lists(st.sampled_from(["# c\n", "\n", "  # indented\n", "#\n"]), max_size=4),
    layout=st.permutations(["tags", "papers", "institutions"]),
)
def test_appending_never_changes_existing_bytes(comments: list[str], layout: list[str]) -> None:
    sections = {
        "tags": '[[tags]]\nname = "a"  # inline\n' + "".join(comments),
        "institutions": "[[institutions]]\nname = 'b'\n" + "".join(comments),
        "papers": '[[papers]]\nid = "x"\ntitle = """X"""\n' + "".join(comments),
    }
    text = "# head\n" + "".join(sections[name] for name in layout)
    for section, record in [("tags", {"name": "new"}), ("papers", {"id": "y", "title": "Y"})]:
        doc = toml_edit.parse(text, "t.toml")
        toml_edit.append_entry(doc, section, toml_edit.new_table(record))
        after = doc.as_string()
        inserted_block(text, after)
        assert toml_data(after)[section][-1] == record
